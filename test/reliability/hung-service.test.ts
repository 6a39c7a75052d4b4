import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../lambdas/adapters/clients.js';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { createLiveAuditSources } from '../../lambdas/sources/live/live-sources.js';
import { FAKE_CREDENTIALS, REGION } from '../integration/moto-aws.js';
import { fakeTime, faultyMotoClients, liveDeps, startSilentServer } from './support.js';

/**
 * A service that accepts the connection and never answers. Without a request timeout the SDK
 * waits forever (it only logs a warning when `requestTimeout` passes), and the Lambda dies at
 * its own timeout with nothing reported. `createAwsClients` sets one, so the call fails with
 * `TimeoutError`, the SDK retries it, and the source ends up degraded.
 */

let silent: Awaited<ReturnType<typeof startSilentServer>>;

beforeAll(async () => {
  silent = await startSilentServer();
});

afterAll(async () => {
  await silent?.close();
});

describe('a hung service', () => {
  it('CloudTrail never answering: the request times out, the report comes with cloudtrail degraded', async () => {
    // Prepare: IAM and Logs in moto; CloudTrail on the silent server, 200 ms to answer.
    const time = fakeTime(Date.now());
    const { clients } = faultyMotoClients('', time);
    const hung = createAwsClients({
      region: REGION,
      endpoint: silent.endpoint,
      credentials: FAKE_CREDENTIALS,
      maxAttempts: 2,
      requestTimeoutMs: 200,
      counter: clients.counter,
    });
    const sources = createLiveAuditSources(
      liveDeps({ ...clients, cloudTrail: hung.cloudTrail }, time, { cloudTrailMode: 'auto' }),
    );
    const now = new Date();

    // Act
    const report = await runAudit(sources, { config: DEFAULT_CONFIG, now, generatedAt: now });

    // Assess
    const trail = report.sources.find((s) => s.name === 'cloudtrail');
    expect(trail?.status).toBe('degraded');
    expect(trail?.detail).toContain('TimeoutError');
    expect(trail?.detail).toContain('200 ms requestTimeout');
    expect(report.sources.find((s) => s.name === 'iam-credential-report')?.status).toBe('ok');
  });
});
