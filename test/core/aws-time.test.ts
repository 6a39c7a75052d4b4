import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseAwsTime,
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
