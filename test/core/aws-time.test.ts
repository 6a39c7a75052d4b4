import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cloudTrailTimeMs,
  parseAwsTime,
  parseAwsTimeMs,
  parseCloudTrailExpiration,
  parseLogsInsightsTime,
} from '../../lambdas/core/aws-time.js';

describe('parseAwsTime', () => {
  it.each([
    ['Jul 18, 2023, 4:07:39 PM', '2023-07-18T16:07:39.000Z'],
    ['Jul 18, 2023, 4:07:39 AM', '2023-07-18T04:07:39.000Z'],
    ['Jan 01, 2019 0:00:00 PM', '2019-01-01T12:00:00.000Z'],
    ['Nov 20, 2026, 12:00:00 AM', '2026-11-20T00:00:00.000Z'],
    ['Nov 20, 2026, 12:30:00 PM', '2026-11-20T12:30:00.000Z'],
    ['Nov 20, 2026 13:05:00', '2026-11-20T13:05:00.000Z'],
    ['2026-11-20 09:00:01.123', '2026-11-20T09:00:01.123Z'],
    ['2026-11-20 09:00:01', '2026-11-20T09:00:01.000Z'],
    // AWS writes zone-less times in UTC; they are never read as the machine's local time.
    ['2026-11-20T09:00:01', '2026-11-20T09:00:01.000Z'],
    ['2026-11-20T09:00:01Z', '2026-11-20T09:00:01.000Z'],
    ['2026-11-20T10:00:01+01:00', '2026-11-20T09:00:01.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['1795165200000', '2026-11-20T09:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    // Act
    const parsed = parseAwsTime(text);

    // Assess
    expect(parsed?.toISOString()).toBe(iso);
  });

  it('reads epoch milliseconds and Dates', () => {
    expect(parseAwsTime(1_795_165_200_000)?.toISOString()).toBe('2026-11-20T09:00:00.000Z');
    expect(parseAwsTime(new Date('2026-11-20T09:00:00Z'))?.toISOString()).toBe(
      '2026-11-20T09:00:00.000Z',
    );
  });

  it.each([
    ['', null],
    ['garbage', null],
    ['Feb 30, 2026, 1:00:00 PM', null],
    ['Jul 18, 2023, 13:07:39 PM', null],
    ['Foo 18, 2023, 4:07:39 PM', null],
    ['2026-02-30 10:00:00', null],
    ['2026-11-20 25:00:00', null],
    ['2026-11-20T09:00', null],
    [Number.NaN, null],
    [-5, null],
    [Number.POSITIVE_INFINITY, null],
    [new Date(Number.NaN), null],
    [{}, null],
    [null, null],
    [undefined, null],
  ])('gives null for %s', (value, expected) => {
    expect(parseAwsTime(value)).toBe(expected);
  });

  it('never throws on any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything(), fc.double(), fc.integer()), (value) => {
        const parsed = parseAwsTime(value);
        expect(parsed === null || !Number.isNaN(parsed.getTime())).toBe(true);
      }),
    );
  });

  it('round-trips every ISO instant it is given', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1971-01-01T00:00:00Z'),
          max: new Date('2199-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (date) => {
          expect(parseAwsTime(date.toISOString())?.getTime()).toBe(date.getTime());
        },
      ),
    );
  });
});

describe('specific readers', () => {
  it('reads only their own format', () => {
    expect(parseCloudTrailExpiration('2026-11-20 09:00:01')).toBeNull();
    expect(parseLogsInsightsTime('Jul 18, 2023, 4:07:39 PM')).toBeNull();
    expect(parseLogsInsightsTime('2026-11-20 09:00:01.5')?.toISOString()).toBe(
      '2026-11-20T09:00:01.500Z',
    );
  });
});

describe('the fast path for CloudTrail event times', () => {
  /** The general readers' answer: a leading space keeps the text off the fast path. */
  const general = (text: string): number | null => parseAwsTimeMs(` ${text}`);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');

  it.each([
    ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00.000Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    // Act
    const ms = cloudTrailTimeMs(text);

    // Assess
    expect(ms === null ? null : new Date(ms).toISOString()).toBe(iso);
    expect(parseAwsTimeMs(text)).toBe(ms);
  });

  it.each([
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2100-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-00-10T10:00:00Z',
    '2026-11-00T10:00:00Z',
    '2026-11-20T10:60:00Z',
    '2026-11-20T10:00:60Z',
    '1969-12-31T23:59:59Z',
    '2201-01-01T00:00:00Z',
  ])('refuses %s, as the general readers do', (text) => {
    expect(cloudTrailTimeMs(text)).toBeNull();
    expect(parseAwsTimeMs(text)).toBeNull();
    expect(general(text)).toBeNull();
  });

  it('leaves every other shape to the general readers', () => {
    for (const text of [
      '2026-11-20t10:00:00z',
      '2026-11-20T10:00:00.000Z',
      '2026-11-20T10:00:00+00:00',
      '2026-11-20T24:00:00Z',
      ' 2026-11-20T10:00:00Z',
    ]) {
      expect(cloudTrailTimeMs(text)).toBeNull();
    }
  });

  it('agrees with the general readers on any text of the shape, valid or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1950, max: 2250 }),
        fc.integer({ min: 0, max: 19 }),
        fc.integer({ min: 0, max: 39 }),
        fc.integer({ min: 0, max: 29 }),
        fc.integer({ min: 0, max: 69 }),
        fc.integer({ min: 0, max: 69 }),
        (year, month, day, hour, minute, second) => {
          // Prepare
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}Z`;
          // Act
          const fast = cloudTrailTimeMs(text);
          // Assess
          expect(parseAwsTimeMs(text)).toBe(general(text));
          if (fast !== null) expect(fast).toBe(general(text));
          // The fast path takes every valid time of the shape below hour 24.
          if (general(text) !== null && hour < 24) expect(fast).not.toBeNull();
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('agrees with the general readers on arbitrary 20-character text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 20, maxLength: 20, unit: fc.constantFrom(...'0129-T:Z x') }),
        (text) => {
          expect(parseAwsTimeMs(text)).toBe(general(text));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
