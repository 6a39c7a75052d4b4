/**
 * Lenient parsing of the time formats AWS writes into the records we read. Every function here
 * returns `null` for anything it cannot read; none of them throws.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/**
 * CloudTrail's `responseElements.credentials.expiration`: `Jul 18, 2023, 4:07:39 PM`, also seen
 * without the comma after the year (`Jan 01, 2019 0:00:00 PM`) and in 24-hour form without AM/PM.
 */
const CLOUDTRAIL_EXPIRATION =
  /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?(?:\s*(?:UTC|GMT|Z))?$/;

/** Logs Insights `@timestamp`: `2026-11-20 09:00:01.123`, always UTC. */
const LOGS_INSIGHTS = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** ISO-8601 with an offset or `Z` (a date-only value is read as midnight UTC). */
const ISO_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/** Epoch milliseconds later than this are not plausible AWS timestamps (year 2200). */
const MAX_EPOCH_MS = 7_258_118_400_000;

/**
 * Reads any timestamp AWS gives us: a `Date`, epoch milliseconds (number or digit string),
 * ISO-8601, Logs Insights `2026-11-20 09:00:01.123` (UTC), or CloudTrail's
 * `Jul 18, 2023, 4:07:39 PM` (UTC). Anything else, including impossible dates, gives `null`.
 *
 * @example parseAwsTime('Jul 18, 2023, 4:07:39 PM')?.toISOString() // '2023-07-18T16:07:39.000Z'
 * @example parseAwsTime('2026-11-20 09:00:01.123')?.toISOString() // '2026-11-20T09:00:01.123Z'
 * @example parseAwsTime('yesterday') // null
 */
export function parseAwsTime(value: unknown): Date | null {
  const ms = parseAwsTimeMs(value);
  return ms === null ? null : new Date(ms);
}

/**
 * {@link parseAwsTime} as epoch milliseconds, without making a `Date`: what code that reads a
 * time per record (the incident correlator) compares and keeps.
 *
 * @example parseAwsTimeMs('2026-11-20T10:00:00Z') // 1795168800000
 */
export function parseAwsTimeMs(value: unknown): number | null {
  if (typeof value === 'string') {
    // The one shape CloudTrail writes every `eventTime` in: read without a regex or a Date.
    const ms = cloudTrailTimeMs(value);
    if (ms !== null) return ms;
  }
  if (value instanceof Date) return validMs(value.getTime());
  if (typeof value === 'number') return fromEpochMs(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length === 0 || text.length > 64) return null;
  if (/^\d{10,16}$/.test(text)) return fromEpochMs(Number(text));
  return (
    parseLogsInsightsMs(text) ?? parseIsoTimeMs(text) ?? parseCloudTrailExpirationMs(text) ?? null
  );
}

/**
 * CloudTrail's non-ISO `expiration` (`Jul 18, 2023, 4:07:39 PM`), read as UTC.
 * `0:00:00 PM` (seen in real fixtures) is read as noon; `12:xx AM` as just after midnight.
 *
 * @example parseCloudTrailExpiration('Jan 01, 2019 0:00:00 PM')?.toISOString() // '2019-01-01T12:00:00.000Z'
 */
export function parseCloudTrailExpiration(text: string): Date | null {
  return toDate(parseCloudTrailExpirationMs(text.trim()));
}

/** Logs Insights `@timestamp` (`2026-11-20 09:00:01.123`), which is UTC without saying so. */
export function parseLogsInsightsTime(text: string): Date | null {
  return toDate(parseLogsInsightsMs(text.trim()));
}

function parseCloudTrailExpirationMs(text: string): number | null {
  const match = CLOUDTRAIL_EXPIRATION.exec(text);
  if (!match) return null;
  const [
    ,
    monthName = '',
    dayText = '',
    yearText = '',
    hourText = '',
    minuteText = '',
    secondText,
    meridiem,
  ] = match;
  const month = MONTHS[monthName.toLowerCase()];
  if (month === undefined) return null;
  let hour = Number(hourText);
  if (meridiem) {
    if (hour > 12) return null;
    const pm = meridiem.toLowerCase() === 'pm';
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  return utcMs(
    Number(yearText),
    month,
    Number(dayText),
    hour,
    Number(minuteText),
    Number(secondText ?? '0'),
    0,
  );
}

function parseLogsInsightsMs(text: string): number | null {
  const match = LOGS_INSIGHTS.exec(text);
  if (!match) return null;
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '', fraction = ''] = match;
  const ms = fraction === '' ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  return utcMs(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

function parseIsoTimeMs(text: string): number | null {
  if (!ISO_WITH_ZONE.test(text)) return null;
  const [datePart = ''] = text.split(/T/i);
  const [y, mo, d] = datePart.split('-').map(Number);
  if (y === undefined || mo === undefined || d === undefined || !isRealDay(y, mo - 1, d))
    return null;
  return validMs(Date.parse(text));
}

/**
 * `2026-11-20T10:00:00Z` exactly (20 characters, upper-case `T` and `Z`, a real day and time in
 * the years {@link parseIsoTimeMs} accepts), else null: then the general readers decide, so
 * this only ever gives what they would (a property-based test holds the two together).
 */
export function cloudTrailTimeMs(text: string): number | null {
  if (
    text.length !== 20 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 90 // Z
  ) {
    return null;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  // `digits` gives -1 for a non-digit, which every range check below turns away.
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  if (month < 1 || !isRealDay(year, month - 1, day)) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The decimal number written by `length` ASCII digits from `start`; -1 when one is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function fromEpochMs(ms: number): number | null {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_EPOCH_MS) return null;
  return ms;
}

function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | null {
  if (!isRealDay(year, month, day)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  return validMs(Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Rejects 31 Feb and friends, which `Date.UTC` would silently roll over. */
function isRealDay(year: number, month: number, day: number): boolean {
  if (year < 1970 || year > 2200 || month < 0 || month > 11 || day < 1) return false;
  // Gregorian leap years; exact for every year accepted here.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 1 && leap ? 29 : (DAYS_IN_MONTH[month] ?? 0));
}

function validMs(ms: number): number | null {
  return Number.isFinite(ms) ? ms : null;
}

function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
