import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../lambdas/config/env-names.js';
import type { Report, SourceStatus } from '../../lambdas/core/report.js';
import { FAKE_CREDENTIALS, motoEndpoint, REGION } from '../integration/moto-aws.js';
import { ensureCredentialReport } from './support.js';

/**
 * The deployed audit function as Lambda runs it, against moto: CREDHEALTH_FAULTS is read at
 * cold start, and the time left in the invocation (`context.getRemainingTimeInMillis()`)
 * becomes the run's time budget, so an invocation with little time left still returns a
 * report that says what it did not read.
 */

type AuditHandler = (
  event: unknown,
  context: { getRemainingTimeInMillis(): number },
) => Promise<Report>;

async function coldStart(faults: string): Promise<AuditHandler> {
  vi.stubEnv('AWS_REGION', REGION);
  vi.stubEnv('AWS_ENDPOINT_URL', motoEndpoint());
  vi.stubEnv('AWS_ACCESS_KEY_ID', FAKE_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', FAKE_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
  vi.stubEnv(ENV.TOPIC_ARN, `arn:aws:sns:${REGION}:123456789012:unused`);
  vi.stubEnv(ENV.CLOUDTRAIL_MODE, 'lookup');
  vi.stubEnv(ENV.WATCH_LAMBDA_LOG_GROUPS, 'false');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('CREDHEALTH_FAULTS', faults);
  const module = (await import('../../lambdas/audit/handler.js')) as { handler: AuditHandler };
  return module.handler;
}

function source(report: Report, name: string): SourceStatus | undefined {
  return report.sources.find((s) => s.name === name);
}

describe('the audit function under faults', () => {
  beforeAll(async () => {
    // With no time left, a report still to be generated (one more wait) could not be read.
    await ensureCredentialReport();
  });

  beforeEach(() => {
    vi.resetModules();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('applies CREDHEALTH_FAULTS from its environment', async () => {
    // Prepare
    const handler = await coldStart('cloudtrail:*=AccessDeniedException');

    // Act
    const report = await handler({}, { getRemainingTimeInMillis: () => 300_000 });

    // Assess
    expect(source(report, 'cloudtrail')?.status).toBe('degraded');
    expect(source(report, 'cloudtrail')?.detail).toContain(
      'AccessDeniedException injected by CREDHEALTH_FAULTS on cloudtrail:LookupEvents',
    );
    expect(source(report, 'iam-credential-report')?.status).toBe('ok');
  });

  it('with too little time left, still returns a report that says what it did not read', async () => {
    // Prepare
    const handler = await coldStart('');

    // Act: 8 s left is less than the margin kept for publishing, so nothing optional is read.
    const report = await handler({}, { getRemainingTimeInMillis: () => 8_000 });

    // Assess
    expect(source(report, 'iam-credential-report')?.status).toBe('ok');
    expect(source(report, 'iam-users')?.detail).toContain('time budget ran out');
    expect(source(report, 'cloudtrail')?.detail).toContain(
      'time budget ran out before CloudTrail was read',
    );
    expect(source(report, 'workload-logs')?.detail).toContain(
      'time budget ran out before the workload logs were read',
    );
  });
});
