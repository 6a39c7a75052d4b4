import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../lambdas/config/env-names.js';

const LOADERS: Record<string, () => Promise<unknown>> = {
  'key-scan': () => import('../../lambdas/key-scan/handler.js'),
  'trail-watch': () => import('../../lambdas/trail-watch/handler.js'),
  audit: () => import('../../lambdas/audit/handler.js'),
  'slack-notify': () => import('../../lambdas/slack-notify/handler.js'),
};

// Handlers read their environment once, at cold start: a wrong one fails there, by name.
describe('handlers at cold start', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it.each([
    ['key-scan', ENV.TOPIC_ARN],
    ['trail-watch', ENV.TOPIC_ARN],
    ['audit', ENV.TOPIC_ARN],
    ['slack-notify', ENV.SLACK_WEBHOOK_SECRET_ID],
  ])('%s fails when %s is not set', async (name, variable) => {
    for (const v of Object.values(ENV)) vi.stubEnv(v, '');
    await expect(LOADERS[name]?.()).rejects.toThrow(`environment variable ${variable} is not set`);
  });

  it('key-scan loads with the environment the construct sets', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv(ENV.TOPIC_ARN, 'arn:aws:sns:eu-west-1:123456789012:t');
    vi.stubEnv(ENV.LEDGER_TABLE_NAME, 'ledger');
    vi.stubEnv(ENV.AUDIT_CONFIG, '{"thresholds":{"maxKeyAgeDays":90}}');
    const module = (await import('../../lambdas/key-scan/handler.js')) as { handler: unknown };
    expect(typeof module.handler).toBe('function');
  });
});
