import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CallCounter } from '../../adapters/call-counter.js';
import { type LookupEventsOptions, lookupEvents } from '../../adapters/cloudtrail-lookup.js';
import {
  accountLogRoot,
  canListTrailFolder,
  findOrganizationId,
  findTrail,
  readTrailLogs,
  type TrailLocation,
} from '../../adapters/cloudtrail-s3.js';
import {
  type CredentialReportOptions,
  fetchCredentialReport,
} from '../../adapters/iam-credential-report.js';
import {
  getAccountAlias,
  getAccountSummary,
  listAccessKeysFor,
  listUserDetails,
  lookUpAccessKeyOwner,
} from '../../adapters/iam-inventory.js';
import {
  type LogsQueryOptions,
  listLambdaLogGroups,
  MAX_GROUPS_PER_QUERY,
  queryCredentialErrors,
} from '../../adapters/logs-insights.js';
import type { Sleep } from '../../adapters/sleep.js';
import { createStreamStats, type StreamStats } from '../../adapters/stream-stats.js';
import { getAccessKeyAccount, getCallerIdentity } from '../../adapters/sts.js';
import { describeError } from '../../core/audit.js';
import { parseCredentialReport } from '../../core/credential-report.js';
import { RequiredSourceError } from '../../core/errors.js';
import type { AccessKeyMetadata, AccountSummary, IamUserDetail } from '../../core/inventory.js';
import { maskAccessKeyId } from '../../core/mask.js';
import type { SourceStatus } from '../../core/report.js';
import type {
  AccountInfo,
  AuditSources,
  CredentialReportInput,
  LogEntry,
  RecordStream,
  SourceResult,
  TimeWindow,
} from '../../core/sources.js';
import { type TimeBudget, TimeBudgetExceededError, withinBudget } from './time-budget.js';

/** `--cloudtrail`: where CloudTrail records come from. */
export type CloudTrailMode = 'auto' | 'lookup' | 's3';

/** What the live sources need: clients (one counter across them) and the reading choices. */
export interface LiveSourcesDeps {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly cloudTrail: CloudTrailClient;
  readonly s3: S3Client;
  readonly logs: CloudWatchLogsClient;
  /** The counter every client above counts into; each source reports its share. */
  readonly counter: CallCounter;
  /** The Region of the regional clients (CloudTrail, Logs, S3). */
  readonly region: string;
  /** The account id when already known (the CLI checks the credentials first). */
  readonly accountId?: string | null;
  /** @default 'auto': the trail's S3 files when a trail exists and they are readable, else LookupEvents. */
  readonly cloudTrailMode?: CloudTrailMode;
  /** Log groups to search besides the Lambda ones. @default [] */
  readonly logGroups?: readonly string[];
  /** Search every `/aws/lambda/*` group. @default true */
  readonly includeLambdaLogGroups?: boolean;
  /**
   * Regions whose trail folders are read. IAM and STS record their events in us-east-1, so a
   * multi-Region trail is read there too. @default [region, 'us-east-1'] for a multi-Region trail
   */
  readonly trailRegions?: readonly string[];
  /** Users a GetAccountAuthorizationDetails page. @default 1000 (the API's maximum) */
  readonly usersPageSize?: number;
  readonly credentialReport?: CredentialReportOptions;
  readonly lookup?: LookupEventsOptions;
  readonly logsQuery?: LogsQueryOptions;
  /**
   * Stop reading when this runs out (a Lambda's remaining time less a margin): every wait the
   * adapters make is bounded by it, an optional source not yet read is skipped, and a stream
   * stops and says in its status what part of the window it did not cover. Unbounded when absent.
   */
  readonly timeBudget?: TimeBudget;
}

/**
 * The AuditSources port over live AWS APIs. Reads only; each source says how many API calls
 * it made (`apiCalls`). `runAudit` reads the sources one after the other, so each source's
 * share is the counter's growth while it ran.
 */
export function createLiveAuditSources(deps: LiveSourcesDeps): AuditSources {
  const counted = async <T>(read: () => Promise<T>): Promise<{ value: T; apiCalls: number }> => {
    const before = deps.counter.total();
    const value = await read();
    return { value, apiCalls: deps.counter.total() - before };
  };

  let accountId: Promise<string | null> | undefined =
    deps.accountId === undefined ? undefined : Promise.resolve(deps.accountId);
  const knownAccountId = (): Promise<string | null> => {
    accountId ??= getCallerIdentity(deps.sts).then((identity) => identity.account || null);
    return accountId;
  };

  const budget = deps.timeBudget;
  /** An optional source is not started once the budget has run out. */
  const guard = (what: string): void => {
    if (budget?.expired()) throw new TimeBudgetExceededError(budget.deadline, `${what} not read`);
  };

  let report: Promise<CredentialReportInput> | undefined;
  const credentialReport = (): Promise<CredentialReportInput> => {
    report ??= counted(() =>
      fetchCredentialReport(deps.iam, budgeted(deps.credentialReport ?? {}, budget)),
    ).then(
      ({ value, apiCalls }) => ({
        csv: value.csv,
        generatedAt: value.generatedAt,
        detail: `IAM GetCredentialReport${value.generatedAt ? `, generated ${value.generatedAt.toISOString()}` : ''}`,
        apiCalls,
      }),
      (error: unknown) => {
        if (!(error instanceof TimeBudgetExceededError)) throw error;
        throw new RequiredSourceError(
          `IAM credential report not ready before the run's ${error.message}; the audit needs it, try again later`,
          { cause: error },
        );
      },
    );
    return report;
  };

  /** Keys listed during this run, by user: live, so they also confirm what still exists. */
  const listedKeys = new Map<string, AccessKeyMetadata[]>();
  const listKeys = async (userNames: readonly string[]) => {
    const wanted = userNames.filter((name) => !listedKeys.has(name));
    const listing = await listAccessKeysFor(deps.iam, wanted);
    for (const name of wanted) listedKeys.set(name, []);
    for (const key of listing.keys) listedKeys.get(key.UserName)?.push(key);
    return listing;
  };

  return {
    async account(): Promise<SourceResult<AccountInfo>> {
      guard('account');
      const { value, apiCalls } = await counted(async () => ({
        id: await knownAccountId(),
        alias: await getAccountAlias(deps.iam),
      }));
      return {
        status: 'ok',
        detail: 'STS GetCallerIdentity and IAM ListAccountAliases',
        value,
        apiCalls,
      };
    },

    credentialReport,

    async accessKeys(): Promise<SourceResult<readonly AccessKeyMetadata[]>> {
      guard('access keys');
      const { csv } = await credentialReport();
      const users = usersWithKeys(csv);
      const { value, apiCalls } = await counted(() => listKeys(users));
      const gone = value.missingUsers.length;
      return {
        status: 'ok',
        detail: `IAM ListAccessKeys for the ${users.length} users whose report row shows a key${
          gone > 0 ? ` (${gone} deleted since the report)` : ''
        }`,
        value: value.keys,
        apiCalls,
      };
    },

    async users(): Promise<SourceResult<readonly IamUserDetail[]>> {
      guard('users');
      const { value, apiCalls } = await counted(() =>
        listUserDetails(deps.iam, deps.usersPageSize),
      );
      return {
        status: 'ok',
        detail: `IAM GetAccountAuthorizationDetails (users and their tags): ${value.length} users`,
        value,
        apiCalls,
      };
    },

    async accountSummary(): Promise<SourceResult<AccountSummary>> {
      guard('account summary');
      const { value, apiCalls } = await counted(() => getAccountSummary(deps.iam));
      return { status: 'ok', detail: 'IAM GetAccountSummary', value, apiCalls };
    },

    async existingAccessKeyIds(
      userNames: readonly string[],
    ): Promise<SourceResult<ReadonlySet<string>>> {
      guard('key confirmation');
      const { apiCalls } = await counted(() => listKeys(userNames));
      const ids = new Set<string>();
      for (const name of userNames)
        for (const key of listedKeys.get(name) ?? []) ids.add(key.AccessKeyId);
      return {
        status: 'ok',
        detail: `IAM ListAccessKeys now, for the ${userNames.length} users with key findings`,
        value: ids,
        apiCalls,
      };
    },

    async accessKeysOf(
      userNames: readonly string[],
    ): Promise<SourceResult<readonly AccessKeyMetadata[]>> {
      guard('access keys');
      const { value, apiCalls } = await counted(() => listKeys(userNames));
      const wanted = new Set(userNames);
      const gone = value.missingUsers.filter((name) => wanted.has(name)).length;
      return {
        status: 'ok',
        detail: `IAM ListAccessKeys now, for the ${userNames.length} users whose findings need a key id${
          gone > 0 ? ` (${gone} deleted since the report)` : ''
        }`,
        value: userNames.flatMap((name) => listedKeys.get(name) ?? []),
        apiCalls,
      };
    },

    async accessKeyOwners(
      accessKeyIds: readonly string[],
    ): Promise<SourceResult<ReadonlyMap<string, string | null>>> {
      guard('key owners');
      const ours = await knownAccountId();
      const { value, apiCalls } = await counted(() =>
        findKeyOwners(deps.iam, deps.sts, accessKeyIds, ours),
      );
      const problems =
        value.failures.length > 0 ? `; not looked up: ${value.failures.join(', ')}` : '';
      const foreign =
        value.foreign.length > 0 ? `; keys of other accounts: ${value.foreign.join(', ')}` : '';
      return {
        status: value.failures.length > 0 ? 'degraded' : 'ok',
        detail: `IAM GetAccessKeyLastUsed for ${accessKeyIds.length} key id(s)${foreign}${problems}`,
        value: value.owners,
        apiCalls,
      };
    },

    cloudTrail(window: TimeWindow): RecordStream<unknown> {
      return countedStream('cloudtrail', deps.counter, (stats, describe, degrade) =>
        cloudTrailRecords(deps, window, stats, describe, degrade, knownAccountId),
      );
    },

    workloadLogs(window: TimeWindow): RecordStream<LogEntry> {
      return countedStream('workload-logs', deps.counter, (stats, describe, degrade) =>
        logRecords(deps, window, stats, describe, degrade),
      );
    },
  };
}

/** What {@link findKeyOwners} found: an owner (or null) per id it could settle. */
interface KeyOwners {
  readonly owners: Map<string, string | null>;
  /** Masked ids of other accounts, with the account. */
  readonly foreign: string[];
  /** Masked ids that could not be looked up, with why. */
  readonly failures: string[];
}

/**
 * GetAccessKeyLastUsed for each id, a few at a time. NoSuchEntity is "no key of ours" (null);
 * AccessDenied is only that when `sts:GetAccessKeyInfo` names another account: for a key of
 * this account it means the permission is missing, and the id stays unresolved (never dropped).
 */
async function findKeyOwners(
  iam: IAMClient,
  sts: STSClient,
  accessKeyIds: readonly string[],
  ourAccount: string | null,
  concurrency = 4,
): Promise<KeyOwners> {
  const result: KeyOwners = { owners: new Map(), foreign: [], failures: [] };
  const accountOf = async (id: string): Promise<string | null> => {
    try {
      return await getAccessKeyAccount(sts, id);
    } catch {
      return null;
    }
  };
  const settle = async (id: string): Promise<void> => {
    try {
      const found = await lookUpAccessKeyOwner(iam, id);
      if (found.kind === 'user') {
        result.owners.set(id, found.userName);
        return;
      }
      const account = await accountOf(id);
      const elsewhere = account !== null && ourAccount !== null && account !== ourAccount;
      if (elsewhere) result.foreign.push(`${maskAccessKeyId(id)} (account ${account})`);
      if (found.kind === 'not-found' || elsewhere) {
        result.owners.set(id, null);
        return;
      }
      result.failures.push(
        `${maskAccessKeyId(id)} (${found.message}; is iam:GetAccessKeyLastUsed allowed?)`,
      );
    } catch (error) {
      result.failures.push(`${maskAccessKeyId(id)} (${describeError(error)})`);
    }
  };
  const queue = [...new Set(accessKeyIds)].sort();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const id = queue[next];
      next += 1;
      if (id !== undefined) await settle(id);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker),
  );
  result.foreign.sort();
  result.failures.sort();
  return result;
}

/** Users (not root: its keys are not listed by user name) whose report row holds a key. */
function usersWithKeys(csv: string): string[] {
  return parseCredentialReport(csv)
    .filter(
      (row) =>
        !row.isRoot && row.accessKeys.some((key) => key.active || key.lastRotated.state === 'date'),
    )
    .map((row) => row.user);
}

type Describe = (detail: string, status?: 'ok' | 'degraded' | 'missing') => void;
/** Marks a stream degraded with a note on what it did not cover. */
type Degrade = (note: string) => void;

/** The adapter options with every wait bounded by the budget. */
function budgeted<T extends { readonly sleep?: Sleep }>(
  options: T,
  budget: TimeBudget | undefined,
): T {
  if (budget === undefined) return options;
  return { ...options, sleep: budget.sleep };
}

/** A RecordStream whose status carries the stats and the API calls made while it was read. */
function countedStream<T>(
  name: string,
  counter: CallCounter,
  produce: (stats: StreamStats, describe: Describe, degrade: Degrade) => AsyncGenerator<T>,
): RecordStream<T> {
  const stats = createStreamStats();
  let detail = 'not read';
  let state: SourceStatus['status'] = 'ok';
  let apiCalls = 0;
  return {
    name,
    async *records(): AsyncGenerator<T> {
      const before = counter.total();
      try {
        yield* produce(
          stats,
          (text, status) => {
            detail = text;
            if (status) state = status;
          },
          (note) => {
            stats.notes.push(note);
            if (state === 'ok') state = 'degraded';
          },
        );
      } finally {
        apiCalls = counter.total() - before;
      }
    },
    status(): SourceStatus {
      const notes = stats.notes.length > 0 ? `; ${stats.notes.join('; ')}` : '';
      return {
        name,
        status: state === 'ok' && stats.skipped > 0 ? 'degraded' : state,
        detail: `${detail}${notes}`,
        itemsRead: stats.records,
        ...(stats.skipped > 0 ? { itemsSkipped: stats.skipped } : {}),
        apiCalls,
      };
    },
  };
}

async function* cloudTrailRecords(
  deps: LiveSourcesDeps,
  window: TimeWindow,
  stats: StreamStats,
  describe: Describe,
  degrade: Degrade,
  knownAccountId: () => Promise<string | null>,
): AsyncGenerator<unknown> {
  const mode = deps.cloudTrailMode ?? 'auto';
  const budget = deps.timeBudget;
  let why = '';
  if (budget?.expired()) {
    describe('CloudTrail not read');
    degrade('time budget ran out before CloudTrail was read: the whole window was not covered');
    return;
  }
  if (mode !== 'lookup') {
    const choice = await chooseTrail(deps, knownAccountId);
    if (choice.trail && choice.root) {
      const regions = deps.trailRegions ?? trailRegions(choice.trail, deps.region);
      describe(
        `S3 log files of trail ${choice.trail.name} (s3://${choice.trail.bucket}/${choice.root}CloudTrail/{${regions.join(',')}}/…)`,
      );
      yield* withinBudget(
        readTrailLogs(
          deps.s3,
          { bucket: choice.trail.bucket, root: choice.root, regions, window },
          stats,
        ),
        budget,
        (stop, read) =>
          degrade(
            `${stop} after ${read} records from ${stats.units} log files: any later files of the window were not read`,
          ),
      );
      describe(
        `${stats.units} S3 log files of trail ${choice.trail.name} (s3://${choice.trail.bucket}/${choice.root}), Regions ${regions.join(', ')}`,
      );
      return;
    }
    if (mode === 's3') {
      describe(`--cloudtrail s3: ${choice.reason}`, 'missing');
      return;
    }
    why = ` (${choice.reason})`;
  }
  describe(`CloudTrail LookupEvents in ${deps.region}${why}`);
  let oldest: string | undefined;
  const lookup = budget
    ? { clock: budget.clock, ...deps.lookup, sleep: budget.sleep }
    : (deps.lookup ?? {});
  for await (const record of withinBudget(
    lookupEvents(deps.cloudTrail, window, stats, lookup),
    budget,
    (stop, read) =>
      degrade(
        `${stop} after ${read} events in ${stats.units} pages: events from ${window.start.toISOString()} to ${oldest ?? window.end.toISOString()} were not read (LookupEvents returns the newest first)`,
      ),
  )) {
    oldest = eventTimeOf(record) ?? oldest;
    yield record;
  }
  describe(
    `CloudTrail LookupEvents in ${deps.region}, ${stats.units} pages${why}; management events only, IAM/STS events are in us-east-1`,
  );
}

function eventTimeOf(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const time = (record as { eventTime?: unknown }).eventTime;
  return typeof time === 'string' ? time : undefined;
}

async function chooseTrail(
  deps: LiveSourcesDeps,
  knownAccountId: () => Promise<string | null>,
): Promise<{ trail?: TrailLocation; root?: string; reason: string }> {
  const trail = await findTrail(deps.cloudTrail, deps.region);
  if (!trail) return { reason: `no trail delivers ${deps.region} events to S3` };
  const accountId = await knownAccountId();
  if (!accountId) return { reason: 'the account id is unknown, so the trail folder is too' };
  let organizationId: string | null = null;
  if (trail.isOrganizationTrail) {
    try {
      organizationId = await findOrganizationId(deps.s3, trail.bucket, trail.keyPrefix);
    } catch (error) {
      return { reason: `trail ${trail.name}'s bucket cannot be listed: ${describeError(error)}` };
    }
  }
  const root = accountLogRoot(trail.keyPrefix, organizationId, accountId);
  if (!(await canListTrailFolder(deps.s3, trail.bucket, root))) {
    return {
      reason: `trail ${trail.name}'s bucket ${trail.bucket} is not readable with these credentials`,
    };
  }
  return { trail, root, reason: '' };
}

function trailRegions(trail: TrailLocation, region: string): string[] {
  if (!trail.isMultiRegion) return [trail.homeRegion ?? region];
  return [...new Set([region, 'us-east-1'])];
}

async function* logRecords(
  deps: LiveSourcesDeps,
  window: TimeWindow,
  stats: StreamStats,
  describe: Describe,
  degrade: Degrade,
): AsyncGenerator<LogEntry> {
  const budget = deps.timeBudget;
  if (budget?.expired()) {
    describe('workload logs not read');
    degrade('time budget ran out before the workload logs were read: no log group was queried');
    return;
  }
  const lambdaGroups =
    deps.includeLambdaLogGroups === false ? [] : await listLambdaLogGroups(deps.logs);
  const groups = [...new Set([...lambdaGroups, ...(deps.logGroups ?? [])])];
  if (groups.length === 0) {
    describe(`no Lambda log groups in ${deps.region} and no --log-groups given`, 'missing');
    return;
  }
  const what = `${lambdaGroups.length} Lambda log groups${
    deps.logGroups?.length ? ` and ${deps.logGroups.length} named groups` : ''
  } in ${deps.region}`;
  describe(`Logs Insights over ${what}`);
  yield* withinBudget(
    queryCredentialErrors(deps.logs, groups, window, stats, budgeted(deps.logsQuery ?? {}, budget)),
    budget,
    (stop) => {
      const queried = Math.min(groups.length, stats.units * MAX_GROUPS_PER_QUERY);
      degrade(
        `${stop}: ${groups.length - queried} of ${groups.length} log groups were not queried${
          queried > 0 ? ' (the batch being read when it ran out may be incomplete)' : ''
        }`,
      );
    },
  );
  describe(`Logs Insights over ${what}, ${stats.units} queries`);
}
