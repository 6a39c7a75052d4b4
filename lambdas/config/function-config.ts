import { type AuditConfig, parseAuditConfig } from '../core/config.js';
import {
  type Environment,
  getBooleanFromEnv,
  getChoiceFromEnv,
  getIntegerFromEnv,
  getJsonFromEnv,
  getListFromEnv,
  getStringFromEnv,
} from './env.js';
import { ENV } from './env-names.js';

/** What every function reads: the audit config and the topic. */
export interface CommonConfig {
  readonly audit: AuditConfig;
  readonly topicArn: string;
}

/** How the trail-watch and audit functions read CloudTrail and logs. */
export interface SourcesConfig {
  readonly cloudTrailMode: 'auto' | 'lookup' | 's3';
  readonly logGroups: readonly string[];
  readonly watchLambdaLogGroups: boolean;
}

/** key-scan's settings. */
export interface KeyScanConfig extends CommonConfig {
  readonly tableName: string;
}

/** trail-watch's settings. */
export interface TrailWatchConfig extends CommonConfig, SourcesConfig {
  readonly tableName: string;
  readonly lookbackMinutes: number;
  readonly intervalMinutes: number;
  readonly quietRuns: number;
}

/** audit's settings. */
export interface AuditFunctionConfig extends CommonConfig, SourcesConfig {}

function common(env: Environment): CommonConfig {
  return {
    audit: parseAuditConfig(getJsonFromEnv(env, ENV.AUDIT_CONFIG, {}), ENV.AUDIT_CONFIG),
    topicArn: getStringFromEnv(env, ENV.TOPIC_ARN),
  };
}

function sources(env: Environment): SourcesConfig {
  return {
    cloudTrailMode: getChoiceFromEnv(env, ENV.CLOUDTRAIL_MODE, ['auto', 'lookup', 's3'], 'auto'),
    logGroups: getListFromEnv(env, ENV.LOG_GROUPS),
    watchLambdaLogGroups: getBooleanFromEnv(env, ENV.WATCH_LAMBDA_LOG_GROUPS, true),
  };
}

/**
 * key-scan's settings from its environment.
 *
 * @throws ConfigError naming the first variable that is missing or wrong.
 */
export function loadKeyScanConfig(env: Environment): KeyScanConfig {
  return Object.freeze({ ...common(env), tableName: getStringFromEnv(env, ENV.LEDGER_TABLE_NAME) });
}

/**
 * trail-watch's settings from its environment.
 *
 * @throws ConfigError naming the first variable that is missing or wrong.
 */
export function loadTrailWatchConfig(env: Environment): TrailWatchConfig {
  return Object.freeze({
    ...common(env),
    ...sources(env),
    tableName: getStringFromEnv(env, ENV.LEDGER_TABLE_NAME),
    lookbackMinutes: getIntegerFromEnv(env, ENV.TRAIL_LOOKBACK_MINUTES, 60),
    intervalMinutes: getIntegerFromEnv(env, ENV.TRAIL_INTERVAL_MINUTES, 15),
    quietRuns: getIntegerFromEnv(env, ENV.INCIDENT_QUIET_RUNS, 4),
  });
}

const MINUTE_MS = 60_000;

/**
 * How far back each trail-watch run reads, and how long an incident must go unseen before it
 * is summarised as ended: that many runs without evidence.
 */
export function trailWatchPeriods(config: TrailWatchConfig): {
  readonly lookbackMs: number;
  readonly quietPeriodMs: number;
} {
  return {
    lookbackMs: config.lookbackMinutes * MINUTE_MS,
    quietPeriodMs: config.quietRuns * config.intervalMinutes * MINUTE_MS,
  };
}

/**
 * audit's settings from its environment.
 *
 * @throws ConfigError naming the first variable that is missing or wrong.
 */
export function loadAuditFunctionConfig(env: Environment): AuditFunctionConfig {
  return Object.freeze({ ...common(env), ...sources(env) });
}
