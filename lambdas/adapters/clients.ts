import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { type CallCounter, countCalls, createCallCounter } from './call-counter.js';
import {
  createFaultInjector,
  type FaultInjector,
  type FaultPlan,
  type FaultService,
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

/** What every client kind below is: a v3 client, whose stack the counter and the faults use. */
export interface SdkClient {
  readonly middlewareStack: unknown;
  readonly config: { readonly region: () => Promise<string> };
}

/** The settings every client of a set is built with (region, endpoint, credentials, timeouts). */
export interface SharedClientConfig {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: AwsCredentials;
  readonly profile?: string;
  readonly maxAttempts?: number;
  readonly requestHandler: {
    readonly requestTimeout: number;
    readonly connectionTimeout: number;
    readonly throwOnRequestTimeout: boolean;
  };
}

/**
 * One kind of client: how to build it from the shared settings, and the service its calls are
 * named by in `CREDHEALTH_FAULTS`. A function names the kinds it uses (see {@link createClients}),
 * so its bundle holds only those clients: esbuild drops a kind nobody names, and with it the SDK
 * package behind it.
 */
export interface ClientKind<C extends SdkClient> {
  /** The service of fault rules that apply to this client; none for services faults cannot name. */
  readonly faultService?: FaultService;
  readonly create: (config: SharedClientConfig, options: AwsClientOptions) => C;
}

/** IAM (global). */
export const IAM_CLIENT: ClientKind<IAMClient> = {
  faultService: 'iam',
  create: (config) => new IAMClient(config),
};
/** STS: who the credentials belong to. */
export const STS_CLIENT: ClientKind<STSClient> = {
  faultService: 'sts',
  create: (config) => new STSClient(config),
};
/** CloudTrail: LookupEvents and the trail list. */
export const CLOUDTRAIL_CLIENT: ClientKind<CloudTrailClient> = {
  faultService: 'cloudtrail',
  create: (config) => new CloudTrailClient(config),
};
/** S3: the trail's log files; path-style addressing when asked (emulators). */
export const S3_CLIENT: ClientKind<S3Client> = {
  faultService: 's3',
  create: (config, options) =>
    new S3Client({ ...config, forcePathStyle: options.forcePathStyle ?? false }),
};
/** CloudWatch Logs: Logs Insights over the workload log groups. */
export const LOGS_CLIENT: ClientKind<CloudWatchLogsClient> = {
  faultService: 'logs',
  create: (config) => new CloudWatchLogsClient(config),
};
/** SNS: where notifications are published. */
export const SNS_CLIENT: ClientKind<SNSClient> = {
  faultService: 'sns',
  create: (config) => new SNSClient(config),
};
/** DynamoDB: the ledger of reminders and incidents. Fault rules cannot name it. */
export const DYNAMODB_CLIENT: ClientKind<DynamoDBClient> = {
  create: (config) => new DynamoDBClient(config),
};
/** Secrets Manager: the Slack webhook URL. Fault rules cannot name it. */
export const SECRETS_MANAGER_CLIENT: ClientKind<SecretsManagerClient> = {
  create: (config) => new SecretsManagerClient(config),
};

/**
 * Named client kinds, e.g. `{ iam: IAM_CLIENT, sns: SNS_CLIENT }`. The names of
 * {@link ClientSetContext} are taken.
 */
export type ClientKinds = Readonly<Record<string, ClientKind<SdkClient>>> & {
  readonly counter?: never;
  readonly faults?: never;
  readonly region?: never;
};

/** What a client set holds besides its clients. */
export interface ClientSetContext {
  /** Every client of the set counts into it. */
  readonly counter: CallCounter;
  /** The faults applied to these clients, when a plan was given. */
  readonly faults?: FaultInjector;
  /** The region the regional clients use, once the SDK resolved it. */
  region(): Promise<string>;
}

/** One client per kind, under the kind's name, all counting into the same counter. */
export type ClientSet<K extends ClientKinds> = {
  readonly [N in keyof K]: K[N] extends ClientKind<infer C> ? C : never;
} & ClientSetContext;

/** The kinds {@link createAwsClients} builds: what the live sources and the publisher use. */
export const AWS_CLIENTS = {
  iam: IAM_CLIENT,
  sts: STS_CLIENT,
  cloudTrail: CLOUDTRAIL_CLIENT,
  s3: S3_CLIENT,
  logs: LOGS_CLIENT,
  sns: SNS_CLIENT,
} as const;

/** One client per service the live sources and the publisher use, all counting into the same counter. */
export type AwsClients = ClientSet<typeof AWS_CLIENTS>;

/**
 * Builds the clients the live sources and the publisher use. Credentials resolve lazily, on the
 * first call, so a missing profile shows up as that call's error (see `explainCredentialFailure`).
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  return createClients(AWS_CLIENTS, options);
}

/**
 * Builds one client of each kind named, with the same settings, timeouts, call counter and
 * faults for all of them. Credentials resolve lazily, as in {@link createAwsClients}.
 *
 * @throws Error when no kind is named (there would be no region to resolve).
 * @example
 * const clients = createClients({ iam: IAM_CLIENT, sns: SNS_CLIENT }, { region: 'eu-west-1' });
 * await clients.iam.send(new GetAccountSummaryCommand({}));
 */
export function createClients<const K extends ClientKinds>(
  kinds: K,
  options: AwsClientOptions = {},
): ClientSet<K> {
  const counter = options.counter ?? createCallCounter();
  const credentials = resolveCredentials(options);
  const config: SharedClientConfig = {
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
  const faults = toInjector(options.faults);
  const clients: Record<string, SdkClient> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    const client = kind.create(config, options);
    countCalls(client, counter);
    if (faults && kind.faultService) injectFaults(client, kind.faultService, faults);
    clients[name] = client;
  }
  const first = Object.values(clients)[0];
  if (first === undefined) throw new Error('createClients: name at least one client kind');
  return {
    ...clients,
    counter,
    ...(faults ? { faults } : {}),
    region: () => first.config.region(),
  } as ClientSet<K>;
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
