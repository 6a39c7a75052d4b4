import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReportTimestamp } from '../../lambdas/core/credential-report.js';

/** The general reading, as parseReportTimestamp did it before it had a fast path: the reference. */
function generalReading(text: string): Date | null {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/.exec(
      text,
    );
  if (!match) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return null;
  const [, year, month, day] = match;
  const local = new Date(`${year}-${month}-${day}T00:00:00Z`);
  if (Number.isNaN(local.getTime()) || local.getUTCDate() !== Number(day)) return null;
  return date;
}

const two = (min: number, max: number) =>
  fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
const odd = fc.constantFrom('0a', ' 1', '-1', '1', '123', '٣٣');
const part = (min: number, max: number) =>
  fc.oneof({ arbitrary: two(min, max), weight: 9 }, { arbitrary: odd, weight: 1 });
/** Near the shape AWS writes, with every part now and then out of range or not digits. */
const timestamp = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
      fc.constantFrom('2024', '2026', '1900', '2000', '0099', '10000'),
    ),
    part(0, 13),
    part(0, 32),
    part(0, 24),
    part(0, 60),
    part(0, 60),
    fc.constantFrom('', '', '', '.5', '.123'),
    fc.constantFrom('+00:00', '+00:00', 'Z', 'Z', '-00:00', '+01:00', '+0000', 'z', ' ', ''),
    fc.constantFrom('-', '-', '/'),
    fc.constantFrom('T', 'T', 't', ' '),
  )
  .map(
    ([year, month, day, hour, minute, second, fraction, zone, dash, t]) =>
      `${year}${dash}${month}-${day}${t}${hour}:${minute}:${second}${fraction}${zone}`,
  );

describe('parseReportTimestamp (properties)', () => {
  it('reads every text as the general reading does, fast path or not', () => {
    fc.assert(
      fc.property(fc.oneof(timestamp, fc.string({ maxLength: 26 })), (text) => {
        expect(parseReportTimestamp(text)?.getTime() ?? null).toBe(
          generalReading(text)?.getTime() ?? null,
        );
      }),
      { numRuns: 5000 },
    );
  });

  it('reads every real second of 1970–2100 written as AWS writes it', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2100-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom('+00:00', 'Z'),
        (date, zone) => {
          const text = `${date.toISOString().slice(0, 19)}${zone}`;
          expect(parseReportTimestamp(text)?.getTime()).toBe(
            Math.floor(date.getTime() / 1000) * 1000,
          );
        },
      ),
    );
  });
});
