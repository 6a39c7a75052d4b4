import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Report } from '../../lambdas/core/report.js';
import { renderReport } from '../../lambdas/render/index.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';

/**
 * Large inputs through the public file sources: a 100,000-user credential report, a 10 MB
 * CloudTrail record, and many large log files. Memory is asserted loosely (a bound far above
 * what a streaming reader needs, far below what holding everything would take); time never is.
 *
 * RSS never shrinks much once grown, so the smaller cases run first; each prints its growth.
 * The 1 GB log case runs only with CREDHEALTH_LARGE_TESTS=1 (it takes minutes); its peak RSS
 * is printed for docs/reliability.md.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const MB = 1024 * 1024;
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const ROOT_ROW =
  '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

let dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

async function exportDir(csvRows: readonly string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'credhealth-large-'));
  dirs.push(dir);
  await writeFile(join(dir, 'credential-report.csv'), [HEADER, ROOT_ROW, ...csvRows].join('\n'));
  return dir;
}

/** Peak RSS while `run` runs, sampled every 20 ms, as growth over the RSS before it. */
async function peakRssGrowth<T>(
  run: () => Promise<T>,
): Promise<{ value: T; growthMb: number; peakMb: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const value = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growthMb: Math.round((peak - before) / MB), peakMb: Math.round(peak / MB) };
  } finally {
    clearInterval(timer);
  }
}

function audit(dir: string): Promise<Report> {
  return runAudit(createExportDirSources(dir), {
    config: DEFAULT_CONFIG,
    now: NOW,
    generatedAt: NOW,
  });
}

/** A Logs Insights result row whose message is a credential error. */
function insightsRow(i: number, message: string): unknown[] {
  const second = String(i % 60).padStart(2, '0');
  return [
    {
      field: '@timestamp',
      value: `2026-11-20 11:${String(i % 60).padStart(2, '0')}:${second}.000`,
    },
    { field: '@log', value: `123456789012:/aws/lambda/worker-${i % 7}` },
    { field: '@logStream', value: '2026/11/20/[$LATEST]0123456789abcdef' },
    { field: '@message', value: message },
  ];
}

/**
 * `files` Logs Insights result files of about `fileMb` MB each: one expired-token line in
 * every ten, the rest ordinary lines, so both the matching and the discarding paths run.
 */
async function writeLogFiles(dir: string, files: number, fileMb: number): Promise<number> {
  const logs = join(dir, 'logs');
  await mkdir(logs, { recursive: true });
  const noise = `INFO processed order batch ${'x'.repeat(180)}`;
  const expired =
    'ERROR An error occurred (ExpiredTokenException) when calling the PutObject operation: The security token included in the request is expired';
  const rowBytes = JSON.stringify(insightsRow(0, noise)).length + 1;
  const rowsPerFile = Math.floor((fileMb * MB) / rowBytes);
  let matching = 0;
  for (let f = 0; f < files; f += 1) {
    const rows: string[] = [];
    for (let i = 0; i < rowsPerFile; i += 1) {
      const isExpired = i % 10 === 0;
      if (isExpired) matching += 1;
      rows.push(JSON.stringify(insightsRow(i, isExpired ? expired : noise)));
    }
    await writeFile(
      join(logs, `insights-${String(f).padStart(4, '0')}.json`),
      `{"status":"Complete","results":[\n${rows.join(',\n')}\n]}`,
    );
  }
  return matching;
}

describe('large inputs', () => {
  it('a single 10 MB CloudTrail record is read like any other', async () => {
    // Prepare: a root call whose request parameters are 10 MB of policy text.
    const dir = await exportDir();
    await mkdir(join(dir, 'cloudtrail'), { recursive: true });
    const record = {
      eventVersion: '1.08',
      eventTime: '2026-11-20T11:00:00Z',
      eventSource: 'iam.amazonaws.com',
      eventName: 'PutUserPolicy',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      eventID: 'big-record-0001',
      eventType: 'AwsApiCall',
      recipientAccountId: '123456789012',
      userIdentity: {
        type: 'Root',
        principalId: '123456789012',
        arn: 'arn:aws:iam::123456789012:root',
        accountId: '123456789012',
      },
      requestParameters: { userName: 'ci-deploy', policyDocument: 'A'.repeat(10 * MB) },
    };
    await writeFile(join(dir, 'cloudtrail', 'big.json'), JSON.stringify({ Records: [record] }));

    // Act
    const { value: report, growthMb } = await peakRssGrowth(() => audit(dir));

    // Assess
    expect(report.sources.find((s) => s.name === 'cloudtrail')).toMatchObject({
      status: 'ok',
      itemsRead: 1,
    });
    expect(report.incidents.map((i) => i.kind)).toEqual(['root-activity']);
    expect(JSON.stringify(report).length).toBeLessThan(1 * MB);
    console.info(`10 MB CloudTrail record: peak RSS growth ${growthMb} MB`);
    expect(growthMb).toBeLessThan(500);
  }, 180_000);

  it('50 MB of workload logs in 25 files: every matching line counted, memory bounded', async () => {
    // Prepare
    const dir = await exportDir();
    const matching = await writeLogFiles(dir, 25, 2);

    // Act
    const { value: report, growthMb } = await peakRssGrowth(() => audit(dir));

    // Assess
    const logs = report.sources.find((s) => s.name === 'workload-logs');
    expect(logs?.status).toBe('ok');
    expect(logs?.itemsRead).toBeGreaterThanOrEqual(matching);
    const expired = report.incidents.filter((i) => i.kind === 'expired-credentials');
    expect(expired.reduce((sum, i) => sum + i.count, 0)).toBe(matching);
    console.info(`50 MB of logs: peak RSS growth ${growthMb} MB`);
    // Holding all 50 MB of text as objects would take several times 50 MB; reading a file at a
    // time stays far below this loose bound.
    expect(growthMb).toBeLessThan(400);
  }, 180_000);

  it('a 100,000-user credential report is audited, every user judged', async () => {
    // Prepare: users with one active key created on 2026-01-01 (over 90 days old on NOW).
    const rows = Array.from(
      { length: 100_000 },
      (_, i) =>
        `user-${i},arn:aws:iam::123456789012:user/user-${i},2026-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-01-01T00:00:00+00:00,2026-11-19T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    );
    const dir = await exportDir(rows);

    // Act
    const { value: report, growthMb } = await peakRssGrowth(() => audit(dir));

    // Assess
    expect(report.sources.find((s) => s.name === 'iam-credential-report')?.itemsRead).toBe(100_001);
    expect(report.findings.filter((f) => f.check === 'key-rotation-overdue')).toHaveLength(100_000);
    expect(renderReport(report, 'csv').split('\n').length).toBeGreaterThan(100_000);
    console.info(`100,000-user credential report: peak RSS growth ${growthMb} MB`);
    expect(growthMb).toBeLessThan(1_500);
  }, 180_000);

  it.skipIf(process.env.CREDHEALTH_LARGE_TESTS !== '1')(
    '1 GB of workload logs in 100 files (CREDHEALTH_LARGE_TESTS=1)',
    async () => {
      // Prepare
      const dir = await exportDir();
      const matching = await writeLogFiles(dir, 100, 10);

      // Act
      const { value: report, growthMb, peakMb } = await peakRssGrowth(() => audit(dir));

      // Assess
      const expired = report.incidents.filter((i) => i.kind === 'expired-credentials');
      expect(expired.reduce((sum, i) => sum + i.count, 0)).toBe(matching);
      console.info(`1 GB of logs: peak RSS ${peakMb} MB (growth ${growthMb} MB)`);
      expect(growthMb).toBeLessThan(1_000);
    },
    1_800_000,
  );
});
