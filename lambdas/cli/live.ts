import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CredentialChainContext } from '../adapters/aws-errors.js';
import { type AwsClients, createAwsClients } from '../adapters/clients.js';
import { FAULTS_ENV, parseFaultPlan } from '../adapters/fault-injection.js';
import { type CallerIdentity, getCallerIdentity } from '../adapters/sts.js';
import { ConfigError } from '../core/errors.js';
import type { AuditSources } from '../core/sources.js';
import { createLiveAuditSources } from '../sources/live/live-sources.js';
import { createTimeBudget, type TimeBudget } from '../sources/live/time-budget.js';

/** `CREDHEALTH_TIME_BUDGET`: how long a live audit may read before it stops and reports. */
export const TIME_BUDGET_ENV = 'CREDHEALTH_TIME_BUDGET';

/** How `credhealth audit` without `--from-dir` reaches the account: the CLI's live options. */
export interface LiveCliOptions {
  /** `--profile`: a named profile; the default credential chain when absent. */
  readonly profile?: string;
  /** `--region`; the chain's region (AWS_REGION, profile) when absent. */
  readonly region?: string;
  /** `--role-arn`: a role to assume before reading (a member account's scan role). */
  readonly roleArn?: string;
  /**
   * `--cloudtrail`: `lookup` (LookupEvents), `s3` (the trail's bucket), or `auto` (the bucket of
   * a trail when one is found and readable, else LookupEvents).
   * @default 'auto'
   */
  readonly cloudTrail: 'auto' | 'lookup' | 's3';
  /** `--log-groups`: workload log groups to search besides the account's Lambda log groups. */
  readonly logGroups: readonly string[];
  /** The process environment (`AWS_ENDPOINT_URL` and the SDK's other variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called as files or pages are read, for the progress bar (same shape as the file sources'). */
  readonly onFile?: (name: string, index: number, total: number) => void;
}

/** The modes `--cloudtrail` accepts. */
export const CLOUDTRAIL_MODES = ['auto', 'lookup', 's3'] as const;

/**
 * Audit sources over a live account. The only door from the CLI to the AWS SDK, loaded lazily
 * so an offline audit never loads the SDK.
 *
 * Before anything is read, `sts:GetCallerIdentity` proves the credential chain works (and
 * gives the account id), so a missing profile or an expired session ends the run with one
 * line naming the failed step and its fix rather than a failure per source.
 *
 * @throws CredentialChainError (a RequiredSourceError: exit code 3) when credentials are
 *   missing, expired or rejected, or the role cannot be assumed.
 * @throws ConfigError (exit code 2) when no Region is configured.
 */
export async function createLiveSources(options: LiveCliOptions): Promise<AuditSources> {
  const budget = timeBudgetFrom(options.env[TIME_BUDGET_ENV]);
  const { clients, region, identity } = await connect(options);
  return createLiveAuditSources({
    ...(budget === undefined ? {} : { timeBudget: budget }),
    iam: clients.iam,
    sts: clients.sts,
    cloudTrail: clients.cloudTrail,
    s3: clients.s3,
    logs: clients.logs,
    counter: clients.counter,
    region,
    accountId: identity.account || null,
    cloudTrailMode: options.cloudTrail,
    logGroups: options.logGroups,
  });
}

/** Clients for the options, with the Region resolved and the credentials proven. */
export async function connect(
  options: Pick<LiveCliOptions, 'profile' | 'region' | 'roleArn' | 'env'>,
): Promise<{ clients: AwsClients; region: string; identity: CallerIdentity }> {
  const clients = createAwsClients({
    // Parsed here, where the CLI builds its clients, and nowhere else (docs/reliability.md).
    faults: parseFaultPlan(options.env[FAULTS_ENV]),
    region: options.region,
    profile: options.profile,
    roleArn: options.roleArn,
    // An emulator on 127.0.0.1 (moto, LocalStack) has no bucket subdomains.
    forcePathStyle: Boolean(options.env.AWS_ENDPOINT_URL_S3 ?? options.env.AWS_ENDPOINT_URL),
  });
  let region: string;
  try {
    region = await clients.region();
  } catch {
    throw new ConfigError(
      'no AWS Region configured: pass --region REGION, set AWS_REGION, or set region in the profile',
    );
  }
  const identity = await getCallerIdentity(clients.sts, credentialContext(options));
  return { clients, region, identity };
}

/**
 * `CREDHEALTH_TIME_BUDGET` (`90s`, `15m`, `500ms`; a bare number is seconds), counted from
 * now; undefined when not set.
 *
 * @throws ConfigError when it is not such a duration.
 */
export function timeBudgetFrom(
  text: string | undefined,
  clock: () => number = Date.now,
): TimeBudget | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const match = /^(\d{1,9})(ms|s|m)?$/.exec(text.trim());
  if (!match?.[1]) {
    throw new ConfigError(
      `${TIME_BUDGET_ENV}: ${JSON.stringify(text.slice(0, 40))} is not a duration such as 500ms, 90s or 15m`,
    );
  }
  const amount = Number(match[1]);
  const ms = match[2] === 'ms' ? amount : match[2] === 'm' ? amount * 60_000 : amount * 1_000;
  return createTimeBudget(clock() + ms, { clock });
}

/**
 * Whether a profile is defined in the shared files (`[profile NAME]` or `[NAME]` in
 * ~/.aws/config, `[NAME]` in ~/.aws/credentials, or the files the env names instead).
 */
export function profileDefined(
  profile: string,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const files = [
    env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
  ];
  const escaped = profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const header = new RegExp(`^\\s*\\[\\s*(?:profile\\s+)?${escaped}\\s*\\]`, 'm');
  return files.some((file) => {
    try {
      return header.test(readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** What the environment says about where credentials come from, to explain a failure. */
export function credentialContext(
  options: Pick<LiveCliOptions, 'profile' | 'roleArn' | 'env'>,
): CredentialChainContext {
  const profile = options.profile ?? options.env.AWS_PROFILE;
  return {
    ...(profile === undefined ? {} : { profile }),
    ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }),
    envKeys: Boolean(options.env.AWS_ACCESS_KEY_ID),
    envSessionToken: Boolean(options.env.AWS_SESSION_TOKEN),
    ...(profile === undefined ? {} : { profileFound: profileDefined(profile, options.env) }),
  };
}
