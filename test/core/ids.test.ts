import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableId } from '../../lambdas/core/ids.js';

/** The id as it was first defined: one Hash object, one update per part. */
function reference(prefix: string, ...parts: (string | number | null)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part ?? ''}\u0000`);
  return `${prefix}-${hash.digest('hex').slice(0, 16)}`;
}

describe('stableId', () => {
  it('gives the id of the first definition for a known finding', () => {
    expect(stableId('f', '123456789012', 'key-unused', 'ci-bot', 1)).toBe(
      reference('f', '123456789012', 'key-unused', 'ci-bot', 1),
    );
    expect(stableId('f', null, 'root-mfa-disabled', '<root_account>', '')).toMatch(
      /^f-[0-9a-f]{16}$/,
    );
  });

  it('gives the same id as the first definition for any parts, lone surrogates included', () => {
    const part = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.integer(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3 }),
        fc.array(part, { maxLength: 5 }),
        (prefix, parts) => {
          expect(stableId(prefix, ...parts)).toBe(reference(prefix, ...parts));
        },
      ),
      { numRuns: 500 },
    );
  });
});
