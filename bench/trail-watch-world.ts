import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { GetAccessKeyInfoCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createCallCounter } from '../lambdas/adapters/call-counter.js';
import type { AuditSources } from '../lambdas/core/sources.js';
import { createLiveAuditSources } from '../lambdas/sources/live/live-sources.js';
import type { SyntheticAccount, SyntheticUser } from './iam-account.js';
import { FOREIGN_ACCOUNT, FOREIGN_KEY_PREFIX, mockedIam } from './iam-calls.js';

/**
 * A mocked account as trail-watch sees it for one run: IAM (the synthetic account), STS, an
 * hour of CloudTrail event history (LookupEvents) and the workload log lines of the hour (Logs
 * Insights). The hour holds ordinary signed calls by 50 key-holding users, three users denied
 * often enough to make access-denied incidents, one key deactivated soon after its last use, one
 * quarantined user, and `failingKeys` keys failing in the logs: the account's inactive and
 * active keys, another account's key and a deleted key, in turn. Calls are counted per client.
 */
export interface TrailWatchWorld {
  readonly sources: AuditSources;
  /** IAM and STS calls made so far. */
  iamCalls(): number;
  /** Every call by operation (`IAM.ListAccessKeys`, `CloudTrail.LookupEvents`, …). */
  byOperation(): Record<string, number>;
  /** The IAM mock, for a test to make a call fail. */
  readonly iamMock: ReturnType<typeof mockedIam>['mock'];
}

const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const MINUTE = 60_000;
const LOG_GROUP = '/app/payments';

export function trailWatchWorld(
  account: SyntheticAccount,
  now: Date,
  failingKeys: number,
): TrailWatchWorld {
  const { iam, mock } = mockedIam(account, now);
  const sts = new STSClient({ region: 'us-east-1', credentials: CREDENTIALS });
  const stsMock = mockClient(sts);
  stsMock.on(GetCallerIdentityCommand).resolves({
    Account: account.accountId,
    Arn: `arn:aws:iam::${account.accountId}:role/trail-watch`,
    UserId: 'AROATRAILWATCH',
  });
  stsMock.on(GetAccessKeyInfoCommand).callsFake((input: { AccessKeyId?: string }) => ({
    Account: input.AccessKeyId?.startsWith(FOREIGN_KEY_PREFIX)
      ? FOREIGN_ACCOUNT
      : account.accountId,
  }));

  const { records, logLines } = scenario(account, now, failingKeys);
  const cloudTrail = new CloudTrailClient({ region: 'us-east-1', credentials: CREDENTIALS });
  const trailMock = mockClient(cloudTrail);
  trailMock.on(LookupEventsCommand).resolves({
    Events: records.map((record) => ({
      EventId: String(record['eventID']),
      EventName: String(record['eventName']),
      EventTime: new Date(String(record['eventTime'])),
      CloudTrailEvent: JSON.stringify(record),
    })),
  });
  const logs = new CloudWatchLogsClient({ region: 'us-east-1', credentials: CREDENTIALS });
  const logsMock = mockClient(logs);
  logsMock.on(StartQueryCommand).resolves({ queryId: 'query-1' });
  logsMock.on(GetQueryResultsCommand).resolves({
    status: 'Complete',
    results: logLines.map((line) => [
      { field: '@timestamp', value: line.time.toISOString().replace('T', ' ').replace('Z', '') },
      { field: '@log', value: `${account.accountId}:${LOG_GROUP}` },
      { field: '@logStream', value: '2026/11/20/[$LATEST]0001' },
      { field: '@message', value: line.message },
    ]),
  });
  const noWait = async (): Promise<void> => {};
  const sources = createLiveAuditSources({
    iam,
    sts,
    cloudTrail,
    s3: new S3Client({ region: 'us-east-1', credentials: CREDENTIALS }),
    logs,
    counter: createCallCounter(),
    region: 'us-east-1',
    cloudTrailMode: 'lookup',
    includeLambdaLogGroups: false,
    logGroups: [LOG_GROUP],
    lookup: { sleep: noWait },
    logsQuery: { sleep: noWait, pollIntervalMs: 0 },
  });
  const name = (call: { args: readonly unknown[] }) =>
    (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, '');
  return {
    sources,
    iamMock: mock,
    iamCalls: () => mock.calls().length + stsMock.calls().length,
    byOperation: () => {
      const counts: Record<string, number> = {};
      const add = (prefix: string, calls: readonly { args: readonly unknown[] }[]) => {
        for (const call of calls) {
          const key = `${prefix}.${name(call)}`;
          counts[key] = (counts[key] ?? 0) + 1;
        }
      };
      add('IAM', mock.calls());
      add('STS', stsMock.calls());
      add('CloudTrail', trailMock.calls());
      add('Logs', logsMock.calls());
      return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
    },
  };
}

type TrailRecord = Record<string, unknown>;

/** The hour before `now`: records for LookupEvents and lines for Logs Insights. */
function scenario(account: SyntheticAccount, now: Date, failingKeys: number) {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MINUTE);
  const holders = account.users.filter((user) => user.keys.length > 0);
  const records: TrailRecord[] = [];
  let sequence = 0;
  const call = (
    user: SyntheticUser,
    keyId: string,
    time: Date,
    extra: Partial<TrailRecord> = {},
  ): TrailRecord => {
    sequence += 1;
    return {
      eventVersion: '1.08',
      userIdentity: {
        type: 'IAMUser',
        principalId: `AIDA${sequence}`,
        arn: user.arn,
        accountId: account.accountId,
        accessKeyId: keyId,
        userName: user.name,
      },
      eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      eventID: `event-${sequence}`,
      eventType: 'AwsApiCall',
      recipientAccountId: account.accountId,
      ...extra,
    };
  };
  // Ordinary signed calls.
  for (const [index, user] of holders.slice(0, 50).entries()) {
    const key = user.keys[0];
    if (!key) continue;
    for (let i = 0; i < 20; i += 1) records.push(call(user, key.id, at(((index + i) % 55) + 1)));
  }
  // Three users denied often: access-denied incidents whose owner is the user itself.
  for (const user of holders.slice(50, 53)) {
    const key = user.keys[0];
    if (!key) continue;
    for (let i = 0; i < 12; i += 1)
      records.push(
        call(user, key.id, at(i + 2), { errorCode: 'AccessDenied', errorMessage: 'denied' }),
      );
  }
  // A key deactivated minutes after its last use.
  const revoked = holders[53];
  const revokedKey = revoked?.keys[0];
  if (revoked && revokedKey) {
    records.push(call(revoked, revokedKey.id, at(30)));
    records.push(
      call(revoked, revokedKey.id, at(20), {
        eventSource: 'iam.amazonaws.com',
        eventName: 'UpdateAccessKey',
        requestParameters: {
          userName: revoked.name,
          accessKeyId: revokedKey.id,
          status: 'Inactive',
        },
      }),
    );
  }
  // A quarantined user.
  const quarantined = holders[54];
  if (quarantined) {
    sequence += 1;
    records.push({
      eventVersion: '1.08',
      userIdentity: { type: 'AWSService', invokedBy: 'iam.amazonaws.com' },
      eventTime: at(15)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachUserPolicy',
      awsRegion: 'us-east-1',
      eventID: `event-${sequence}`,
      eventType: 'AwsApiCall',
      recipientAccountId: account.accountId,
      requestParameters: {
        userName: quarantined.name,
        policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
      },
    });
  }
  // Keys failing in the workload logs, six lines each.
  const inactive = holders.flatMap((user) => user.keys.filter((key) => !key.active));
  const active = holders.slice(60).flatMap((user) => user.keys.filter((key) => key.active));
  const failing: string[] = [];
  for (let i = 0; i < failingKeys; i += 1) {
    const kind = i % 4;
    const nth = Math.floor(i / 4);
    const id =
      kind === 0
        ? inactive[nth]?.id
        : kind === 1
          ? active[nth]?.id
          : kind === 2
            ? `${FOREIGN_KEY_PREFIX}${String(nth).padStart(2, '0')}`
            : `AKIAEXAMPLEDELETED${String(nth).padStart(2, '0')}`;
    if (id) failing.push(id);
  }
  const logLines = failing.flatMap((id, index) =>
    Array.from({ length: 6 }, (_, i) => ({
      time: at(index + i + 1),
      message: `ERROR InvalidClientTokenId: The security token included in the request is invalid. (Service: Sts, Status Code: 403) accessKeyId=${id}`,
    })),
  );
  return { records, logLines };
}
