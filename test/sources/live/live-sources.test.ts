import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
} from '@aws-sdk/client-iam';
import { ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCallCounter } from '../../../lambdas/adapters/call-counter.js';
import type { RecordStream } from '../../../lambdas/core/sources.js';
import {
  createLiveAuditSources,
  type LiveSourcesDeps,
} from '../../../lambdas/sources/live/live-sources.js';

/** The live sources' choices (which users to list, which CloudTrail path), with mocked clients. */

const iamMock = mockClient(IAMClient);
const ctMock = mockClient(CloudTrailClient);
const s3Mock = mockClient(S3Client);
const logsMock = mockClient(CloudWatchLogsClient);
const stsMock = mockClient(STSClient);

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const row = (user: string, key1: string, key1Active: boolean) =>
  `${user},arn:aws:iam::123456789012:user/${user},2026-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,${key1Active},${key1},N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
const CSV = [
  HEADER,
  '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,true,true,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  row('no-keys', 'N/A', false),
  row('active-key', '2026-02-01T00:00:00+00:00', true),
  row('inactive-key', '2026-03-01T00:00:00+00:00', false),
].join('\n');
const WINDOW = { start: new Date('2026-11-19T12:00:00Z'), end: new Date('2026-11-20T12:00:00Z') };

function deps(overrides: Partial<LiveSourcesDeps> = {}): LiveSourcesDeps {
  return {
    iam: new IAMClient({}),
    sts: new STSClient({}),
    cloudTrail: new CloudTrailClient({}),
    s3: new S3Client({}),
    logs: new CloudWatchLogsClient({}),
    counter: createCallCounter(),
    region: 'eu-west-1',
    accountId: '123456789012',
    lookup: { sleep: async () => {}, clock: () => 0 },
    ...overrides,
  };
}

async function drain<T>(stream: RecordStream<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream.records()) items.push(item);
  return items;
}

describe('createLiveAuditSources', () => {
  beforeEach(() => {
    for (const mock of [iamMock, ctMock, s3Mock, logsMock, stsMock]) mock.reset();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .resolves({ Content: new TextEncoder().encode(CSV), GeneratedTime: WINDOW.end });
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
  });

  it('lists access keys only for users whose report row shows a key, never for root', async () => {
    // Prepare
    const sources = createLiveAuditSources(deps());
    await sources.credentialReport();

    // Act
    const keys = await sources.accessKeys();

    // Assess
    expect(keys.status).toBe('ok');
    expect(iamMock).toHaveReceivedCommandTimes(ListAccessKeysCommand, 2);
    expect(iamMock).toHaveReceivedCommandWith(ListAccessKeysCommand, { UserName: 'active-key' });
    expect(iamMock).toHaveReceivedCommandWith(ListAccessKeysCommand, { UserName: 'inactive-key' });
    expect(keys.detail).toContain('the 2 users whose report row shows a key');
  });

  it('confirms keys with ListAccessKeys only for users not listed in this run', async () => {
    iamMock.on(ListAccessKeysCommand, { UserName: 'late' }).resolves({
      AccessKeyMetadata: [
        {
          UserName: 'late',
          AccessKeyId: 'AKIA2DEMO0003EXAMPLE',
          Status: 'Active',
          CreateDate: WINDOW.start,
        },
      ],
    });
    const sources = createLiveAuditSources(deps());
    await sources.accessKeys();

    const existing = await sources.existingAccessKeyIds?.(['active-key', 'late']);

    expect(existing?.status === 'ok' ? [...existing.value] : null).toEqual([
      'AKIA2DEMO0003EXAMPLE',
    ]);
    expect(iamMock).toHaveReceivedCommandTimes(ListAccessKeysCommand, 3);
  });

  it('lists the keys of the named users only, and says which users are gone', async () => {
    // Prepare
    iamMock.on(ListAccessKeysCommand, { UserName: 'active-key' }).resolves({
      AccessKeyMetadata: [
        {
          UserName: 'active-key',
          AccessKeyId: 'AKIAEXAMPLEW7X8Y9Z0A',
          Status: 'Inactive',
          CreateDate: new Date('2026-02-01T00:00:00Z'),
        },
      ],
    });
    iamMock
      .on(ListAccessKeysCommand, { UserName: 'gone' })
      .rejects(Object.assign(new Error('The user cannot be found.'), { name: 'NoSuchEntity' }));
    const sources = createLiveAuditSources(deps());
    // Act
    const keys = await sources.accessKeysOf?.(['active-key', 'gone']);
    // Assess
    expect(iamMock).toHaveReceivedCommandTimes(ListAccessKeysCommand, 2);
    expect(keys?.status === 'ok' ? keys.value.map((k) => [k.AccessKeyId, k.Status]) : null).toEqual(
      [['AKIAEXAMPLEW7X8Y9Z0A', 'Inactive']],
    );
    expect(keys?.detail).toContain('for the 2 users whose findings need a key id (1 deleted');
  });

  it('falls back to LookupEvents in auto mode when the trail bucket is not readable, and says why', async () => {
    ctMock.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: 'main',
          S3BucketName: 'locked',
          HomeRegion: 'eu-west-1',
          IsMultiRegionTrail: true,
          TrailARN: 'arn:main',
        },
      ],
    });
    ctMock.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    s3Mock.on(ListObjectsV2Command).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'Access Denied',
        $metadata: {},
      }),
    );
    ctMock
      .on(LookupEventsCommand)
      .resolves({ Events: [{ CloudTrailEvent: '{"eventName":"ConsoleLogin"}' }] });
    const stream = createLiveAuditSources(deps()).cloudTrail(WINDOW);

    const records = await drain(stream);

    expect(records).toEqual([{ eventName: 'ConsoleLogin' }]);
    expect(stream.status()).toMatchObject({ name: 'cloudtrail', status: 'ok', itemsRead: 1 });
    expect(stream.status().detail).toContain(
      "trail main's bucket locked is not readable with these credentials",
    );
  });

  it('asks STS for the account id once a run: the account source and the trail stream share it', async () => {
    // Prepare
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
    ctMock.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: 'main',
          S3BucketName: 'locked',
          HomeRegion: 'eu-west-1',
          IsMultiRegionTrail: true,
          TrailARN: 'arn:main',
        },
      ],
    });
    ctMock.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    ctMock.on(LookupEventsCommand).resolves({ Events: [] });
    const { accountId: _known, ...unknownAccount } = deps();
    const sources = createLiveAuditSources(unknownAccount);

    // Act
    const account = await sources.account();
    await drain(sources.cloudTrail(WINDOW));

    // Assess
    expect(account).toMatchObject({ value: { id: '123456789012' } });
    expect(stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: expect.stringContaining('AWSLogs/123456789012/'),
    });
  });

  it('uses LookupEvents without looking for a trail in lookup mode', async () => {
    ctMock.on(LookupEventsCommand).resolves({ Events: [] });

    await drain(createLiveAuditSources(deps({ cloudTrailMode: 'lookup' })).cloudTrail(WINDOW));

    expect(ctMock).toHaveReceivedCommandTimes(DescribeTrailsCommand, 0);
    expect(ctMock).toHaveReceivedCommandTimes(LookupEventsCommand, 1);
  });

  it('reports workload logs as missing when there is no log group to search', async () => {
    logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    const stream = createLiveAuditSources(deps()).workloadLogs(WINDOW);

    await drain(stream);

    expect(stream.status()).toMatchObject({ status: 'missing', itemsRead: 0 });
    expect(stream.status().detail).toBe(
      'no Lambda log groups in eu-west-1 and no --log-groups given',
    );
  });
});
