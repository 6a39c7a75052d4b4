import { CLOCK_SKEW_TEXT, CREDENTIAL_ERROR_CODES } from '../core/credential-error-codes.js';
import { CredentialHealthError, RequiredSourceError } from '../core/errors.js';

/**
 * SDK errors translated into ours. The adapters throw these so callers never need to know an
 * SDK error's shape, and the CLI can print one line with a fix instead of a stack trace.
 */

/** Why the credential chain did not give usable credentials. */
export type CredentialFailureReason =
  | 'missing'
  | 'expired'
  | 'invalid'
  | 'clock-skew'
  | 'sso-expired'
  | 'role-not-assumed';

/** Where the credentials were expected to come from, as far as we can tell from the outside. */
export interface CredentialChainContext {
  /** `--profile` or `AWS_PROFILE`. */
  readonly profile?: string | undefined;
  /** `--role-arn`: a role assumed after the chain resolved base credentials. */
  readonly roleArn?: string | undefined;
  /** True when `AWS_ACCESS_KEY_ID` is set: environment variables win over every file. */
  readonly envKeys?: boolean;
  /** True when `AWS_SESSION_TOKEN` is set. */
  readonly envSessionToken?: boolean;
  /**
   * Whether `profile` is defined in the shared config or credentials file; undefined when
   * not checked. The SDK's own error does not say.
   */
  readonly profileFound?: boolean;
}

/**
 * The credential chain failed: nothing found, or what was found is expired or not valid.
 * A `RequiredSourceError`, because without credentials nothing can be read (CLI exit code 3).
 */
export class CredentialChainError extends RequiredSourceError {
  public readonly reason: CredentialFailureReason;
  /** The step of the chain that failed, e.g. `environment variables`, `profile "dev"`. */
  public readonly step: string;
  /** What to do about it, one sentence. */
  public readonly fix: string;

  public constructor(
    reason: CredentialFailureReason,
    step: string,
    fix: string,
    options?: ErrorOptions,
  ) {
    super(`AWS credentials ${describeReason(reason)} (${step}): ${fix}`, options);
    this.name = 'CredentialChainError';
    this.reason = reason;
    this.step = step;
    this.fix = fix;
  }
}

/** The caller's credentials work but lack a permission (an IAM policy problem, not a credential one). */
export class AwsPermissionError extends CredentialHealthError {
  public readonly operation: string;
  public constructor(operation: string, message: string, options?: ErrorOptions) {
    super(`not allowed to call ${operation}: ${message}`, options);
    this.name = 'AwsPermissionError';
    this.operation = operation;
  }
}

/** Any other AWS API failure, named by operation and error code, without the SDK's payload. */
export class AwsApiError extends CredentialHealthError {
  public readonly operation: string;
  public readonly code: string;
  public constructor(operation: string, code: string, message: string, options?: ErrorOptions) {
    super(`${operation} failed: ${code}: ${message}`, options);
    this.name = 'AwsApiError';
    this.operation = operation;
    this.code = code;
  }
}

/** The error code of an SDK (or any) error: its `name`, or `Code`/`code` for older shapes. */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  const record = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const candidate of [record.name, record.Code, record.code]) {
    if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error')
      return candidate;
  }
  return 'Error';
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.slice(0, 300) ?? '';
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'LimitExceeded',
  'LimitExceededException',
]);

/** True for the rate-limit errors worth waiting out. */
export function isThrottling(error: unknown): boolean {
  return THROTTLING_CODES.has(errorCode(error));
}

const EXPIRED_CODES: ReadonlySet<string> = new Set(CREDENTIAL_ERROR_CODES.expired);
const INVALID_CODES: ReadonlySet<string> = new Set(CREDENTIAL_ERROR_CODES.invalid);
const MISSING_CODES: ReadonlySet<string> = new Set(CREDENTIAL_ERROR_CODES['no-credentials']);
const CLOCK_SKEW_CODES: ReadonlySet<string> = new Set(CREDENTIAL_ERROR_CODES['clock-skew']);
const DENIED_PATTERN = /AccessDenied|UnauthorizedOperation|AuthorizationError|NotAuthorized/;

/**
 * The credential-chain reading of an error: null when the error is not about credentials.
 *
 * @example
 * explainCredentialFailure(expiredTokenError, { profile: 'dev' })?.message
 * // 'AWS credentials have expired (profile "dev"): refresh them (aws sso login --profile dev, ...)'
 */
export function explainCredentialFailure(
  error: unknown,
  context: CredentialChainContext = {},
  operation?: string,
): CredentialChainError | null {
  const code = errorCode(error);
  const message = errorMessage(error);
  const step = chainStep(context);
  const options = { cause: error };

  // First: AWS reports a skewed clock as SignatureDoesNotMatch (also on AssumeRole), and the
  // fix for a wrong clock is neither a new secret nor a trust policy.
  if (CLOCK_SKEW_CODES.has(code) || (INVALID_CODES.has(code) && CLOCK_SKEW_TEXT.test(message))) {
    return new CredentialChainError(
      'clock-skew',
      step,
      "this machine's clock is too far from AWS's (more than 5 minutes): sync it (NTP, `timedatectl set-ntp true`, or the OS time settings) and try again",
      options,
    );
  }
  if (
    context.roleArn &&
    operation === 'AssumeRole' &&
    (DENIED_PATTERN.test(code) || INVALID_CODES.has(code))
  ) {
    return new CredentialChainError(
      'role-not-assumed',
      `assuming ${context.roleArn}`,
      `the base credentials (${step}) may not assume this role: check the role's trust policy and the caller's sts:AssumeRole permission, or drop --role-arn`,
      options,
    );
  }
  if (/sso/i.test(message) && /expired|refresh|token/i.test(message)) {
    const profile = context.profile ?? 'default';
    return new CredentialChainError(
      'sso-expired',
      `SSO login of profile "${profile}"`,
      `run \`aws sso login --profile ${profile}\` and try again`,
      options,
    );
  }
  if (
    MISSING_CODES.has(code) ||
    /could not load credentials|unable to locate credentials/i.test(message)
  ) {
    return new CredentialChainError('missing', step, missingFix(context, message), options);
  }
  if (
    EXPIRED_CODES.has(code) ||
    /token (included in the request )?(is|has) expired/i.test(message)
  ) {
    return new CredentialChainError('expired', step, expiredFix(context), options);
  }
  if (INVALID_CODES.has(code)) {
    return new CredentialChainError('invalid', step, invalidFix(context, code), options);
  }
  return null;
}

/**
 * Any SDK error → one of ours: a credential failure, a permission problem, or an API error
 * naming the operation. Errors that already are ours pass through.
 */
export function toCredentialHealthError(
  error: unknown,
  operation: string,
  context: CredentialChainContext = {},
): CredentialHealthError {
  if (error instanceof CredentialHealthError) return error;
  const credential = explainCredentialFailure(error, context, operation);
  if (credential) return credential;
  const code = errorCode(error);
  if (DENIED_PATTERN.test(code))
    return new AwsPermissionError(operation, errorMessage(error), { cause: error });
  if (/Region is missing/i.test(errorMessage(error))) {
    return new AwsApiError(
      operation,
      'RegionMissing',
      'no region configured: pass --region or set AWS_REGION',
      {
        cause: error,
      },
    );
  }
  return new AwsApiError(operation, code, errorMessage(error), { cause: error });
}

function describeReason(reason: CredentialFailureReason): string {
  switch (reason) {
    case 'missing':
      return 'not found';
    case 'expired':
      return 'have expired';
    case 'invalid':
      return 'were rejected';
    case 'clock-skew':
      return 'were refused for the clock';
    case 'sso-expired':
      return 'have expired';
    case 'role-not-assumed':
      return 'could not assume the role';
  }
}

function chainStep(context: CredentialChainContext): string {
  if (context.envKeys) return 'environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
  if (context.profile) return `profile "${context.profile}"`;
  return 'default credential chain: environment, ~/.aws files, SSO, container and instance roles';
}

function missingFix(context: CredentialChainContext, message: string): string {
  if (context.profile) {
    if (
      context.profileFound === false ||
      /profile.*(not found|could not be found)/i.test(message)
    ) {
      return `profile "${context.profile}" is not in ~/.aws/config or ~/.aws/credentials: check the name (aws configure list-profiles)`;
    }
    return `profile "${context.profile}" gave no credentials: run \`aws configure --profile ${context.profile}\`, or \`aws sso login --profile ${context.profile}\` for an SSO profile`;
  }
  return 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME (run `aws sso login --profile NAME` first for SSO), or run where a role is attached';
}

function expiredFix(context: CredentialChainContext): string {
  if (context.envKeys && context.envSessionToken) {
    return 'the temporary keys in AWS_ACCESS_KEY_ID/AWS_SESSION_TOKEN have expired and environment variables override every profile: export fresh ones or unset them';
  }
  if (context.profile) {
    return `refresh profile "${context.profile}" (\`aws sso login --profile ${context.profile}\` for SSO, or renew its credential_process/session keys)`;
  }
  return 'the session has expired: get new temporary credentials (`aws sso login`, a new assume-role), or unset stale AWS_SESSION_TOKEN variables';
}

function invalidFix(context: CredentialChainContext, code: string): string {
  const what =
    code === 'SignatureDoesNotMatch' || code === 'InvalidSignatureException'
      ? 'the secret key does not match the key id (mistyped or rotated secret), or the clock is skewed'
      : 'the key id is unknown to AWS (deleted, deactivated, or from another partition)';
  if (context.envKeys) {
    return `${what}; AWS_ACCESS_KEY_ID in the environment overrides every profile: fix or unset it`;
  }
  if (context.profile)
    return `${what}; update profile "${context.profile}" (aws configure --profile ${context.profile})`;
  return `${what}; check which credentials are in use with \`aws sts get-caller-identity\``;
}
