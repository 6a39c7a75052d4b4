import { METRIC } from '../config/env-names.js';
import { runAudit } from '../core/audit.js';
import type { AuditConfig } from '../core/config.js';
import {
  decideIncidents,
  type IncidentDecision,
  type IncidentRecord,
} from '../core/incident-ledger.js';
import type { Incident, Report } from '../core/report.js';
import type { AuditSources } from '../core/sources.js';
import { incidentMessage } from '../render/notifications/incident-summary.js';
import type { OutgoingMessage } from '../render/notifications/outgoing-message.js';
import type { Clock, IncidentLedger, RunMetrics } from './ports.js';
import { type PublishResult, publishOrRelease } from './publish.js';

const NO_FINDING_KEYS = (): ReadonlySet<string> => new Set();

/** What trail-watch needs; tests pass fakes. */
export interface TrailWatchDeps {
  readonly sources: AuditSources;
  readonly ledger: IncidentLedger;
  readonly publish: (messages: readonly OutgoingMessage[]) => Promise<PublishResult>;
  readonly clock: Clock;
  readonly metrics?: RunMetrics;
}

/** How far each run looks back and when an incident counts as over. */
export interface TrailWatchOptions {
  readonly config: AuditConfig;
  readonly lookbackMs: number;
  /** Quiet runs × run interval. */
  readonly quietPeriodMs: number;
}

/** What one trail-watch run did. */
export interface TrailWatchSummary {
  readonly now: string;
  readonly window: { readonly start: string; readonly end: string } | null;
  readonly incidents: number;
  readonly announced: number;
  readonly escalated: number;
  readonly ended: number;
  /** Decisions another run had already written (its write won). */
  readonly lostRaces: number;
  readonly messagesPublished: number;
  readonly degradedSources: readonly string[];
}

/**
 * One trail-watch run: audit the last `lookbackMs` (windows overlap on purpose), compare the
 * incidents with the ledger, write each change conditionally, and announce only what this run
 * wrote: new incidents, escalations and endings. Each announcement is written pending (with a
 * lease) and confirmed once published; when a message cannot be published its ledger change is
 * undone, so the next run announces it, and when the run dies first the lease runs out and a
 * later run announces it.
 */
export async function runTrailWatch(
  deps: TrailWatchDeps,
  options: TrailWatchOptions,
): Promise<TrailWatchSummary> {
  const now = deps.clock.now();
  const report = await runAudit(deps.sources, {
    config: options.config,
    now,
    generatedAt: now,
    lookbackMs: options.lookbackMs,
    // Trail-watch announces incidents only: no finding needs its key named, and the few keys
    // the incidents need are looked up after the records (not every user's keys every run).
    keyIds: NO_FINDING_KEYS,
  });
  const records = await deps.ledger.loadIncidents();
  const decisions = decideIncidents(report.incidents, records, now, {
    quietPeriodMs: options.quietPeriodMs,
  });

  const written: { decision: IncidentDecision; message: OutgoingMessage | undefined }[] = [];
  let lostRaces = 0;
  for (const decision of decisions) {
    if (!(await deps.ledger.writeIncident(decision.record, decision.previous?.version))) {
      lostRaces += 1;
      continue;
    }
    written.push({ decision, message: messageFor(report, decision) });
  }

  const messages = written.flatMap((w) => (w.message ? [w.message] : []));
  let refused: ReadonlySet<string> = new Set();
  const published = await publishOrRelease(deps.publish, messages, async (_owners, failedIds) => {
    refused = failedIds;
    for (const { decision, message } of written) {
      if (message === undefined || !failedIds.has(message.id)) continue;
      await deps.ledger.writeIncident(undone(decision), decision.record.version);
    }
  });
  // Only now is each announcement sent; until confirmed, a run that dies leaves it to the lease.
  for (const { decision, message } of written) {
    if (message === undefined || refused.has(message.id)) continue;
    await deps.ledger.writeIncident(confirmed(decision.record), decision.record.version);
  }

  const count = (action: IncidentDecision['action']) =>
    written.filter((w) => w.decision.action === action).length;
  if (deps.metrics) {
    const byKind = new Map<string, number>();
    for (const incident of report.incidents)
      byKind.set(incident.kind, (byKind.get(incident.kind) ?? 0) + 1);
    for (const [kind, n] of byKind) deps.metrics.count(METRIC.INCIDENTS, n, { kind });
    deps.metrics.count(METRIC.MESSAGES_PUBLISHED, published);
  }
  const degradedSources = report.sources.filter((s) => s.status !== 'ok').map((s) => s.name);
  deps.metrics?.count(METRIC.SOURCES_DEGRADED, degradedSources.length);
  return {
    now: now.toISOString(),
    window: report.window,
    incidents: report.incidents.length,
    announced: count('announce'),
    escalated: count('escalate'),
    ended: count('end'),
    lostRaces,
    messagesPublished: published,
    degradedSources,
  };
}

function messageFor(report: Report, decision: IncidentDecision): OutgoingMessage | undefined {
  switch (decision.action) {
    case 'announce':
      return incidentMessage(report, decision.incident);
    case 'escalate': {
      const why =
        decision.reason === 'severity'
          ? `now ${decision.incident.severity}`
          : `${decision.incident.count} events`;
      return incidentMessage(report, {
        ...decision.incident,
        title: `Escalated (${why}): ${decision.incident.title}`,
      });
    }
    case 'end':
      return incidentMessage(report, endedIncident(decision.record));
    case 'update':
      return undefined;
  }
}

/** The summary of an ended incident, from what the ledger kept. */
function endedIncident(record: IncidentRecord): Incident {
  return {
    id: record.id,
    kind: record.kind,
    severity: record.announcedSeverity,
    title: `Ended: ${record.title} (no new events since ${record.lastSeen}; ${record.peakCount} at the peak)`,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
    count: record.peakCount,
    errorCodes: {},
    accessKeyIds: [],
    principals: [],
    sourceIps: [],
    userAgents: [],
    eventSources: [],
    logGroups: [],
    probableCauses: [],
    remediation: [],
    evidence: [],
    owner: null,
  };
}

/**
 * The record that makes the next run announce again what this run could not: the previous one,
 * or for a first announcement an ended record older than every event.
 */
function undone(decision: IncidentDecision): IncidentRecord {
  const version = decision.record.version + 1;
  if (decision.previous) return { ...decision.previous, version };
  return {
    ...confirmed(decision.record),
    state: 'ended',
    lastSeen: '1970-01-01T00:00:00.000Z',
    endedAt: null,
    version,
  };
}

/** The record once its announcement went out: one version on, no longer pending. */
function confirmed(record: IncidentRecord): IncidentRecord {
  const { pendingUntil: _pendingUntil, ...sent } = record;
  return { ...sent, version: record.version + 1 };
}
