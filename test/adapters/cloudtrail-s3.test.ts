import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  accountLogRoot,
  dayPrefixes,
  fileMayHoldWindow,
  findOrganizationId,
  findTrail,
  readTrailLogs,
} from '../../lambdas/adapters/cloudtrail-s3.js';
import { createStreamStats } from '../../lambdas/adapters/stream-stats.js';

const ctMock = mockClient(CloudTrailClient);
const s3Mock = mockClient(S3Client);
const WINDOW = { start: new Date('2026-11-19T12:00:00Z'), end: new Date('2026-11-20T12:00:00Z') };

describe('trail paths', () => {
  it('builds the account folder with the prefix, and the organization id for an organization trail', () => {
    expect(accountLogRoot(null, null, '123456789012')).toBe('AWSLogs/123456789012/');
    expect(accountLogRoot('audit/ct', 'o-a1b2c3d4e5', '123456789012')).toBe(
      'audit/ct/AWSLogs/o-a1b2c3d4e5/123456789012/',
    );
  });

  it('lists the day folders of the window, plus the next day when files of its last minutes land there', () => {
    const nearMidnight = {
      start: new Date('2026-11-19T23:00:00Z'),
      end: new Date('2026-11-20T23:50:00Z'),
    };

    expect(dayPrefixes('AWSLogs/123456789012/', 'eu-west-1', WINDOW)).toEqual([
      'AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/19/',
      'AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/20/',
    ]);
    expect(dayPrefixes('r/', 'us-east-1', nearMidnight).at(-1)).toBe(
      'r/CloudTrail/us-east-1/2026/11/21/',
    );
  });

  it('keeps files stamped inside the window or up to 30 minutes after it', () => {
    const name = (stamp: string) =>
      `x/123456789012_CloudTrail_eu-west-1_${stamp}_WZZw1RymnjCRjxXc.json.gz`;

    expect(fileMayHoldWindow(name('20261119T1155Z'), WINDOW)).toBe(false);
    expect(fileMayHoldWindow(name('20261119T1200Z'), WINDOW)).toBe(true);
    expect(fileMayHoldWindow(name('20261120T1230Z'), WINDOW)).toBe(true);
    expect(fileMayHoldWindow(name('20261120T1231Z'), WINDOW)).toBe(false);
    expect(fileMayHoldWindow('x/unusual-name.json.gz', WINDOW)).toBe(true);
  });
});

describe('findTrail', () => {
  beforeEach(() => {
    ctMock.reset();
  });

  it('prefers a logging multi-Region trail and skips single-Region trails of other Regions', async () => {
    // Prepare
    ctMock.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: 'other-region',
          S3BucketName: 'b1',
          HomeRegion: 'us-west-2',
          IsMultiRegionTrail: false,
        },
        {
          Name: 'stopped',
          S3BucketName: 'b2',
          HomeRegion: 'eu-west-1',
          IsMultiRegionTrail: true,
          TrailARN: 'arn:stopped',
        },
        {
          Name: 'org',
          S3BucketName: 'org-bucket',
          S3KeyPrefix: 'ct/',
          HomeRegion: 'us-east-1',
          IsMultiRegionTrail: true,
          IsOrganizationTrail: true,
          TrailARN: 'arn:org',
        },
      ],
    });
    ctMock.on(GetTrailStatusCommand, { Name: 'arn:stopped' }).resolves({ IsLogging: false });
    ctMock
      .on(GetTrailStatusCommand, { Name: 'arn:org' })
      .rejects(Object.assign(new Error('not yours'), { name: 'TrailNotFoundException' }));

    // Act
    const trail = await findTrail(new CloudTrailClient({}), 'eu-west-1');

    // Assess
    expect(trail).toEqual({
      name: 'org',
      bucket: 'org-bucket',
      keyPrefix: 'ct',
      homeRegion: 'us-east-1',
      isMultiRegion: true,
      isOrganizationTrail: true,
      isLogging: null,
    });
    expect(ctMock).toHaveReceivedCommandWith(DescribeTrailsCommand, { includeShadowTrails: true });
  });

  it('is null when no trail covers the Region', async () => {
    ctMock.on(DescribeTrailsCommand).resolves({ trailList: [] });

    expect(await findTrail(new CloudTrailClient({}), 'eu-west-1')).toBeNull();
  });
});

describe('organization trails in S3', () => {
  beforeEach(() => {
    s3Mock.reset();
  });

  it('finds the organization id among the AWSLogs folders', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({
      CommonPrefixes: [
        { Prefix: 'ct/AWSLogs/123456789012/' },
        { Prefix: 'ct/AWSLogs/o-a1b2c3d4e5/' },
      ],
    });

    expect(await findOrganizationId(new S3Client({}), 'org-bucket', 'ct')).toBe('o-a1b2c3d4e5');
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: 'ct/AWSLogs/',
      Delimiter: '/',
    });
  });

  it('streams each gzipped file of an organization trail folder and yields its records in the window', async () => {
    const root = accountLogRoot('ct', 'o-a1b2c3d4e5', '123456789012');
    const key = `${root}CloudTrail/eu-west-1/2026/11/20/123456789012_CloudTrail_eu-west-1_20261120T0905Z_AbCdEfGhIjKlMnOp.json.gz`;
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3Mock
      .on(ListObjectsV2Command, { Prefix: `${root}CloudTrail/eu-west-1/2026/11/20/` })
      .resolves({ Contents: [{ Key: key }] });
    const gz = gzipSync(
      JSON.stringify({
        Records: [
          { eventName: 'ConsoleLogin', eventTime: '2026-11-20T09:00:00Z' },
          { eventName: 'Old', eventTime: '2026-11-18T09:00:00Z' },
        ],
      }),
    );
    // In Node the SDK's Body is a Readable (IncomingMessage); a plain one stands in for it.
    s3Mock
      .on(GetObjectCommand, { Key: key })
      .resolves({ Body: Readable.from([gz]) as GetObjectCommandOutput['Body'] });
    const stats = createStreamStats();

    const records: unknown[] = [];
    for await (const record of readTrailLogs(
      new S3Client({}),
      { bucket: 'org-bucket', root, regions: ['eu-west-1'], window: WINDOW },
      stats,
    )) {
      records.push(record);
    }

    expect(records).toEqual([{ eventName: 'ConsoleLogin', eventTime: '2026-11-20T09:00:00Z' }]);
    expect(stats).toMatchObject({ records: 1, skipped: 0, units: 1 });
  });
});
