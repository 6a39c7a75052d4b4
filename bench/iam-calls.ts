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
import { createLiveAuditSources } from '../lambdas/sources/live/live-sources.js';
import { keyScanSources } from '../lambdas/use-cases/scan-sources.js';
import { createSyntheticAccount, type SyntheticAccount } from './iam-account.js';

/**
 * Part 2a: AWS API calls of a live key scan (the key-scan Lambda's sources: credential report,
 * key ids, users and tags, account summary and alias) against the naive per-user scan
 * (ListUsers, then ListAccessKeys and ListUserTags per user and GetAccessKeyLastUsed per key),
 * over the same mocked account. Calls are counted at the mocked clients (every `send`).
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

export interface ScanCost {
  readonly users: number;
  readonly keys: number;
  readonly liveCalls: number;
  readonly liveByOperation: Readonly<Record<string, number>>;
  readonly naiveCalls: number;
  readonly naiveByOperation: Readonly<Record<string, number>>;
  /** naive ÷ live. */
  readonly fewerBy: number;
  readonly findings: number;
  /** Users with at least one finding about an access key. */
  readonly usersWithKeyFindings: number;
  /**
   * A projection, not a measurement: the key scan's calls if ListAccessKeys were made only for
   * the users with key findings (the ones whose key ids a message names) instead of every user
   * whose report row shows a key.
   */
  readonly callsIfKeysListedOnlyForFindings: number;
}

function mockedIam(account: SyntheticAccount) {
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
    GeneratedTime: new Date(NOW.getTime() - 3_600_000),
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
    return {
      UserName: found?.user.name,
      AccessKeyLastUsed: found?.key.lastUsed
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

/** The live key scan: `runAudit` over the key-scan Lambda's sources. */
async function liveScan(account: SyntheticAccount) {
  const { iam, mock } = mockedIam(account);
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
  const report = await runAudit(keyScanSources(sources).sources, {
    config: DEFAULT_CONFIG,
    now: NOW,
    generatedAt: NOW,
  });
  const byOperation = { ...tally(mock.calls(), 'IAM'), ...tally(stsMock.calls(), 'STS') };
  const usersWithKeyFindings = new Set(
    report.findings.filter((f) => f.accessKey !== null).map((f) => f.principal.name),
  ).size;
  return {
    calls: mock.calls().length + stsMock.calls().length,
    byOperation,
    findings: report.findings.length,
    usersWithKeyFindings,
  };
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
    const live = await liveScan(account);
    const naive = await naiveScan(account);
    results.push({
      users,
      keys: account.users.reduce((n, user) => n + user.keys.length, 0),
      liveCalls: live.calls,
      liveByOperation: live.byOperation,
      naiveCalls: naive.calls,
      naiveByOperation: naive.byOperation,
      fewerBy: naive.calls / live.calls,
      findings: live.findings,
      usersWithKeyFindings: live.usersWithKeyFindings,
      callsIfKeysListedOnlyForFindings:
        live.calls - (live.byOperation['IAM.ListAccessKeys'] ?? 0) + live.usersWithKeyFindings,
    });
  }
  return results;
}
