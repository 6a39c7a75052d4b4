import { CLAIM_LEASE_MS, claimState, leaseUntil } from './claim-lease.js';
import type { Incident, IncidentKind, Severity } from './report.js';
import { severityRank } from './report-builder.js';

/** An announced count multiplied by this is an escalation. */
export const ESCALATION_FACTOR = 10;

/** What the ledger remembers about one incident. */
export interface IncidentRecord {
  /** The incident's deterministic id. */
  readonly id: string;
  readonly kind: IncidentKind;
  /** The incident's title when last announced, for the summary when it ends. */
  readonly title: string;
  readonly state: 'open' | 'ended';
  /** Severity in the last announcement (first or escalation). */
  readonly announcedSeverity: Severity;
  /** Event count in the last announcement. */
  readonly announcedCount: number;
  /** The highest count seen in any run's window. */
  readonly peakCount: number;
  readonly firstSeen: string;
  /** The newest event seen in any run (ISO-8601). */
  readonly lastSeen: string;
  readonly announcedAt: string;
  readonly endedAt: string | null;
  /** Incremented by every write; the adapter writes only over the version it read. */
  readonly version: number;
  /**
   * Set while the last announcement (first, escalation or end) is written but not yet confirmed
   * as published: the lease end (ISO-8601). Past it, the announcement never went out (its run
   * died) and a later run makes it again.
   */
  readonly pendingUntil?: string;
}

/** The rules of the ledger. */
export interface IncidentLedgerPolicy {
  /**
   * An open incident with no event for this long has ended (quiet runs × run interval).
   * The last event time decides, not presence in a run: windows overlap, so an incident stays
   * in the report while its old events are still inside the lookback.
   */
  readonly quietPeriodMs: number;
  /** How long an unconfirmed announcement blocks other runs. @default CLAIM_LEASE_MS */
  readonly leaseMs?: number;
}

/** One change to the ledger and what to tell people about it. */
export type IncidentDecision =
  /** A new incident (or one that came back after it ended): announce it. */
  | {
      readonly action: 'announce';
      readonly incident: Incident;
      readonly previous: IncidentRecord | undefined;
      readonly record: IncidentRecord;
    }
  /** It got worse: announce again. */
  | {
      readonly action: 'escalate';
      readonly incident: Incident;
      readonly reason: 'severity' | 'count';
      readonly previous: IncidentRecord;
      readonly record: IncidentRecord;
    }
  /** Still going, nothing new to say: record the last event quietly. */
  | {
      readonly action: 'update';
      readonly previous: IncidentRecord;
      readonly record: IncidentRecord;
    }
  /** Quiet for the whole quiet period: summarise it as ended. */
  | { readonly action: 'end'; readonly previous: IncidentRecord; readonly record: IncidentRecord };

/**
 * Compares this run's incidents with the ledger and says what to write and announce: each
 * incident is announced once, again only when it escalates (severity up, or a count of at
 * least ten times the announced one), and summarised once when it has been quiet for the
 * quiet period. An announcement is written pending (with a lease) and confirmed after its
 * publish: while the lease runs nothing else is decided for that incident, and once it has
 * expired unconfirmed the announcement is made again. Pure: the caller writes the records
 * (conditionally), publishes and confirms.
 *
 * @param incidents the incidents of this run's window.
 * @param records the ledger's records for those ids and every open one.
 */
export function decideIncidents(
  incidents: readonly Incident[],
  records: ReadonlyMap<string, IncidentRecord>,
  now: Date,
  policy: IncidentLedgerPolicy,
): IncidentDecision[] {
  const pendingUntil = leaseUntil(now, policy.leaseMs ?? CLAIM_LEASE_MS);
  const decisions = new Map<string, IncidentDecision>();
  for (const incident of incidents) {
    const decision = decideOne(incident, records.get(incident.id), now);
    if (decision) decisions.set(incident.id, decision);
  }
  for (const record of records.values()) {
    const state = claimState(record.pendingUntil, now);
    // Another run is announcing it: leave the record to that run.
    if (state === 'pending') continue;
    // An ending whose summary never went out: summarise again (unless it came back).
    if (record.state === 'ended') {
      if (state === 'expired' && !decisions.has(record.id)) {
        decisions.set(record.id, {
          action: 'end',
          previous: record,
          record: { ...record, version: record.version + 1 },
        });
      }
      continue;
    }
    const decision = decisions.get(record.id);
    // Just announced: say nothing more this run, even if its events are already old.
    if (decision !== undefined && decision.action !== 'update') continue;
    const current = decision?.record ?? record;
    if (now.getTime() - Date.parse(current.lastSeen) < policy.quietPeriodMs) continue;
    decisions.set(record.id, {
      action: 'end',
      previous: record,
      record: {
        ...current,
        state: 'ended',
        endedAt: now.toISOString(),
        version: record.version + 1,
      },
    });
  }
  return [...decisions.values()].map((decision) =>
    decision.action === 'update'
      ? decision
      : { ...decision, record: { ...decision.record, pendingUntil } },
  );
}

function decideOne(
  incident: Incident,
  record: IncidentRecord | undefined,
  now: Date,
): IncidentDecision | undefined {
  const nowIso = now.toISOString();
  const state = claimState(record?.pendingUntil, now);
  if (state === 'pending') return undefined;
  const newer = Date.parse(incident.lastSeen) > Date.parse(record?.lastSeen ?? '');
  // An open record whose announcement expired unconfirmed was never announced.
  const unannounced = record?.state === 'open' && state === 'expired';
  if (record === undefined || unannounced || (record.state === 'ended' && newer)) {
    return {
      action: 'announce',
      incident,
      previous: record,
      record: {
        id: incident.id,
        kind: incident.kind,
        title: incident.title,
        state: 'open',
        announcedSeverity: incident.severity,
        announcedCount: incident.count,
        peakCount: incident.count,
        firstSeen: incident.firstSeen,
        lastSeen: incident.lastSeen,
        announcedAt: nowIso,
        endedAt: null,
        version: (record?.version ?? 0) + 1,
      },
    };
  }
  // Ended, and nothing newer than what was summarised: the old events are still in the window.
  if (record.state === 'ended') return undefined;

  const lastSeen = newer ? incident.lastSeen : record.lastSeen;
  const peakCount = Math.max(record.peakCount, incident.count);
  const worse = severityRank(incident.severity) < severityRank(record.announcedSeverity);
  const bigger = incident.count >= ESCALATION_FACTOR * record.announcedCount;
  if (worse || bigger) {
    return {
      action: 'escalate',
      incident,
      reason: worse ? 'severity' : 'count',
      previous: record,
      record: {
        ...record,
        title: incident.title,
        announcedSeverity: worse ? incident.severity : record.announcedSeverity,
        announcedCount: incident.count,
        peakCount,
        lastSeen,
        announcedAt: nowIso,
        version: record.version + 1,
      },
    };
  }
  if (lastSeen === record.lastSeen && peakCount === record.peakCount) return undefined;
  return {
    action: 'update',
    previous: record,
    record: { ...record, lastSeen, peakCount, version: record.version + 1 },
  };
}
