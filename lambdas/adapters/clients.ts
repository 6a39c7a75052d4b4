import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { type CallCounter, countCalls, createCallCounter } from './call-counter.js';
import {
  createFaultInjector,
  type FaultInjector,
  type FaultPlan,
  injectFaults,
} from './fault-injection.js';

/** Time to the first byte of a response before a request fails. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Time to connect before a request fails. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;

/** Fixed credentials or a provider, as every client config accepts them. */
export type AwsCredentials = NonNullable<IAMClientConfig['credentials']>;

/** How to reach AWS. Every field is optional: the SDK's own defaults (env, ~/.aws) fill the rest. */
export interface AwsClientOptions {
  /** Region for the regional services (CloudTrail, Logs, S3, SNS); IAM is global. */
  readonly region?: string | undefined;
  /** Named profile; otherwise the default chain (which reads `AWS_PROFILE`). */
  readonly profile?: string | undefined;
  /** A role to assume with the base credentials before anything else. */
  readonly roleArn?: string | undefined;
  /** Session name for the assumed role. @default 'credential-health' */
  readonly roleSessionName?: string | undefined;
  /** Fixed credentials (tests); bypasses the chain. */
  readonly credentials?: AwsCredentials | undefined;
  /**
   * An endpoint for every client. Not needed for `AWS_ENDPOINT_URL`, which the v3 SDK reads
   * itself (and `AWS_ENDPOINT_URL_<SERVICE>`).
   */
  readonly endpoint?: string | undefined;
  /** S3 path-style addressing, for S3 emulators on `127.0.0.1`. @default false */
  readonly forcePathStyle?: boolean | undefined;
  /** SDK attempts per call (standard retry mode, throttling included). @default the SDK's (3, or AWS_MAX_ATTEMPTS) */
  readonly maxAttempts?: number | undefined;
  /** Shared by every client; a new one when absent. */
  readonly counter?: CallCounter | undefined;
  /**
   * A request whose response has not started after this long fails with `TimeoutError` (and is
   * retried like one), instead of hanging until the Lambda's own timeout. Downloading a body
   * that has started is not limited. @default 30_000
   */
  readonly requestTimeoutMs?: number | undefined;
  /** Connecting to the endpoint. @default 5_000 */
  readonly connectionTimeoutMs?: number | undefined;
  /**
   * Faults to inject (`CREDHEALTH_FAULTS`, parsed once by the composition root), or an injector
   * whose counts tests read. No faults when absent.
   */
  readonly faults?: FaultPlan | FaultInjector | undefined;
}

/** One client per service, all counting into the same counter. */
export interface AwsClients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly cloudTrail: CloudTrailClient;
  readonly s3: S3Client;
  readonly logs: CloudWatchLogsClient;
  readonly sns: SNSClient;
  readonly counter: CallCounter;
  /** The faults applied to these clients, when a plan was given. */
  readonly faults?: FaultInjector;
  /** The region the regional clients use, once the SDK resolved it. */
  region(): Promise<string>;
}

/**
 * Builds the clients the live sources and the publisher use. Credentials resolve lazily, on the
 * first call, so a missing profile shows up as that call's error (see `explainCredentialFailure`).
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const counter = options.counter ?? createCallCounter();
  const credentials = resolveCredentials(options);
  const common = {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      // Without it the SDK only logs a warning when the request timeout passes, and waits on.
      throwOnRequestTimeout: true,
    },
  };
  const iam = new IAMClient(common);
  const sts = new STSClient(common);
  const cloudTrail = new CloudTrailClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: options.forcePathStyle ?? false });
  const logs = new CloudWatchLogsClient(common);
  const sns = new SNSClient(common);
  for (const client of [iam, sts, cloudTrail, s3, logs, sns]) countCalls(client, counter);
  const faults = toInjector(options.faults);
  if (faults) {
    injectFaults(iam, 'iam', faults);
    injectFaults(sts, 'sts', faults);
    injectFaults(cloudTrail, 'cloudtrail', faults);
    injectFaults(s3, 's3', faults);
    injectFaults(logs, 'logs', faults);
    injectFaults(sns, 'sns', faults);
  }
  return {
    iam,
    sts,
    cloudTrail,
    s3,
    logs,
    sns,
    counter,
    ...(faults ? { faults } : {}),
    region: () => cloudTrail.config.region(),
  };
}

function toInjector(faults: FaultPlan | FaultInjector | undefined): FaultInjector | undefined {
  if (faults === undefined) return undefined;
  if ('take' in faults) return faults;
  return faults.rules.length === 0 ? undefined : createFaultInjector(faults);
}

function resolveCredentials(options: AwsClientOptions): AwsCredentials | undefined {
  const base =
    options.credentials ??
    (options.profile === undefined
      ? undefined
      : fromNodeProviderChain({ profile: options.profile }));
  if (options.roleArn === undefined) return base;
  return fromTemporaryCredentials({
    ...(base === undefined ? {} : { masterCredentials: base }),
    params: {
      RoleArn: options.roleArn,
      RoleSessionName: options.roleSessionName ?? 'credential-health',
    },
    clientConfig: {
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    },
  });
}
