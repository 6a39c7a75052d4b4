import { type AwsClients, createAwsClients } from '../adapters/clients.js';
import { FAULTS_ENV, parseFaultPlan } from '../adapters/fault-injection.js';
import type { SourcesConfig } from '../config/function-config.js';
import type { AuditSources } from '../core/sources.js';
import { createLiveAuditSources } from '../sources/live/live-sources.js';
import type { TimeBudget } from '../sources/live/time-budget.js';

/**
 * Live sources for one invocation (fresh caches and call counts), as the config asks; reading
 * stops when `timeBudget` runs out (see `lambdaTimeBudget`).
 */
export async function liveSources(
  clients: AwsClients,
  config: Partial<SourcesConfig> = {},
  timeBudget?: TimeBudget,
): Promise<AuditSources> {
  return createLiveAuditSources({
    ...(timeBudget === undefined ? {} : { timeBudget }),
    iam: clients.iam,
    sts: clients.sts,
    cloudTrail: clients.cloudTrail,
    s3: clients.s3,
    logs: clients.logs,
    counter: clients.counter,
    region: await clients.region(),
    ...(config.cloudTrailMode === undefined ? {} : { cloudTrailMode: config.cloudTrailMode }),
    ...(config.logGroups === undefined ? {} : { logGroups: config.logGroups }),
    ...(config.watchLambdaLogGroups === undefined
      ? {}
      : { includeLambdaLogGroups: config.watchLambdaLogGroups }),
  });
}

/** The system clock: only composition roots use it. */
export const systemClock = { now: (): Date => new Date() };

/**
 * The AWS clients of a function, built once at cold start from the Lambda environment.
 * `CREDHEALTH_FAULTS` (docs/reliability.md) is empty in a normal deployment: no fault injected.
 *
 * @throws ConfigError when CREDHEALTH_FAULTS is set but not a valid fault plan.
 */
export function functionClients(env: Readonly<Record<string, string | undefined>>): AwsClients {
  return createAwsClients({ region: env.AWS_REGION, faults: parseFaultPlan(env[FAULTS_ENV]) });
}
