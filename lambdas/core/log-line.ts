import { CLOCK_SKEW_TEXT, CREDENTIAL_ERROR_CODES } from './credential-error-codes.js';
import { ACCESS_KEY_ID_PATTERN } from './mask.js';

/**
 * Classifies one workload log line (or a CloudTrail error code and message) as a client-side
 * credential failure. These failures never reach CloudTrail (AWS does not log requests that
 * fail authentication, and "no credentials" never leaves the client), so the callers' logs
 * are where they are seen.
 */

/** The four failure families log lines can show. */
export type CredentialFailure = 'expired' | 'invalid' | 'no-credentials' | 'clock-skew';

/** What else a line says about where the credential chain broke. */
export type CredentialHint =
  | 'imds'
  | 'container'
  | 'credential-process'
  | 'profile'
  | 'sso'
  | 'file-permissions'
  | 'env-vars'
  | 'web-identity'
  | 'missing-session-token';

export interface LogLineClassification {
  readonly failure: CredentialFailure;
  /** The error code the line names, or the code AWS uses for the text it quotes. */
  readonly errorCode: string;
  /** Access key ids quoted in the line (the SDKs do not print them; some apps do). */
  readonly accessKeyIds: readonly string[];
  readonly hints: readonly CredentialHint[];
}

interface Rule {
  readonly failure: CredentialFailure;
  /** Codes to look for, longest first (`ExpiredTokenException` before `ExpiredToken`). */
  readonly codes: readonly string[];
  /** Texts (no code) that also mean this failure. */
  readonly texts: RegExp;
  /** Code reported when only a text matched. */
  readonly fallbackCode: string;
}

/** Only the head of a line is scanned: stack traces after it add nothing and cost time. */
const MAX_SCAN = 8_192;

/**
 * Checked in order. Clock skew comes first because AWS reports it as `SignatureDoesNotMatch:
 * Signature expired: …`, which would otherwise read as a bad secret.
 */
const RULES: readonly Rule[] = [
  {
    failure: 'clock-skew',
    codes: CREDENTIAL_ERROR_CODES['clock-skew'],
    texts: CLOCK_SKEW_TEXT,
    fallbackCode: 'SignatureExpired',
  },
  {
    failure: 'expired',
    codes: CREDENTIAL_ERROR_CODES.expired,
    texts:
      /security token included in the request is expired|(?:provided )?token (?:has|is) expired|SSO session associated with this profile (?:has expired|is expired)|credentials? (?:have|has) expired|session has expired/i,
    fallbackCode: 'ExpiredToken',
  },
  {
    failure: 'invalid',
    codes: CREDENTIAL_ERROR_CODES.invalid,
    texts:
      /security token included in the request is invalid|AWS Access Key Id you provided does not exist|request signature we calculated does not match/i,
    fallbackCode: 'InvalidClientTokenId',
  },
  {
    failure: 'no-credentials',
    codes: CREDENTIAL_ERROR_CODES['no-credentials'],
    texts:
      /Unable to locate credentials|Could not load credentials from any providers|Unable to load (?:AWS )?credentials from any (?:of the providers|provider)|no valid providers in chain|failed to retrieve credentials|no EC2 IMDS role found|config profile \(.*\) could not be found/i,
    fallbackCode: 'NoCredentialsError',
  },
];

const HINTS: readonly (readonly [RegExp, CredentialHint])[] = [
  [
    /169\.254\.169\.254|\bIMDS|instance metadata|ec2rolecreds|InstanceMetadata|EC2 metadata/i,
    'imds',
  ],
  [
    /AWS_CONTAINER_CREDENTIALS|169\.254\.170\.2|container credentials|fromContainerMetadata/i,
    'container',
  ],
  [/credential_process|custom-process|CredentialRetrievalError|fromProcess/i, 'credential-process'],
  [
    /ProfileNotFound|config profile \(|profile [^\s]+ (?:could not be found|not found)|AWS_PROFILE/i,
    'profile',
  ],
  [/\bsso\b|aws sso login|SSOTokenProvider|fromSSO|IAM Identity Center/i, 'sso'],
  [
    /(?:Permission denied|EACCES)[^\n]*\.aws|\.aws\/(?:credentials|config)[^\n]*(?:Permission denied|EACCES)/i,
    'file-permissions',
  ],
  [/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|EnvironmentVariables|fromEnv/i, 'env-vars'],
  [
    /AssumeRoleWithWebIdentity|web identity|InvalidIdentityToken|AWS_WEB_IDENTITY_TOKEN_FILE/i,
    'web-identity',
  ],
];

/**
 * Classifies a log line. Returns `null` when the line shows no credential failure; never throws.
 *
 * @example classifyLogLine('botocore.exceptions.NoCredentialsError: Unable to locate credentials')
 * // { failure: 'no-credentials', errorCode: 'NoCredentialsError', accessKeyIds: [], hints: [] }
 */
export function classifyLogLine(message: string): LogLineClassification | null {
  if (typeof message !== 'string' || message.length === 0) return null;
  const head = message.length > MAX_SCAN ? message.slice(0, MAX_SCAN) : message;
  for (const rule of RULES) {
    const code = rule.codes.find((candidate) => containsWord(head, candidate));
    if (code === undefined && !rule.texts.test(head)) continue;
    return {
      failure: rule.failure,
      errorCode: code ?? rule.fallbackCode,
      accessKeyIds: accessKeyIdsIn(head),
      hints: HINTS.filter(([pattern]) => pattern.test(head)).map(([, hint]) => hint),
    };
  }
  return null;
}

/** Key ids quoted in a text, without duplicates, at most 5. */
export function accessKeyIdsIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(ACCESS_KEY_ID_PATTERN)) {
    found.add(match[0]);
    if (found.size >= 5) break;
  }
  return [...found];
}

/** `code` as a whole word, so `ExpiredToken` does not match inside `NotExpiredTokenX`. */
function containsWord(text: string, code: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(code, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text.charAt(at - 1);
    const after = text.charAt(at + code.length);
    if (!/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9]/.test(after)) return true;
    from = at + 1;
  }
}
