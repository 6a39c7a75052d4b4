import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createCallCounter } from '../lambdas/adapters/call-counter.js';
import { runAudit } from '../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../lambdas/core/config.js';
import type { ReminderRecord } from '../lambdas/core/reminders.js';
import type { Report } from '../lambdas/core/report.js';
import { createLiveAuditSources } from '../lambdas/sources/live/live-sources.js';
import type { ReminderLedger } from '../lambdas/use-cases/ports.js';
import { runKeyScan } from '../lambdas/use-cases/run-key-scan.js';
import { keyScanSources } from '../lambdas/use-cases/scan-sources.js';
import { createSyntheticAccount, type SyntheticAccount } from './iam-account.js';
import { formatNumber, formatRatio } from './stats.js';
import { trailWatchWorld } from './trail-watch-world.js';

/**
 * Part 2a: AWS API calls of the live IAM scans against the naive per-user scan (ListUsers, then
 * ListAccessKeys and ListUserTags per user and GetAccessKeyLastUsed per key), over the same mocked
 * account; calls are counted at the mocked clients (every `send`, IAM and STS). Measured:
 * - the live audit (CLI `credhealth audit` live, the on-demand audit Lambda, trail-watch): every
 *   key-holding user's keys are listed, because the incidents name a key seen in CloudTrail by
 *   its id; its IAM part is also what the key scan cost before it listed keys on demand;
 * - the same audit listing keys only for users with key findings (`keyIds: 'findings'`);
 * - the key scan's first run on an empty ledger (every reminder is owed);
 * - 30 more daily key scans with the ledger they write (calls per day: median and max), over
 *   the same account day after day: keys and passwords in use stay in use, nobody rotates a key,
 *   so keys age into the reminder window and past it.
 * CloudTrail and the workload logs are not read here (part 1 measures them): the audits read
 * the key scan's sources, which leave them out.
 * - one trail-watch run over a mocked hour of LookupEvents and Logs Insights with a few keys
 *   failing in the logs (`trail-watch-world.ts`): listing every key first (as before) against
 *   looking up only the keys the incidents need (as now), and the on-demand audit now; IAM and
 *   STS calls counted, and the incidents (and the on-demand report) checked to be the same.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;
const MONTH_DAYS = 30;
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** Key ids starting so belong to another account ({@link FOREIGN_ACCOUNT}) in the mocks. */
export const FOREIGN_KEY_PREFIX = 'AKIAEXAMPLEFOREIGN';
export const FOREIGN_ACCOUNT = '999988887777';

/** One measured scan. */
export interface ScanRun {
  readonly calls: number;
  readonly byOperation: Readonly<Record<string, number>>;
  readonly findings: number;
  /** Key scans: reminders that went out. */
  readonly reminded?: number;
}

export interface ScanCost {
  readonly users: number;
  readonly keys: number;
  readonly naiveCalls: number;
  readonly naiveByOperation: Readonly<Record<string, number>>;
  /** Users with at least one finding about an access key. */
  readonly usersWithKeyFindings: number;
  /** The live audit: every key-holding user's keys listed (also the key scan before). */
  readonly audit: ScanRun;
  /** The live audit with `keyIds: 'findings'`. */
  readonly auditKeyFindingsOnly: ScanRun;
  /** The key scan's first run, empty ledger. */
  readonly keyScanFirst: ScanRun;
  /** The next daily key scans, one a day, with the ledger they wrote. */
  readonly keyScanDaily: {
    readonly days: number;
    readonly medianCalls: number;
    readonly maxCalls: number;
    readonly medianReminded: number;
    readonly medianListAccessKeys: number;
    readonly calls: readonly number[];
  };
  /**
   * One trail-watch run (an hour of LookupEvents and Logs Insights, {@link FAILING_KEYS} keys
   * failing in the logs; see `trail-watch-world.ts`): IAM + STS calls only.
   */
  readonly trailWatch?: {
    /** As before: every key-holding user's keys listed first (`keyIds: 'all'`). */
    readonly before: ScanRun;
    /** As now: no finding key; the keys the incidents need looked up after the records. */
    readonly after: ScanRun;
    /** The on-demand audit and CLI live audit now (`keyIds: 'findings'`) over the same hour. */
    readonly onDemand: ScanRun;
    readonly incidents: number;
    /** The incidents of `after` and `onDemand` equal those of `before` (and the reports). */
    readonly sameIncidents: boolean;
  };
}

/** Keys failing in the workload logs of the trail-watch hour. */
export const FAILING_KEYS = 5;

export function mockedIam(account: SyntheticAccount, now: Date = NOW) {
  const iam = new IAMClient({ region: 'us-east-1', credentials: CREDENTIALS });
  const mock = mockClient(iam);
  const byName = new Map(account.users.map((user) => [user.name, user]));
  const byKey = new Map(
    account.users.flatMap((user) => user.keys.map((key) => [key.id, { user, key }] as const)),
  );
  mock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  mock.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(account.csv),
    ReportFormat: 'text/csv',
    GeneratedTime: new Date(now.getTime() - 3_600_000),
  });
  mock.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['bench'] });
  mock.on(GetAccountSummaryCommand).resolves({
    SummaryMap: {
      AccountMFAEnabled: 1,
      AccountAccessKeysPresent: 0,
      Users: account.users.length,
    },
  });
  mock.on(ListAccessKeysCommand).callsFake((input: { UserName?: string }) => {
    const user = byName.get(input.UserName ?? '');
    if (!user) throw Object.assign(new Error('no such user'), { name: 'NoSuchEntity' });
    return {
      AccessKeyMetadata: user.keys.map((key) => ({
        UserName: user.name,
        AccessKeyId: key.id,
        Status: key.active ? 'Active' : 'Inactive',
        CreateDate: key.created,
      })),
      IsTruncated: false,
    };
  });
  const page = <T>(items: readonly T[], marker: string | undefined, size: number) => {
    const start = marker === undefined ? 0 : Number(marker);
    const end = Math.min(items.length, start + size);
    return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
  };
  mock
    .on(GetAccountAuthorizationDetailsCommand)
    .callsFake((input: { Marker?: string; MaxItems?: number }) => {
      const { items, next } = page(account.users, input.Marker, input.MaxItems ?? 100);
      return {
        UserDetailList: items.map((user) => ({
          UserName: user.name,
          Arn: user.arn,
          UserId: `AIDA${user.name}`,
          CreateDate: user.created,
          Tags: [...user.tags],
        })),
        IsTruncated: next !== undefined,
        ...(next === undefined ? {} : { Marker: next }),
      };
    });
  mock.on(ListUsersCommand).callsFake((input: { Marker?: string; MaxItems?: number }) => {
    const { items, next } = page(account.users, input.Marker, input.MaxItems ?? 100);
    return {
      Users: items.map((user) => ({
        UserName: user.name,
        Arn: user.arn,
        UserId: `AIDA${user.name}`,
        Path: '/',
        CreateDate: user.created,
      })),
      IsTruncated: next !== undefined,
      ...(next === undefined ? {} : { Marker: next }),
    };
  });
  mock.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId?: string }) => {
    const found = byKey.get(input.AccessKeyId ?? '');
    // As IAM answers: another account's key is not ours to read, a deleted one does not exist.
    if (!found && input.AccessKeyId?.startsWith(FOREIGN_KEY_PREFIX))
      throw Object.assign(new Error('not authorized to perform: iam:GetAccessKeyLastUsed'), {
        name: 'AccessDenied',
      });
    if (!found)
      throw Object.assign(new Error('The Access Key cannot be found'), { name: 'NoSuchEntity' });
    return {
      UserName: found.user.name,
      AccessKeyLastUsed: found.key.lastUsed
        ? { LastUsedDate: found.key.lastUsed, ServiceName: 's3', Region: 'us-east-1' }
        : { ServiceName: 'N/A', Region: 'N/A' },
    };
  });
  mock.on(ListUserTagsCommand).callsFake((input: { UserName?: string }) => ({
    Tags: [...(byName.get(input.UserName ?? '')?.tags ?? [])],
    IsTruncated: false,
  }));
  return { iam, mock };
}

function tally(
  calls: readonly { args: readonly unknown[] }[],
  prefix: string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    const name = `${prefix}.${(call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, '')}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** Live sources over a freshly mocked account, as one Lambda invocation gets them. */
function liveSourcesFor(account: SyntheticAccount, now: Date) {
  const { iam, mock } = mockedIam(account, now);
  const sts = new STSClient({ region: 'us-east-1', credentials: CREDENTIALS });
  const stsMock = mockClient(sts);
  stsMock.on(GetCallerIdentityCommand).resolves({
    Account: account.accountId,
    Arn: 'arn:aws:iam::111122223333:user/bench',
    UserId: 'AIDABENCH',
  });
  const sources = createLiveAuditSources({
    iam,
    sts,
    cloudTrail: new CloudTrailClient({ region: 'us-east-1', credentials: CREDENTIALS }),
    s3: new S3Client({ region: 'us-east-1', credentials: CREDENTIALS }),
    logs: new CloudWatchLogsClient({ region: 'us-east-1', credentials: CREDENTIALS }),
    counter: createCallCounter(),
    region: 'us-east-1',
  });
  return {
    sources,
    calls: () => mock.calls().length + stsMock.calls().length,
    byOperation: () => ({ ...tally(mock.calls(), 'IAM'), ...tally(stsMock.calls(), 'STS') }),
  };
}

/** The live audit (streams left out), listing keys as `keyIds` says. */
async function liveAudit(account: SyntheticAccount, keyIds: 'all' | 'findings') {
  const live = liveSourcesFor(account, NOW);
  const report = await runAudit(keyScanSources(live.sources).sources, {
    config: DEFAULT_CONFIG,
    now: NOW,
    generatedAt: NOW,
    keyIds,
  });
  const usersWithKeyFindings = new Set(
    report.findings.filter((f) => f.accessKey !== null).map((f) => f.principal.name),
  ).size;
  const run: ScanRun = {
    calls: live.calls(),
    byOperation: live.byOperation(),
    findings: report.findings.length,
  };
  return { run, usersWithKeyFindings };
}

/** One trail-watch run's audit over the mocked hour, listing keys as `keyIds` says. */
async function trailWatchAudit(
  account: SyntheticAccount,
  keyIds: 'all' | 'findings' | (() => ReadonlySet<string>),
) {
  const world = trailWatchWorld(account, NOW, FAILING_KEYS);
  const report = await runAudit(world.sources, {
    config: DEFAULT_CONFIG,
    now: NOW,
    generatedAt: NOW,
    lookbackMs: 3_600_000,
    keyIds,
  });
  const byOperation = Object.fromEntries(
    Object.entries(world.byOperation()).filter(([op]) => /^(IAM|STS)\./.test(op)),
  );
  const run: ScanRun = { calls: world.iamCalls(), byOperation, findings: report.findings.length };
  return { run, report };
}

async function benchTrailWatch(account: SyntheticAccount): Promise<ScanCost['trailWatch']> {
  const before = await trailWatchAudit(account, 'all');
  const after = await trailWatchAudit(account, () => new Set());
  const onDemand = await trailWatchAudit(account, 'findings');
  const strip = (report: Report) => JSON.stringify({ ...report, sources: [] });
  return {
    before: before.run,
    after: after.run,
    onDemand: onDemand.run,
    incidents: before.report.incidents.length,
    sameIncidents:
      JSON.stringify(after.report.incidents) === JSON.stringify(before.report.incidents) &&
      strip(onDemand.report) === strip(before.report),
  };
}

/** A reminder ledger in memory, with the claim condition of the DynamoDB one. */
function memoryReminderLedger(): ReminderLedger {
  const records = new Map<string, ReminderRecord>();
  return {
    loadReminders: async () => new Map(records),
    claimReminder: async (record) => {
      const current = records.get(record.key);
      if (current !== undefined && current.rung >= record.rung) return false;
      records.set(record.key, record);
      return true;
    },
    confirmReminder: async (record) => {
      const current = records.get(record.key);
      if (current?.sentAt !== record.sentAt) return;
      const { pendingUntil: _pending, ...sent } = current;
      records.set(record.key, sent);
    },
    releaseReminder: async (record, previous) => {
      if (previous) records.set(record.key, previous);
      else records.delete(record.key);
    },
  };
}

/** One daily key scan at `now`, through the use case, with its own clients. */
async function keyScanOn(account: SyntheticAccount, ledger: ReminderLedger, now: Date) {
  const live = liveSourcesFor(account, now);
  const summary = await runKeyScan(
    {
      sources: live.sources,
      ledger,
      publish: async (messages) => ({ published: messages.length, failed: [] }),
      clock: { now: () => now },
    },
    DEFAULT_CONFIG,
  );
  const run: ScanRun = {
    calls: live.calls(),
    byOperation: live.byOperation(),
    findings: summary.findings,
    reminded: summary.reminded,
  };
  return run;
}

/** What a script that walks users one by one costs. */
async function naiveScan(account: SyntheticAccount) {
  const { iam, mock } = mockedIam(account);
  for await (const page of paginateListUsers({ client: iam }, {})) {
    for (const user of page.Users ?? []) {
      const keys = await iam.send(new ListAccessKeysCommand({ UserName: user.UserName }));
      for (const key of keys.AccessKeyMetadata ?? []) {
        await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
      }
      await iam.send(new ListUserTagsCommand({ UserName: user.UserName }));
    }
  }
  return { calls: mock.calls().length, byOperation: tally(mock.calls(), 'IAM') };
}

export async function benchScanCost(userCounts: readonly number[]): Promise<ScanCost[]> {
  const results: ScanCost[] = [];
  for (const users of userCounts) {
    const account = createSyntheticAccount(users, 7, NOW);
    const naive = await naiveScan(account);
    const audit = await liveAudit(account, 'all');
    const findingsOnly = await liveAudit(account, 'findings');
    const ledger = memoryReminderLedger();
    const first = await keyScanOn(account, ledger, NOW);
    const daily: ScanRun[] = [];
    for (let day = 1; day <= MONTH_DAYS; day += 1) {
      const now = new Date(NOW.getTime() + day * DAY_MS);
      daily.push(await keyScanOn(createSyntheticAccount(users, 7, NOW, now), ledger, now));
    }
    const dailyCalls = daily.map((run) => run.calls);
    const trailWatch = await benchTrailWatch(account);
    results.push({
      users,
      keys: account.users.reduce((n, user) => n + user.keys.length, 0),
      naiveCalls: naive.calls,
      naiveByOperation: naive.byOperation,
      usersWithKeyFindings: audit.usersWithKeyFindings,
      audit: audit.run,
      auditKeyFindingsOnly: findingsOnly.run,
      keyScanFirst: first,
      keyScanDaily: {
        days: MONTH_DAYS,
        medianCalls: median(dailyCalls),
        maxCalls: Math.max(...dailyCalls),
        medianReminded: median(daily.map((run) => run.reminded ?? 0)),
        medianListAccessKeys: median(
          daily.map((run) => run.byOperation['IAM.ListAccessKeys'] ?? 0),
        ),
        calls: dailyCalls,
      },
      trailWatch,
    });
  }
  return results;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The IAM tables of the bench output (run.ts prints them). */
export function renderScanCost(
  results: readonly ScanCost[],
  table: (headers: readonly string[], rows: readonly (readonly string[])[]) => string,
): string {
  // A results.json of an older bench has no such figures: nothing to print then.
  if (results.length === 0 || results.some((r) => r.keyScanDaily === undefined)) return '';
  const fewer = (naive: number, calls: number) =>
    `${formatNumber(calls)} (${formatRatio(naive / calls)})`;
  const lines = [
    '\n\nIAM scan cost: AWS API calls (IAM + STS) against the naive per-user scan; (×) = naive ÷ calls\n',
    table(
      [
        'users',
        'keys',
        'naive',
        'live audit, all keys listed (= key scan before)',
        'live audit, keys of key findings',
        'key scan, first run',
        `key scan, ${results[0]?.keyScanDaily.days ?? MONTH_DAYS} next days: median`,
        'max',
      ],
      results.map((r) => [
        formatNumber(r.users),
        formatNumber(r.keys),
        formatNumber(r.naiveCalls),
        fewer(r.naiveCalls, r.audit.calls),
        fewer(r.naiveCalls, r.auditKeyFindingsOnly.calls),
        fewer(r.naiveCalls, r.keyScanFirst.calls),
        fewer(r.naiveCalls, r.keyScanDaily.medianCalls),
        fewer(r.naiveCalls, r.keyScanDaily.maxCalls),
      ]),
    ),
    '\n\nListAccessKeys calls and reminders\n',
    table(
      [
        'users',
        'users with key findings',
        'audit, all',
        'audit, key findings',
        'key scan first run (reminders)',
        'key scan daily median (reminders)',
      ],
      results.map((r) => [
        formatNumber(r.users),
        formatNumber(r.usersWithKeyFindings),
        formatNumber(r.audit.byOperation['IAM.ListAccessKeys'] ?? 0),
        formatNumber(r.auditKeyFindingsOnly.byOperation['IAM.ListAccessKeys'] ?? 0),
        `${formatNumber(r.keyScanFirst.byOperation['IAM.ListAccessKeys'] ?? 0)} (${formatNumber(r.keyScanFirst.reminded ?? 0)})`,
        `${formatNumber(r.keyScanDaily.medianListAccessKeys)} (${formatNumber(r.keyScanDaily.medianReminded)})`,
      ]),
    ),
  ];
  if (results.every((r) => r.trailWatch !== undefined)) {
    lines.push(
      `\n\nTrail-watch run and live audit over an hour with ${FAILING_KEYS} keys failing in the logs: IAM + STS calls; (×) = naive ÷ calls\n`,
      table(
        [
          'users',
          'naive',
          'trail-watch before (all keys listed)',
          'trail-watch now',
          'of which GetAccessKeyLastUsed / ListAccessKeys',
          'on-demand / CLI live audit now',
          'incidents (same as before)',
          'trail-watch calls a day (96 runs): before → now',
        ],
        results.map((r) => {
          const t = r.trailWatch;
          if (!t) return [];
          return [
            formatNumber(r.users),
            formatNumber(r.naiveCalls),
            fewer(r.naiveCalls, t.before.calls),
            fewer(r.naiveCalls, t.after.calls),
            `${formatNumber(t.after.byOperation['IAM.GetAccessKeyLastUsed'] ?? 0)} / ${formatNumber(t.after.byOperation['IAM.ListAccessKeys'] ?? 0)}`,
            fewer(r.naiveCalls, t.onDemand.calls),
            `${formatNumber(t.incidents)} (${t.sameIncidents ? 'yes' : 'NO'})`,
            `${formatNumber(t.before.calls * 96)} → ${formatNumber(t.after.calls * 96)}`,
          ];
        }),
      ),
    );
  }
  return lines.join('');
}
