import { type CheckResults, type ExemptedFinding, runChecks } from './checks/index.js';
import { type AuditConfig, parseDurationMs } from './config.js';
import type { CredentialReportRow } from './credential-report.js';
import { parseCredentialReport } from './credential-report.js';
import { describeError } from './errors.js';
import {
  createIncidentKeyResolver,
  type IncidentKeyResolver,
  keysOwnersNeed,
} from './incident-keys.js';
import { createIncidentCorrelator, type IncidentCorrelator } from './incidents/correlator.js';
import type { AccessKeyMetadata, IamUserDetail, Inventory, PrincipalRecord } from './inventory.js';
import { buildInventory, mergeListedKeys } from './inventory-builder.js';
import { ownerOf } from './owners.js';
import type { Finding, Incident, Report, SourceStatus } from './report.js';
import { assembleReport } from './report-builder.js';
import type {
  AuditSources,
  KeyIdSelector,
  RecordStream,
  SourceResult,
  TimeWindow,
} from './sources.js';

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
  /**
   * Which key ids to read when the sources can list a user's keys on demand (`accessKeysOf`,
   * live): `'all'` lists every key-holding user's keys before the checks; `'findings'` lists
   * only the users with a finding about a key; a selector, only the users of the findings it
   * picks (the key scan: those whose reminder goes out; trail-watch: none). Other than `'all'`,
   * the few keys the incidents need (a key seen failing, deactivated, held by a quarantined
   * user, or deciding an incident's owner) are looked up after the records are read
   * (`accessKeyOwners`, then `accessKeysOf`), and the incidents are those `'all'` gives; the
   * `iam-incident-keys` source says what was looked up and what could not be. Listing confirms the key still
   * exists, so findings about a key deleted since the credential report are dropped; findings a
   * selector leaves out keep their key by slot and are not confirmed. Exported files hold every
   * id and ignore this.
   * @default 'all'
   */
  readonly keyIds?: 'all' | 'findings' | KeyIdSelector;
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

  const keyIds = options.keyIds ?? 'all';
  // Listing keys user by user is only worth it when not every key-holding user is listed.
  const selector = keyIds !== 'all' && sources.accessKeysOf !== undefined ? keyIds : undefined;
  const accessKeys = selector
    ? undefined
    : await settle('iam-access-keys', () => sources.accessKeys(), statuses);
  const users = await settle('iam-users', () => sources.users(), statuses);
  const summary = await settle('iam-account-summary', () => sources.accountSummary(), statuses);

  const accountId = account?.id ?? null;
  const built = buildInventory({
    rows,
    accessKeys: accessKeys ?? null,
    users: users ?? null,
    accountSummary: summary ?? null,
    reportGeneratedAt: reportInput.generatedAt,
    accountId,
  });
  for (const note of built.notes) statuses.push(note);

  const firstChecks = runChecks(built.inventory, config, now);
  for (const note of firstChecks.notes) statuses.push(note);
  const keyed =
    selector === undefined
      ? undefined
      : await withListedKeys(
          { rows, users: users ?? null, reportGeneratedAt: reportInput.generatedAt },
          built.inventory,
          firstChecks,
          { sources, selector, config, now },
          statuses,
        );
  const inventory = keyed?.inventory ?? built.inventory;
  const checked = keyed?.checked ?? firstChecks;
  if (checked.exempted.length > 0) statuses.push(exemptionStatus(checked.exempted));
  // Keys listed on demand were confirmed by that listing (or, for a selector, not needed).
  const findings =
    selector === undefined
      ? await dropKeysGoneSinceReport(checked.findings, built.inventory, sources, statuses)
      : checked.findings;

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
  // Without every key listed, the few keys the incidents need are looked up now (live only).
  const incidents =
    selector === undefined
      ? withOwners(correlator.finish(), inventory, config)
      : await finishWithKeysLookedUp(
          correlator,
          createIncidentKeyResolver({
            sources,
            rows,
            users: users ?? null,
            reportGeneratedAt: reportInput.generatedAt,
            inventory,
            hint: (id) => correlator.keyHolderHint(id),
          }),
          config,
          statuses,
        );

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

/**
 * The incidents of an audit that did not list every key: the keys `finish()` reads are looked up
 * first, then the keys an owner could depend on; the report is the one listing every key gives,
 * and `iam-incident-keys` says what was looked up and what could not be.
 */
async function finishWithKeysLookedUp(
  correlator: IncidentCorrelator,
  resolver: IncidentKeyResolver,
  config: AuditConfig,
  statuses: SourceStatus[],
): Promise<Incident[]> {
  const lookups = correlator.keyLookups();
  const joined = await resolver.resolve(lookups.accessKeyIds, lookups.userNames);
  const incidents = correlator.finish(joined);
  const owned = await resolver.resolve(keysOwnersNeed(incidents, joined, resolver), []);
  const status = resolver.status();
  if (status) statuses.push(status);
  return withOwners(incidents, owned, config);
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
  const progress = options.onProgress;
  try {
    if (stream.batches) {
      // One await per batch (a file), not two promise round trips per record.
      for await (const batch of stream.batches()) {
        for (const item of batch) {
          consume(item);
          count += 1;
          progress?.(stream.name, count);
        }
      }
    } else {
      for await (const item of stream.records()) {
        consume(item);
        count += 1;
        progress?.(stream.name, count);
      }
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
 * without an id is dropped only when the inventory's key list had no key created near its slot
 * (`idUnknown: 'not-listed'`): keys the list holds but that cannot be told apart (created within
 * seconds of each other) exist, and their findings are kept without an id. Root keys are never
 * listed by user name and are kept. Exported files cannot confirm anything, and the report's
 * credential-report age says how old the picture is.
 */
async function dropKeysGoneSinceReport(
  findings: Finding[],
  inventory: Inventory,
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
  const notListed = notListedKeys(inventory);
  const kept = findings.filter((f) => {
    if (!confirmable(f)) return true;
    const id = f.accessKey?.id;
    return id == null ? !notListed(f) : existing.has(id);
  });
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

/** What the on-demand key listing needs from the audit besides the first checks. */
interface ListingContext {
  readonly sources: AuditSources;
  readonly selector: 'findings' | KeyIdSelector;
  readonly config: AuditConfig;
  readonly now: Date;
}

/**
 * Lists the keys of only the users whose findings need a key id (`AuditOptions.keyIds`), once,
 * and checks those users again with their ids and current key status; the other principals and
 * their findings are left as the first checks made them. ListAccessKeys is read now, so it also
 * confirms: a finding of a listed user whose key is not in the listing (deleted since the
 * credential report, or its user deleted) is dropped, as {@link dropKeysGoneSinceReport} does.
 * When the listing fails, the findings stay as they are (no ids, not confirmed) and the source
 * says why.
 */
async function withListedKeys(
  input: {
    readonly rows: readonly CredentialReportRow[];
    readonly users: readonly IamUserDetail[] | null;
    readonly reportGeneratedAt: Date | null;
  },
  inventory: Inventory,
  first: CheckResults,
  context: ListingContext,
  statuses: SourceStatus[],
): Promise<{ inventory: Inventory; checked: CheckResults } | undefined> {
  const needsKey = (f: Finding): boolean => f.accessKey !== null && f.principal.type === 'IAMUser';
  const picked =
    context.selector === 'findings'
      ? undefined
      : await context.selector(first.findings, inventory.accountId);
  const userNames = [
    ...new Set(
      first.findings
        .filter((f) => needsKey(f) && (picked === undefined || picked.has(f.id)))
        .map((f) => f.principal.name),
    ),
  ].sort();
  if (userNames.length === 0) {
    statuses.push({
      name: 'iam-access-keys',
      status: 'ok',
      detail: 'IAM ListAccessKeys not needed: no finding this run needs a key id',
      apiCalls: 0,
    });
    return undefined;
  }
  const listAccessKeys = context.sources.accessKeysOf;
  const listed = await settle(
    'iam-access-keys',
    (): Promise<SourceResult<readonly AccessKeyMetadata[]>> =>
      listAccessKeys?.(userNames) ?? Promise.reject(new Error('unavailable')),
    statuses,
  );
  if (listed === undefined) return undefined;

  const names = new Set(userNames);
  const { merged, relisted } = mergeListedKeys(inventory, input, names, listed);
  // Only the key-id join is new; the other notes were said about every row already.
  for (const note of relisted.notes) if (note.name === 'iam-key-ids') statuses.push(note);
  const again = runChecks(relisted.inventory, context.config, context.now);
  const isListed = (f: Finding): boolean =>
    f.principal.type === 'IAMUser' && names.has(f.principal.name);
  // Keys the listing holds but cannot tell apart keep their findings, without an id.
  const notListed = notListedKeys(relisted.inventory);
  const current: Finding[] = [];
  let gone = 0;
  for (const f of again.findings) {
    if (f.accessKey !== null && f.accessKey.id === null && notListed(f)) gone += 1;
    else current.push(f);
  }
  if (gone > 0) {
    statuses.push({
      name: 'iam-keys-gone',
      status: 'ok',
      detail: `${gone} finding(s) not reported: their key no longer exists (deleted since the credential report was generated)`,
      itemsSkipped: gone,
    });
  }
  return {
    inventory: merged,
    checked: {
      findings: [...first.findings.filter((f) => !isListed(f)), ...current],
      exempted: [...first.exempted.filter((e) => !names.has(e.principalName)), ...again.exempted],
      notes: first.notes,
    },
  };
}

/**
 * A test for findings whose key has no id because the inventory's key list held no key created
 * near its slot (`idUnknown: 'not-listed'`): deleted since the credential report. The principals
 * are indexed on the first call only, as most audits have no such finding.
 */
function notListedKeys(inventory: Inventory): (finding: Finding) => boolean {
  let byName: Map<string, PrincipalRecord> | undefined;
  return (finding) => {
    const key = finding.accessKey;
    if (key === null || finding.principal.type !== 'IAMUser') return false;
    byName ??= new Map(
      inventory.principals.filter((p) => p.type === 'IAMUser').map((p) => [p.name, p]),
    );
    const record = byName.get(finding.principal.name)?.accessKeys.find((k) => k.slot === key.slot);
    return record?.idUnknown === 'not-listed';
  };
}
