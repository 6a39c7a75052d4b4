import { METRIC } from '../config/env-names.js';
import { runAudit } from '../core/audit.js';
import { type AuditConfig, maxKeyAgeDaysFor } from '../core/config.js';
import { parseCredentialReport } from '../core/credential-report.js';
import {
  decideReminder,
  decideWeeklyReminder,
  type ReminderDecision,
  type ReminderRecord,
  reminderKey,
  reminderRecordAfter,
  weeklyReminderKey,
} from '../core/reminders.js';
import type { Finding, Report } from '../core/report.js';
import { severityRank } from '../core/report-builder.js';
import { buildNotifications } from '../render/notifications/build-notifications.js';
import type { OutgoingMessage } from '../render/notifications/outgoing-message.js';
import type { Clock, ReminderLedger, RunMetrics } from './ports.js';
import { type PublishResult, publishOrRelease } from './publish.js';
import { type KeyScanSources, keyScanSources } from './scan-sources.js';

/** What the key scan needs; tests pass fakes. */
export interface KeyScanDeps {
  /** Read IAM only: the CloudTrail and workload-log streams are not read by a key scan. */
  readonly sources: KeyScanSources;
  readonly ledger: ReminderLedger;
  readonly publish: (messages: readonly OutgoingMessage[]) => Promise<PublishResult>;
  readonly clock: Clock;
  readonly metrics?: RunMetrics;
}

/** What one key scan did. */
export interface KeyScanSummary {
  readonly now: string;
  readonly findings: number;
  /** Findings whose reminder went out in this run. */
  readonly reminded: number;
  /** Reminders another run had already sent (or claimed at the same moment). */
  readonly alreadySent: number;
  readonly messagesPublished: number;
  readonly degradedSources: readonly string[];
}

const ROTATION_CHECKS = new Set(['key-rotation-due', 'key-rotation-overdue']);

/**
 * The daily key scan: audit IAM (no CloudTrail or logs), decide which reminders are owed with the
 * ledger (rotation ladder for key age, weekly for the rest), claim each one with a conditional
 * write (pending, with a lease), publish one digest per owner for what was claimed, and confirm
 * what went out. A claim whose message could not be published is given back, so the next run
 * sends it; a claim left pending by a scan that died is sent again once its lease has run out.
 *
 * Live, the ledger decides before any key is listed: only the users whose reminder goes out in
 * this run have their keys listed (ListAccessKeys), which names the key in the message and
 * confirms it still exists; a finding whose reminder is not due needs neither.
 */
export async function runKeyScan(deps: KeyScanDeps, config: AuditConfig): Promise<KeyScanSummary> {
  const now = deps.clock.now();
  const scan = keyScanSources(deps.sources);
  let loaded: Promise<ReadonlyMap<string, ReminderRecord>> | undefined;
  const loadLedger = (): Promise<ReadonlyMap<string, ReminderRecord>> => {
    loaded ??= deps.ledger.loadReminders();
    return loaded;
  };
  // The report is read once by the audit; what the scan needs from its rows is read once too.
  let facts: ReportFacts | undefined;
  const reportFacts = (): ReportFacts => {
    facts ??= reportFactsOf(scan.report()?.csv);
    return facts;
  };
  const report = await runAudit(scan.sources, {
    config,
    now,
    generatedAt: now,
    keyIds: async (findings, accountId) => {
      const ledger = await loadLedger();
      const { consoleUsers } = reportFacts();
      const owed = findings.filter((finding) => {
        if (severityRank(finding.severity) > severityRank('low')) return false;
        const decided = decide(finding, accountId, config, consoleUsers, now, ledger);
        return decided?.decision.send === true;
      });
      return new Set(owed.map((finding) => finding.id));
    },
  });
  const { consoleUsers, activeKeys } = reportFacts();

  const ledger = await loadLedger();
  const claimed: {
    finding: Finding;
    record: ReminderRecord;
    previous: ReminderRecord | undefined;
  }[] = [];
  let alreadySent = 0;
  const seenKeys = new Set<string>();
  for (const finding of report.findings) {
    if (severityRank(finding.severity) > severityRank('low')) continue;
    const decided = decide(finding, report.account.id, config, consoleUsers, now, ledger);
    if (decided === undefined || seenKeys.has(decided.key)) continue;
    seenKeys.add(decided.key);
    const { key, decision, previous } = decided;
    if (!decision.send) {
      if (decision.reason === 'already-sent') alreadySent += 1;
      continue;
    }
    const record = reminderRecordAfter(key, decision.reminder, now);
    if (await deps.ledger.claimReminder(record)) {
      claimed.push({ finding, record, previous });
    } else {
      alreadySent += 1;
    }
  }

  const messages = buildNotifications(
    { ...report, findings: claimed.map((c) => c.finding), incidents: [] },
    { incidents: false },
  );
  const released = new Set<(typeof claimed)[number]>();
  const published = await publishOrRelease(deps.publish, messages, async (failedOwners) => {
    for (const claim of claimed) {
      if (failedOwners === 'all' || failedOwners.has(claim.finding.owner ?? 'unowned')) {
        released.add(claim);
        await deps.ledger.releaseReminder(claim.record, claim.previous);
      }
    }
  });
  // Only now is each reminder sent; until confirmed, a scan that dies leaves it to the lease.
  for (const claim of claimed) {
    if (!released.has(claim)) await deps.ledger.confirmReminder(claim.record);
  }

  emitKeyMetrics(deps.metrics, report, activeKeys);
  deps.metrics?.count(METRIC.MESSAGES_PUBLISHED, published);
  const degradedSources = report.sources
    .filter((s) => s.status !== 'ok' && s.name !== 'cloudtrail' && s.name !== 'workload-logs')
    .map((s) => s.name);
  deps.metrics?.count(METRIC.SOURCES_DEGRADED, degradedSources.length);
  return {
    now: now.toISOString(),
    findings: report.findings.length,
    reminded: claimed.length,
    alreadySent,
    messagesPublished: published,
    degradedSources,
  };
}

/**
 * The ledger key and the decision for one finding. A rotation reminder is kept under the key of
 * its slot and creation time, not its id, so the ledger can decide before any key id is read.
 * Records written before that were keyed by id: while a key has no record under the new key,
 * the one under its id (when the id is known) says what was sent, so nothing is sent twice; the
 * next reminder claimed for the key moves it to the new key.
 */
function decide(
  finding: Finding,
  accountId: string | null,
  config: AuditConfig,
  consoleUsers: ReadonlySet<string>,
  now: Date,
  ledger: ReadonlyMap<string, ReminderRecord>,
): { key: string; decision: ReminderDecision; previous: ReminderRecord | undefined } | undefined {
  if (ROTATION_CHECKS.has(finding.check)) {
    const accessKey = finding.accessKey;
    const createdAt = accessKey?.createdAt;
    if (accessKey === null || !createdAt) return undefined;
    const key = reminderKey({ ...finding, accessKey: { ...accessKey, id: null } }, accountId);
    if (key === null) return undefined;
    const byId = accessKey.id === null ? null : reminderKey(finding, accountId);
    const stored = ledger.get(key);
    const legacy = stored === undefined && byId !== null ? ledger.get(byId) : undefined;
    const previous = stored ?? (legacy === undefined ? undefined : { ...legacy, key });
    const ladder = {
      createdAt: new Date(createdAt),
      limitDays: maxKeyAgeDaysFor(config, consoleUsers.has(finding.principal.name)),
      leadDays: config.thresholds.reminderLeadDays,
    };
    return { key, decision: decideReminder(ladder, now, previous), previous };
  }
  const key = weeklyReminderKey(finding);
  const previous = ledger.get(key);
  return { key, decision: decideWeeklyReminder(now, previous), previous };
}

/** What the key scan reads from the credential report's rows besides the audit. */
interface ReportFacts {
  /** Users with a console password: their keys get maxKeyAgeDays, the others machineMaxKeyAgeDays. */
  readonly consoleUsers: ReadonlySet<string>;
  /** Active keys in the report, for the dashboard's count of keys that are fine. */
  readonly activeKeys: number;
}

function reportFactsOf(csv: string | undefined): ReportFacts {
  const consoleUsers = new Set<string>();
  let activeKeys = 0;
  if (csv !== undefined) {
    for (const row of parseCredentialReport(csv)) {
      if (row.passwordEnabled === true) consoleUsers.add(row.user);
      for (const key of row.accessKeys) if (key.active) activeKeys += 1;
    }
  }
  return { consoleUsers, activeKeys };
}

/** Keys by state for the dashboard: ok, due, overdue, unused, inactive. */
function emitKeyMetrics(metrics: RunMetrics | undefined, report: Report, active: number): void {
  if (metrics === undefined) return;
  const keysWith = (check: string): Set<string> =>
    new Set(
      report.findings
        .filter((f) => f.check === check && f.accessKey)
        .map((f) => `${f.principal.name}#${f.accessKey?.slot}`),
    );
  const due = keysWith('key-rotation-due');
  const overdue = keysWith('key-rotation-overdue');
  const unused = keysWith('key-unused');
  const inactive = keysWith('key-inactive');
  const flagged = new Set([...due, ...overdue, ...unused]);
  metrics.count(METRIC.KEYS, Math.max(0, active - flagged.size), { state: 'ok' });
  metrics.count(METRIC.KEYS, due.size, { state: 'due' });
  metrics.count(METRIC.KEYS, overdue.size, { state: 'overdue' });
  metrics.count(METRIC.KEYS, unused.size, { state: 'unused' });
  metrics.count(METRIC.KEYS, inactive.size, { state: 'inactive' });
}
