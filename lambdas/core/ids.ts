import * as crypto from 'node:crypto';

/** `crypto.hash` (Node 20.12+): one call instead of a Hash object per id. */
const oneShotHash = (
  crypto as {
    readonly hash?: (algorithm: string, data: string, encoding: 'hex') => string;
  }
).hash;

/**
 * A short deterministic id from its parts: the same parts always give the same id, so
 * reminders and incidents can be deduplicated across runs and reports merged across accounts.
 *
 * The hash input is every part followed by a NUL (null as the empty string), in UTF-8: a public
 * contract, since ids are compared across runs and versions.
 *
 * @example stableId('f', '123456789012', 'key-unused', 'ci-bot', '1') // 'f-3b1f0c2a9d4e7a61'
 */
export function stableId(prefix: string, ...parts: readonly (string | number | null)[]): string {
  let input = '';
  for (const part of parts) input += `${part ?? ''}\u0000`;
  // Hashing the joined text is hashing the parts one after the other: each ends in a NUL, so no
  // UTF-8 sequence spans two of them.
  const hex =
    oneShotHash === undefined
      ? crypto.createHash('sha256').update(input).digest('hex')
      : oneShotHash('sha256', input, 'hex');
  return `${prefix}-${hex.slice(0, 16)}`;
}
