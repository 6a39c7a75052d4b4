import { type ExemptedFinding, runChecks } from './checks/index.js';
import { type AuditConfig, parseDurationMs } from './config.js';
import { parseCredentialReport } from './credential-report.js';
import { createIncidentCorrelator } from './incidents/correlator.js';
import type { Inventory, PrincipalRecord } from './inventory.js';
import { buildInventory } from './inventory-builder.js';
import { ownerOf } from './owners.js';
import type { Finding, Incident, Report, SourceStatus } from './report.js';
import { assembleReport } from './report-builder.js';
import type { AuditSources, RecordStream, SourceResult, TimeWindow } from './sources.js';

export interface AuditOptions {
  readonly config: AuditConfig;
  /** The instant the audit is evaluated at (`--now`); every age is measured from it. */
  readonly now: Date;
  /** Wall-clock time the report is produced, for `generatedAt`. */
  readonly generatedAt: Date;
  /** Overrides `config.incidents.lookback`. */
  readonly lookbackMs?: number;
  /** Called after each record of a stream; lets the CLI draw progress. */
  readonly onProgress?: (stream: string, records: number) => void;
}

/**
 * The audit use case shared by the CLI and the Lambdas: read every source, run the checks,
 * correlate incidents, and return the schema-1 report. A source that fails is recorded as
 * degraded or missing; only the credential report is required.
 *
 * @throws RequiredSourceError when the credential report cannot be read.
 * @throws InputFormatError when the credential report is not a credential report.
 */
export async function runAudit(sources: AuditSources, options: AuditOptions): Promise<Report> {
  const { config, now } = options;
  const statuses: SourceStatus[] = [];

  const account = await settle('account', () => sources.account(), statuses);
  const reportInput = await sources.credentialReport();
  const rows = parseCredentialReport(reportInput.csv);
  statuses.push({
    name: 'iam-credential-report',
    status: 'ok',
    detail: reportInput.detail,
    itemsRead: rows.length,
    ...(reportInput.apiCalls === undefined ? {} : { apiCalls: reportInput.apiCalls }),
  });

  const accessKeys = await settle('iam-access-keys', () => sources.accessKeys(), statuses);
  const users = await settle('iam-users', () => sources.users(), statuses);
  const summary = await settle('iam-account-summary', () => sources.accountSummary(), statuses);

  const accountId = account?.id ?? null;
  const { inventory, notes } = buildInventory({
    rows,
    accessKeys: accessKeys ?? null,
    users: users ?? null,
    accountSummary: summary ?? null,
    reportGeneratedAt: reportInput.generatedAt,
    accountId,
  });
  for (const note of notes) statuses.push(note);

  const checked = runChecks(inventory, config, now);
  for (const note of checked.notes) statuses.push(note);
  if (checked.exempted.length > 0) statuses.push(exemptionStatus(checked.exempted));
  const findings = await dropKeysGoneSinceReport(checked.findings, sources, statuses);

  const lookbackMs = options.lookbackMs ?? parseDurationMs(config.incidents.lookback);
  const window: TimeWindow = { start: new Date(now.getTime() - lookbackMs), end: now };
  const correlator = createIncidentCorrelator({
    inventory,
    config,
    window,
    accountId: inventory.accountId,
  });
  await drain(
    sources.cloudTrail(window),
    (record) => correlator.addCloudTrailRecord(record),
    statuses,
    options,
  );
  await drain(
    sources.workloadLogs(window),
    (entry) => correlator.addLogEntry(entry),
    statuses,
    options,
  );
  const incidents = withOwners(correlator.finish(), inventory, config);

  return assembleReport({
    generatedAt: options.generatedAt,
    now,
    account: { id: inventory.accountId, alias: account?.alias ?? null },
    window,
    reportGeneratedAt: reportInput.generatedAt,
    reportRows: rows.length,
    sources: statuses,
    findings,
    incidents,
  });
}

/**
 * Exempted findings are hidden, not forgotten: the report says how many and by what, so an
 * exemption nobody remembers still shows up somewhere.
 */
function exemptionStatus(exempted: readonly ExemptedFinding[]): SourceStatus {
  const byTag = exempted.filter((e) => e.exemptedBy === 'tag').length;
  const users = new Set(exempted.map((e) => e.principalName));
  return {
    name: 'exemptions',
    status: 'ok',
    detail:
      `${exempted.length} finding(s) of ${users.size} user(s) hidden by exemptions ` +
      `(${byTag} by tag, ${exempted.length - byTag} by config): ${[...users].sort().slice(0, 10).join(', ')}`,
    itemsRead: exempted.length,
  };
}

/** The owner of an incident is the owner of the first known principal or key behind it. */
function withOwners(
  incidents: readonly Incident[],
  inventory: Inventory,
  config: AuditConfig,
): Incident[] {
  const byName = new Map<string, PrincipalRecord>();
  for (const principal of inventory.principals) {
    byName.set(principal.name, principal);
    if (principal.arn) byName.set(principal.arn, principal);
  }
  return incidents.map((incident) => {
    const names = [
      ...incident.accessKeyIds.map((id) => inventory.keysById.get(id)?.userName),
      ...incident.principals,
    ];
    for (const name of names) {
      const principal = name === undefined ? undefined : byName.get(name);
      const owner = principal ? ownerOf(principal, config) : null;
      if (owner) return { ...incident, owner };
    }
    return { ...incident, owner: incident.owner ?? config.owners.accountDefault };
  });
}

/** Runs an optional source; a failure becomes a `degraded` status instead of ending the audit. */
async function settle<T>(
  name: string,
  read: () => Promise<SourceResult<T>>,
  statuses: SourceStatus[],
): Promise<T | undefined> {
  try {
    const result = await read();
    statuses.push(statusOf(name, result));
    return result.status === 'missing' ? undefined : result.value;
  } catch (error) {
    statuses.push({
      name,
      status: 'degraded',
      detail: `could not be read: ${describeError(error)}`,
    });
    return undefined;
  }
}

function statusOf<T>(name: string, result: SourceResult<T>): SourceStatus {
  return {
    name,
    status: result.status,
    detail: result.detail,
    ...(result.apiCalls === undefined ? {} : { apiCalls: result.apiCalls }),
  };
}

async function drain<T>(
  stream: RecordStream<T>,
  consume: (item: T) => void,
  statuses: SourceStatus[],
  options: AuditOptions,
): Promise<void> {
  let count = 0;
  let failure: unknown;
  try {
    for await (const item of stream.records()) {
      consume(item);
      count += 1;
      options.onProgress?.(stream.name, count);
    }
  } catch (error) {
    failure = error;
  }
  const status = stream.status();
  if (failure === undefined) {
    statuses.push(status);
  } else {
    statuses.push({
      ...status,
      status: 'degraded',
      detail: `stopped after ${count} records: ${describeError(failure)}; ${status.detail}`,
    });
  }
}

/**
 * The credential report can be four hours old: a key deleted since then must not be announced.
 * Live sources list the users' keys now; a finding survives when its key is still listed. A key
 * whose id could not be joined (null) was not in that fresh listing at all, so it is gone too.
 * Root keys are never listed by user name and are kept. Exported files cannot confirm anything,
 * and the report's credential-report age says how old the picture is.
 */
async function dropKeysGoneSinceReport(
  findings: Finding[],
  sources: AuditSources,
  statuses: SourceStatus[],
): Promise<Finding[]> {
  if (!sources.existingAccessKeyIds) return findings;
  const confirmable = (f: Finding): boolean =>
    f.accessKey !== null && f.principal.type === 'IAMUser';
  const userNames = [...new Set(findings.filter(confirmable).map((f) => f.principal.name))];
  if (userNames.length === 0) return findings;
  const existing = await settle(
    'iam-access-keys-confirmation',
    () => sources.existingAccessKeyIds?.(userNames) ?? Promise.reject(new Error('unavailable')),
    statuses,
  );
  if (!existing) return findings;
  const kept = findings.filter(
    (f) => !confirmable(f) || (f.accessKey?.id != null && existing.has(f.accessKey.id)),
  );
  const dropped = findings.length - kept.length;
  if (dropped > 0) {
    statuses.push({
      name: 'iam-keys-gone',
      status: 'ok',
      detail: `${dropped} finding(s) not reported: their key no longer exists (deleted since the credential report was generated)`,
      itemsSkipped: dropped,
    });
  }
  return kept;
}

/** One line about an error, without its stack or any payload it carries. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
