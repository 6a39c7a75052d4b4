import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCredentialReport } from '../../lambdas/adapters/iam-credential-report.js';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { RequiredSourceError } from '../../lambdas/core/errors.js';
import type { Report, SourceStatus } from '../../lambdas/core/report.js';
import {
  createLiveAuditSources,
  type LiveSourcesDeps,
} from '../../lambdas/sources/live/live-sources.js';
import {
  ensureCredentialReport,
  type FakeTime,
  fakeBudget,
  fakeTime,
  faultyMotoClients,
  liveDeps,
  seedPrivateLogGroup,
  startFakeCloudTrail,
  uniqueName,
} from './support.js';

/**
 * One source down at a time (CREDHEALTH_FAULTS against moto): the required credential report
 * ends the run with one clear RequiredSourceError; any other source leaves a report whose
 * `sources` entry is `degraded` with the reason, and the rest of the report intact.
 */

const NO_CREDS_LINE =
  'ERROR Unable to locate credentials. You can configure credentials by running "aws configure".';

let logGroup: string;
let cloudTrail: Awaited<ReturnType<typeof startFakeCloudTrail>>;

beforeAll(async () => {
  // The waits counted below are those of a report AWS has to be asked again for, not made.
  await ensureCredentialReport();
  cloudTrail = await startFakeCloudTrail(1, 2);
  const { clients } = faultyMotoClients('', fakeTime());
  logGroup = `/reliability/${uniqueName('degraded')}`;
  await seedPrivateLogGroup(
    clients,
    logGroup,
    Array.from({ length: 5 }, () => NO_CREDS_LINE),
    new Date(Date.now() - 5 * 60 * 1000),
  );
});

afterAll(async () => {
  await cloudTrail?.close();
});

function sourcesWith(faults: string, time: FakeTime, overrides: Partial<LiveSourcesDeps> = {}) {
  const { clients, injector } = faultyMotoClients(faults, time, {
    cloudTrailEndpoint: cloudTrail.endpoint,
  });
  return {
    injector,
    sources: createLiveAuditSources(
      liveDeps(clients, time, { logGroups: [logGroup], ...overrides }),
    ),
  };
}

async function audit(faults: string, overrides: Partial<LiveSourcesDeps> = {}): Promise<Report> {
  const time = fakeTime(Date.now());
  const { sources } = sourcesWith(faults, time, overrides);
  const now = new Date();
  return runAudit(sources, { config: DEFAULT_CONFIG, now, generatedAt: now });
}

function source(report: Report, name: string): SourceStatus | undefined {
  return report.sources.find((s) => s.name === name);
}

describe('the credential report stuck in progress', () => {
  it('waits with a growing back-off up to its limit, then ends the audit with RequiredSourceError', async () => {
    // Prepare
    const time = fakeTime();
    const { clients } = faultyMotoClients('iam:GetCredentialReport=ReportInProgress', time);

    // Act
    const error = await fetchCredentialReport(clients.iam, {
      sleep: time.sleep,
      maxWaitMs: 60_000,
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RequiredSourceError);
    expect((error as Error).message).toBe(
      'IAM credential report not ready after 59 s (ReportInProgress); try again in a minute',
    );
    expect(time.waits).toEqual([2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
  });

  it('stops at the run time budget rather than at its own limit, and says so', async () => {
    // Prepare
    const time = fakeTime();
    const { sources } = sourcesWith('iam:GetCredentialReport=ReportInProgress', time, {
      timeBudget: fakeBudget(time, 10_000),
    });

    // Act
    const error = await runAudit(sources, {
      config: DEFAULT_CONFIG,
      now: new Date('2026-11-20T12:00:00Z'),
      generatedAt: new Date('2026-11-20T12:00:00Z'),
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RequiredSourceError);
    expect((error as Error).message).toMatch(
      /^IAM credential report not ready before the run's time budget ran out at \S+ \(a 8000 ms wait would pass it\); the audit needs it, try again later$/,
    );
    expect(time.waits).toEqual([2_000, 4_000]);
  });

  it('a report that becomes ready within the limit is read', async () => {
    // Prepare
    const time = fakeTime();
    const { clients } = faultyMotoClients('iam:GetCredentialReport=ReportInProgress*3', time);

    // Act
    const report = await fetchCredentialReport(clients.iam, { sleep: time.sleep });

    // Assess
    expect(report.csv.split('\n')[0]).toMatch(/^user,arn,user_creation_time,/);
    expect(time.waits).toEqual([2_000, 4_000, 8_000]);
  });
});

describe('an optional source unreachable: the report still comes, that source degraded', () => {
  it('CloudTrail timing out on every request', async () => {
    // Act
    const report = await audit('cloudtrail:*=timeout');

    // Assess
    expect(source(report, 'cloudtrail')).toMatchObject({
      status: 'degraded',
      itemsRead: 0,
    });
    expect(source(report, 'cloudtrail')?.detail).toContain(
      'stopped after 0 records: AwsApiError: cloudtrail:LookupEvents failed: TimeoutError',
    );
    expect(source(report, 'iam-credential-report')?.status).toBe('ok');
    expect(source(report, 'workload-logs')?.status).toBe('ok');
    expect(report.incidents.map((i) => i.kind)).toEqual(['no-credentials']);
  });

  it('CloudTrail refusing the caller (no permission)', async () => {
    // Act
    const report = await audit('cloudtrail:*=AccessDeniedException', { cloudTrailMode: 'auto' });

    // Assess
    expect(source(report, 'cloudtrail')?.status).toBe('degraded');
    expect(source(report, 'cloudtrail')?.detail).toContain(
      'AwsPermissionError: not allowed to call',
    );
  });

  it('Logs Insights unreachable', async () => {
    // Act
    const report = await audit('logs:*=timeout');

    // Assess
    expect(source(report, 'workload-logs')?.status).toBe('degraded');
    expect(source(report, 'workload-logs')?.detail).toContain('TimeoutError');
    expect(source(report, 'cloudtrail')?.status).toBe('ok');
    expect(report.incidents.map((i) => i.kind)).toEqual(['root-activity']);
  });

  it('IAM answering with server errors for everything but the credential report', async () => {
    // Act
    const report = await audit(
      'iam:GetAccountAuthorizationDetails=InternalFailure,iam:GetAccountSummary=ServiceUnavailable,iam:ListAccountAliases=InternalFailure',
    );

    // Assess
    for (const name of ['account', 'iam-users', 'iam-account-summary']) {
      expect(source(report, name)?.status, name).toBe('degraded');
    }
    expect(source(report, 'iam-credential-report')?.status).toBe('ok');
    expect(report.schemaVersion).toBe(1);
  });
});
