import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toIso, toIsoDay } from '../../lambdas/core/time.js';

describe('toIso and toIsoDay', () => {
  it.each([
    ['2026-11-20T12:00:00.000Z', '2026-11-20T12:00:00Z'],
    ['2026-11-20T12:00:00.120Z', '2026-11-20T12:00:00.120Z'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z'],
    ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
    ['9999-12-31T23:59:59.000Z', '9999-12-31T23:59:59Z'],
  ])('prints %s as %s', (iso, expected) => {
    expect(toIso(new Date(iso))).toBe(expected);
    expect(toIsoDay(new Date(iso))).toBe(iso.slice(0, 10));
  });

  it('print any date as toISOString does (without .000)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
        (date) => {
          expect(toIso(date)).toBe(date.toISOString().replace('.000Z', 'Z'));
          expect(toIsoDay(date)).toBe(date.toISOString().slice(0, 10));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('throw on an invalid Date, as toISOString does', () => {
    expect(() => toIso(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => toIsoDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});
