/**
 * Removes secrets from text we copy out of workload logs or CloudTrail into a report, a message
 * or a log of our own. Key ids (AKIA…) are not secrets and are kept: they are how an incident is
 * tied to a key. Redacting too much is harmless; missing one secret is not, so the rules lean wide.
 */

/** What a removed secret is replaced with. */
export const REDACTED = '[REDACTED]';

/** Longest text we keep from one log line; beyond it the rest is cut (and never scanned twice). */
export const MAX_REDACTED_LENGTH = 2_000;

/**
 * Names whose value is a secret, in `name=value`, `name: value`, `"name": "value"` and
 * `--name value` forms. Matched case-insensitively, as a whole word so that `ExpiredToken:` or
 * `InvalidClientTokenId` are left alone.
 */
const SECRET_NAMES = [
  'aws_secret_access_key',
  'secret_access_key',
  'secretaccesskey',
  'secret-access-key',
  'aws_session_token',
  'session_token',
  'sessiontoken',
  'security_token',
  'securitytoken',
  'x-amz-security-token',
  'x-amz-signature',
  'signature',
  'client_secret',
  'clientsecret',
  'secret_key',
  'secretkey',
  'secret',
  'password',
  'passwd',
  'pwd',
  'api_key',
  'apikey',
  'access_token',
  'accesstoken',
  'refresh_token',
  'id_token',
  'token',
  'private_key',
];

const NAME_ALTERNATION = SECRET_NAMES.map((name) => name.replace(/[-_]/g, '[-_]?')).join('|');

/** `name` + separator + value; the value ends at whitespace, a quote or a delimiter. */
const KEY_VALUE = new RegExp(
  `(^|[^A-Za-z0-9])((?:${NAME_ALTERNATION})["']?\\s*(?:[:=]|=>)\\s*["']?)([^\\s"',;&}\\]<>]+)`,
  'gi',
);

/** `--secret-access-key VALUE` style command-line flags. */
const FLAG_VALUE = new RegExp(`(--(?:${NAME_ALTERNATION}))(\\s+)([^\\s"']+)`, 'gi');

/** `Authorization: Bearer xyz`, `Basic xyz`, and any other scheme's credentials. */
const AUTHORIZATION =
  /\b(Authorization["']?\s*[:=]\s*["']?)(Bearer|Basic|Token|Digest)(\s+)([^\s"',;]+)/gi;

/** Bare bearer tokens outside a header line. */
const BEARER = /\b(Bearer\s+)([A-Za-z0-9._~+/=-]{8,})/g;

/** `scheme://user:password@host`. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi;

/**
 * A 40-character secret access key on its own: base64 letters with both cases, which a hex
 * digest (one case only) never has.
 */
const BARE_SECRET_KEY = /(?<![A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g;

/** Session tokens and other long opaque blobs: 100+ base64 characters. */
const LONG_BLOB = /[A-Za-z0-9/+]{100,}={0,2}/g;

/**
 * Returns `text` with every secret it recognises replaced by `[REDACTED]`, cut to
 * {@link MAX_REDACTED_LENGTH} characters.
 *
 * @example redactSecrets('aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
 * // 'aws_secret_access_key=[REDACTED]'
 */
export function redactSecrets(text: string): string {
  let out = text.length > MAX_REDACTED_LENGTH ? `${text.slice(0, MAX_REDACTED_LENGTH)}…` : text;
  out = out.replace(LONG_BLOB, REDACTED);
  out = out.replace(AUTHORIZATION, (_m, head: string, scheme: string, gap: string) => {
    return `${head}${scheme}${gap}${REDACTED}`;
  });
  out = out.replace(BEARER, (_m, head: string) => `${head}${REDACTED}`);
  out = out.replace(
    URL_PASSWORD,
    (_m, head: string, _pw: string, at: string) => `${head}${REDACTED}${at}`,
  );
  out = out.replace(FLAG_VALUE, (_m, flag: string, gap: string) => `${flag}${gap}${REDACTED}`);
  out = out.replace(KEY_VALUE, (match, lead: string, head: string, value: string) =>
    value === REDACTED || value.startsWith('[REDACTED') ? match : `${lead}${head}${REDACTED}`,
  );
  out = out.replace(BARE_SECRET_KEY, (match: string) =>
    looksLikeSecretKey(match) ? REDACTED : match,
  );
  return out;
}

function looksLikeSecretKey(candidate: string): boolean {
  return /[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /[0-9/+]/.test(candidate);
}

/**
 * A `JSON.parse` error message without the excerpt of the input it quotes
 * (`Unexpected token 'w', "wJalrXUtnF"... is not valid JSON`): the input could be a secret
 * pasted in the wrong place, and the message ends up on stderr, in CI logs and in reports.
 *
 * @example withoutJsonExcerpt(`Unexpected token 'w', "wJalr"... is not valid JSON`) // "Unexpected token 'w' (text not shown)"
 */
export function withoutJsonExcerpt(message: string): string {
  return message.replace(
    /,\s*(?:\.\.\.)?".*"(?:\.\.\.)?\s+is not valid JSON\s*$/s,
    ' (text not shown)',
  );
}
