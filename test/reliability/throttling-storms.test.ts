import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Report, SourceStatus } from '../../lambdas/core/report.js';
import { createLiveAuditSources } from '../../lambdas/sources/live/live-sources.js';
import {
  ensureCredentialReport,
  fakeBudget,
  fakeTime,
  faultyMotoClients,
  liveDeps,
  seedPrivateLogGroup,
  startFakeCloudTrail,
  uniqueName,
} from './support.js';

/**
 * Throttling storms on every service the audit reads, injected with CREDHEALTH_FAULTS into
 * real SDK clients talking to moto over HTTP. Every wait runs on a fake clock, so a storm
 * costs no real time and a test can say how long (in fake time) the run waited.
 *
 * The SDK's own retries are off (maxAttempts 1) so the adapters' back-off is what is shown;
 * fault-plan.test.ts shows the SDK retrying a burst by itself.
 */

const EXPIRED_LINE =
  'ERROR botocore.exceptions.ClientError: An error occurred (ExpiredTokenException) when calling the GetObject operation: The security token included in the request is expired';

let logGroup: string;
let cloudTrail: Awaited<ReturnType<typeof startFakeCloudTrail>>;

afterAll(async () => {
  await cloudTrail?.close();
});

beforeAll(async () => {
  // The budgets below leave no room for a first report still being generated.
  await ensureCredentialReport();
  cloudTrail = await startFakeCloudTrail(3, 2);
  const time = fakeTime();
  const { clients } = faultyMotoClients('', time);
  logGroup = `/reliability/${uniqueName('storm')}`;
  await seedPrivateLogGroup(
    clients,
    logGroup,
    Array.from({ length: 6 }, () => EXPIRED_LINE),
    new Date(Date.now() - 10 * 60 * 1000),
  );
});

async function audit(
  faults: string,
  budgetMs?: number,
): Promise<{ report: Report; waits: number[] }> {
  const time = fakeTime(Date.now());
  const { clients } = faultyMotoClients(faults, time, { cloudTrailEndpoint: cloudTrail.endpoint });
  const sources = createLiveAuditSources(
    liveDeps(clients, time, {
      logGroups: [logGroup],
      ...(budgetMs === undefined ? {} : { timeBudget: fakeBudget(time, budgetMs) }),
    }),
  );
  const now = new Date();
  const report = await runAudit(sources, { config: DEFAULT_CONFIG, now, generatedAt: now });
  return { report, waits: time.waits };
}

function source(report: Report, name: string): SourceStatus | undefined {
  return report.sources.find((s) => s.name === name);
}

describe('a throttling burst the adapters wait out: the run slows down and completes', () => {
  it.each([
    [
      'IAM GenerateCredentialReport',
      'iam:GenerateCredentialReport=Throttling*3',
      'iam-credential-report',
    ],
    ['IAM GetCredentialReport', 'iam:GetCredentialReport=LimitExceeded*3', 'iam-credential-report'],
    ['CloudTrail LookupEvents', 'cloudtrail:LookupEvents=ThrottlingException*5', 'cloudtrail'],
    ['Logs StartQuery', 'logs:StartQuery=LimitExceededException*4', 'workload-logs'],
    ['Logs GetQueryResults', 'logs:GetQueryResults=ThrottlingException*6', 'workload-logs'],
  ])('%s', async (_what, faults, name) => {
    // Act
    const { report, waits } = await audit(faults);

    // Assess
    expect(source(report, name)?.status).toBe('ok');
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect(source(report, 'workload-logs')?.itemsRead).toBe(6);
    expect(source(report, 'cloudtrail')?.itemsRead).toBe(6);
    expect(report.incidents.map((i) => i.kind).sort()).toEqual([
      'expired-credentials',
      'root-activity',
    ]);
  });
});

describe('a storm longer than the retries: that source is degraded, the report still comes', () => {
  it.each([
    [
      'CloudTrail LookupEvents',
      'cloudtrail:LookupEvents=ThrottlingException',
      'cloudtrail',
      'ThrottlingException',
    ],
    [
      'Logs StartQuery',
      'logs:StartQuery=TooManyRequestsException',
      'workload-logs',
      'TooManyRequestsException',
    ],
    [
      'IAM GetAccountAuthorizationDetails',
      'iam:GetAccountAuthorizationDetails=Throttling',
      'iam-users',
      'Throttling',
    ],
    [
      'IAM GetAccountSummary',
      'iam:GetAccountSummary=Throttling',
      'iam-account-summary',
      'Throttling',
    ],
  ])('%s', async (_what, faults, name, code) => {
    // Act
    const { report } = await audit(faults);

    // Assess
    const status = source(report, name);
    expect(status?.status).toBe('degraded');
    expect(status?.detail).toContain(code);
    expect(source(report, 'iam-credential-report')?.status).toBe('ok');
    expect(report.schemaVersion).toBe(1);
  });
});

describe('a storm with a run time budget: the run stops at the budget and says what it missed', () => {
  it('CloudTrail: the back-off that would pass the deadline is not started', async () => {
    // Act: back-off waits are 1.1 s, 2.2 s, 4.4 s…; a 5 s budget allows the first two.
    const { report, waits } = await audit('cloudtrail:LookupEvents=ThrottlingException', 5_000);

    // Assess
    const trail = source(report, 'cloudtrail');
    expect(trail?.status).toBe('degraded');
    expect(trail?.detail).toMatch(/time budget ran out at .* after 0 events in 0 pages/);
    expect(trail?.detail).toMatch(/events from \S+ to \S+ were not read/);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5_000);
  });

  it('Logs: the query being polled is abandoned and the groups not queried are counted', async () => {
    // Act: every GetQueryResults is throttled, so the query is polled until the budget ends.
    const { report } = await audit('logs:GetQueryResults=ThrottlingException', 10_000);

    // Assess
    const logs = source(report, 'workload-logs');
    expect(logs?.status).toBe('degraded');
    expect(logs?.detail).toContain('1 of 1 log groups were not queried');
    expect(source(report, 'cloudtrail')?.status).toBe('ok');
  });

  it('a budget already spent: optional sources and streams are skipped, each saying so', async () => {
    // Act: every IAM call waits 2 s (fake), so the credential report itself uses up a 3 s budget.
    const { report } = await audit('iam:*=delay:2000', 3_000);

    // Assess
    expect(source(report, 'iam-credential-report')?.status).toBe('ok');
    for (const name of ['iam-users', 'iam-account-summary']) {
      expect(source(report, name)?.status).toBe('degraded');
      expect(source(report, name)?.detail).toContain('time budget ran out');
    }
    expect(source(report, 'cloudtrail')?.detail).toContain(
      'time budget ran out before CloudTrail was read',
    );
    expect(source(report, 'workload-logs')?.detail).toContain('no log group was queried');
  });

  it('a budget that is not reached changes nothing', async () => {
    // Act
    const { report } = await audit('cloudtrail:LookupEvents=ThrottlingException*2', 600_000);

    // Assess: the sources this run reads with a budget (IAM's own state is shared with the
    // other moto tests, which may change it while this runs).
    for (const name of ['iam-credential-report', 'cloudtrail', 'workload-logs'])
      expect(source(report, name)?.status, name).toBe('ok');
    expect(source(report, 'cloudtrail')?.detail).not.toContain('time budget');
  });
});
