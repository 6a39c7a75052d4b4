import { describe, expect, it } from 'vitest';
import {
  getBooleanFromEnv,
  getChoiceFromEnv,
  getIntegerFromEnv,
  getListFromEnv,
  getStringFromEnv,
} from '../../lambdas/config/env.js';
import { ENV } from '../../lambdas/config/env-names.js';
import { loadKeyScanConfig, loadTrailWatchConfig } from '../../lambdas/config/function-config.js';

const base = {
  [ENV.TOPIC_ARN]: 'arn:aws:sns:eu-west-1:123456789012:t',
  [ENV.LEDGER_TABLE_NAME]: 'ledger',
  [ENV.AUDIT_CONFIG]: '{"thresholds":{"maxKeyAgeDays":60}}',
};

describe('function config', () => {
  it('reads key-scan settings and the audit config', () => {
    const config = loadKeyScanConfig(base);
    expect(config).toMatchObject({ topicArn: base[ENV.TOPIC_ARN], tableName: 'ledger' });
    expect(config.audit.thresholds.maxKeyAgeDays).toBe(60);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads trail-watch settings with defaults', () => {
    expect(loadTrailWatchConfig(base)).toMatchObject({
      cloudTrailMode: 'auto',
      logGroups: [],
      watchLambdaLogGroups: true,
      lookbackMinutes: 60,
      intervalMinutes: 15,
      quietRuns: 4,
    });
  });

  it.each([
    [{}, `environment variable ${ENV.TOPIC_ARN} is not set`],
    [
      { ...base, [ENV.LEDGER_TABLE_NAME]: ' ' },
      `environment variable ${ENV.LEDGER_TABLE_NAME} is not set`,
    ],
    [
      { ...base, [ENV.AUDIT_CONFIG]: '{' },
      `environment variable ${ENV.AUDIT_CONFIG} is not valid JSON`,
    ],
    [
      { ...base, [ENV.AUDIT_CONFIG]: '{"thresholds":{"maxKeyAgeDays":0}}' },
      'thresholds.maxKeyAgeDays',
    ],
  ])('fails when the environment is %j', (env, message) => {
    expect(() => loadKeyScanConfig(env)).toThrow(message);
  });

  it('fails naming the variable and the value for wrong numbers, booleans and choices', () => {
    expect(() =>
      getIntegerFromEnv({ [ENV.INCIDENT_QUIET_RUNS]: '0' }, ENV.INCIDENT_QUIET_RUNS, 4),
    ).toThrow(
      `environment variable ${ENV.INCIDENT_QUIET_RUNS} must be a whole number of at least 1, got "0"`,
    );
    expect(() =>
      getBooleanFromEnv(
        { [ENV.WATCH_LAMBDA_LOG_GROUPS]: 'yes' },
        ENV.WATCH_LAMBDA_LOG_GROUPS,
        true,
      ),
    ).toThrow('got "yes"');
    expect(() =>
      getChoiceFromEnv(
        { [ENV.CLOUDTRAIL_MODE]: 'athena' },
        ENV.CLOUDTRAIL_MODE,
        ['auto', 'lookup'],
        'auto',
      ),
    ).toThrow('must be one of auto, lookup, got "athena"');
  });

  it('reads lists and strings', () => {
    expect(getListFromEnv({ [ENV.LOG_GROUPS]: '/a, ,/b' }, ENV.LOG_GROUPS)).toEqual(['/a', '/b']);
    expect(getStringFromEnv({ [ENV.TOPIC_ARN]: ' x ' }, ENV.TOPIC_ARN)).toBe('x');
  });
});
