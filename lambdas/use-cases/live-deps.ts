import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
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
 * Live sources that read IAM and STS only, for the key scan, whose `keyScanSources` never reads
 * the CloudTrail and workload-log streams: the function then builds no CloudTrail, S3 or Logs
 * client. Reading either stream anyway fails at once, naming the client that was not built.
 */
export async function iamLiveSources(
  clients: ClientSet<typeof IAM_SOURCE_CLIENTS>,
  timeBudget?: TimeBudget,
): Promise<AuditSources> {
  return createLiveAuditSources({
    ...(timeBudget === undefined ? {} : { timeBudget }),
    iam: clients.iam,
    sts: clients.sts,
    // The live sources' deps name every client; these three are never called by a key scan.
    cloudTrail: notBuilt<CloudTrailClient>('CloudTrail'),
    s3: notBuilt<S3Client>('S3'),
    logs: notBuilt<CloudWatchLogsClient>('CloudWatch Logs'),
    counter: clients.counter,
    region: await clients.region(),
  });
}

/** Stands in for a client the function did not build: any use throws, naming it. */
function notBuilt<C extends object>(name: string): C {
  return new Proxy({} as C, {
    get(_target, property) {
      throw new Error(
        `the ${name} client is not built in this function (${String(property)} was read)`,
      );
    },
  });
}

/** The system clock: only composition roots use it. */
export const systemClock = { now: (): Date => new Date() };
