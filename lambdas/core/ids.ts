import { createHash } from 'node:crypto';

/**
 * A short deterministic id from its parts: the same parts always give the same id, so
 * reminders and incidents can be deduplicated across runs and reports merged across accounts.
 *
 * @example stableId('f', '123456789012', 'key-unused', 'ci-bot', '1') // 'f-3b1f0c2a9d4e7a61'
 */
export function stableId(prefix: string, ...parts: readonly (string | number | null)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part ?? ''}\u0000`);
  return `${prefix}-${hash.digest('hex').slice(0, 16)}`;
}
