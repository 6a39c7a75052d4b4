import { gzipSync } from 'node:zlib';
import { CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Report, SourceStatus } from '../../lambdas/core/report.js';
import { createLiveAuditSources } from '../../lambdas/sources/live/live-sources.js';
import { MOTO_ACCOUNT, trailFileKey } from '../integration/moto-aws.js';
import {
  ensureCredentialReport,
  fakeBudget,
  fakeTime,
  faultyMotoClients,
  liveDeps,
  uniqueName,
} from './support.js';

/**
 * The trail's S3 files (what the Lambdas read when a trail exists) under S3 faults, in moto.
 * A Region no other test uses, so the trail found there is this test's own.
 */

const TRAIL_REGION = 'ca-central-1';
const ROOT = `audit/AWSLogs/${MOTO_ACCOUNT}/`;
let seededAt: Date;

function rootCall(at: Date, id: string): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    eventTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: TRAIL_REGION,
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    eventID: id,
    eventType: 'AwsApiCall',
    recipientAccountId: MOTO_ACCOUNT,
    userIdentity: { type: 'Root', principalId: MOTO_ACCOUNT, accountId: MOTO_ACCOUNT },
  };
}

beforeAll(async () => {
  // The 7 s budget below is for the trail's files: a report still to be generated would take
  // 2 s of it (fake time) whenever no earlier test had asked for one.
  await ensureCredentialReport();
  seededAt = new Date();
  const { clients } = faultyMotoClients('', fakeTime(), { region: TRAIL_REGION });
  const bucket = uniqueName('trail').toLowerCase();
  await clients.s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: TRAIL_REGION },
    }),
  );
  await clients.cloudTrail.send(
    new CreateTrailCommand({
      Name: uniqueName('trail'),
      S3BucketName: bucket,
      S3KeyPrefix: 'audit',
    }),
  );
  const fileTime = new Date(seededAt.getTime() - 5 * 60_000);
  for (const [i, suffix] of [
    'AaAaAaAaAaAaAaAa',
    'BbBbBbBbBbBbBbBb',
    'CcCcCcCcCcCcCcCc',
  ].entries()) {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: trailFileKey(ROOT, TRAIL_REGION, fileTime, suffix),
        Body: gzipSync(
          JSON.stringify({
            Records: [rootCall(new Date(fileTime.getTime() - i * 1_000), `s3-${i}`)],
          }),
        ),
      }),
    );
  }
});

async function audit(faults: string, maxAttempts: number, budgetMs?: number): Promise<Report> {
  const time = fakeTime(Date.now());
  const { clients } = faultyMotoClients(faults, time, { region: TRAIL_REGION, maxAttempts });
  const sources = createLiveAuditSources(
    liveDeps(clients, time, {
      region: TRAIL_REGION,
      cloudTrailMode: 's3',
      trailRegions: [TRAIL_REGION],
      ...(budgetMs === undefined ? {} : { timeBudget: fakeBudget(time, budgetMs) }),
    }),
  );
  const now = new Date();
  return runAudit(sources, { config: DEFAULT_CONFIG, now, generatedAt: now });
}

function trail(report: Report): SourceStatus | undefined {
  return report.sources.find((s) => s.name === 'cloudtrail');
}

describe("the trail's S3 files under faults", () => {
  it('reads every file when nothing goes wrong', async () => {
    const report = await audit('', 1);
    expect(trail(report)).toMatchObject({ status: 'ok', itemsRead: 3 });
    expect(report.incidents.map((i) => i.kind)).toEqual(['root-activity']);
  });

  it('a SlowDown burst on GetObject is retried by the SDK: every file read', async () => {
    const report = await audit('s3:GetObject=SlowDown*2', 3);
    expect(trail(report)).toMatchObject({ status: 'ok', itemsRead: 3 });
  });

  it('SlowDown past the retries: each file it hits is skipped and named, the others still read', async () => {
    const report = await audit('s3:GetObject=SlowDown*2', 1);
    expect(trail(report)).toMatchObject({ status: 'degraded', itemsRead: 1, itemsSkipped: 2 });
    expect(trail(report)?.detail).toMatch(/skipped audit\/AWSLogs\/.*\.json\.gz: SlowDown/);
    expect(report.incidents.map((i) => i.kind)).toEqual(['root-activity']);
  });

  it('a bucket that stops answering to listing: cloudtrail degraded with the reason', async () => {
    const report = await audit('s3:ListObjectsV2=InternalError', 1);
    expect(trail(report)?.status).toBe('degraded');
    expect(trail(report)?.detail).toContain('InternalError');
  });

  it('each file slow (5 s) with a 7 s budget: stops after the second file and says so', async () => {
    const report = await audit('s3:GetObject=delay:5000', 1, 7_000);
    expect(trail(report)?.status).toBe('degraded');
    expect(trail(report)?.detail).toMatch(
      /time budget ran out at \S+ after 2 records from 2 log files: any later files of the window were not read/,
    );
  });
});
