import {
  CLOUDTRAIL_CLIENT,
  type ClientSet,
  IAM_CLIENT,
  LOGS_CLIENT,
  S3_CLIENT,
  STS_CLIENT,
} from '../adapters/clients.js';
import type { SourcesConfig } from '../config/function-config.js';
import type { AuditSources } from '../core/sources.js';
import { createIamSources, type IamAuditSources } from '../sources/live/iam-sources.js';
import { createLiveAuditSources } from '../sources/live/live-sources.js';
import type { TimeBudget } from '../sources/live/time-budget.js';

/** The clients the live sources read with: IAM and STS, CloudTrail, its S3 bucket and Logs. */
export const SOURCE_CLIENTS = {
  iam: IAM_CLIENT,
  sts: STS_CLIENT,
  cloudTrail: CLOUDTRAIL_CLIENT,
  s3: S3_CLIENT,
  logs: LOGS_CLIENT,
} as const;

/** What the key scan reads with: IAM and STS only (no CloudTrail, no workload logs). */
export const IAM_SOURCE_CLIENTS = { iam: IAM_CLIENT, sts: STS_CLIENT } as const;

/**
 * Live sources for one invocation (fresh caches and call counts), as the config asks; reading
 * stops when `timeBudget` runs out (see `lambdaTimeBudget`).
 */
export async function liveSources(
  clients: ClientSet<typeof SOURCE_CLIENTS>,
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

/**
 * Live sources that read IAM and STS only, for the key scan (fresh caches and call counts): no
 * CloudTrail or workload-log stream at all, so the function builds no CloudTrail, S3 or Logs
 * client and bundles none of their code; `keyScanSources` says in the report that trail-watch
 * reads those.
 */
export function iamLiveSources(
  clients: ClientSet<typeof IAM_SOURCE_CLIENTS>,
  timeBudget?: TimeBudget,
): IamAuditSources {
  return createIamSources({
    ...(timeBudget === undefined ? {} : { timeBudget }),
    iam: clients.iam,
    sts: clients.sts,
    counter: clients.counter,
  }).sources;
}

/** The system clock: only composition roots use it. */
export const systemClock = { now: (): Date => new Date() };
