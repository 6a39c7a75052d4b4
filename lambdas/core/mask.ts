/** Long-term (AKIA) and temporary (ASIA) access key ids, and the other IAM id prefixes AWS uses. */
export const ACCESS_KEY_ID_PATTERN = /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g;

/**
 * The form of a key id people see in messages: prefix and last four characters.
 *
 * @example maskAccessKeyId('AKIAIOSFODNN7EXAMPLE') // 'AKIA…MPLE'
 */
export function maskAccessKeyId(id: string): string {
  if (id.length <= 8) return id;
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}
