/** Milliseconds in a day of 24 hours: every threshold in days is measured in these from `now`. */
export const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (floor); negative when `from` is later. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** `date` moved by a number of days (negative goes back). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** ISO-8601 without milliseconds when they are zero, as AWS prints times. */
export function toIso(date: Date): string {
  const time = date.getTime();
  if (!(time >= 0 && time <= LAST_FAST_MS)) return date.toISOString().replace('.000Z', 'Z');
  const dayNumber = Math.floor(time / DAY_MS);
  // Two cached parts joined once: one small string object per call, not a chain of seven.
  return dayText(dayNumber) + clockText(time - dayNumber * DAY_MS);
}

/**
 * `2026-11-20`: the UTC day of a date, as the first ten characters of `toISOString()`.
 *
 * @example toIsoDay(new Date('2026-11-20T12:00:00Z')) // '2026-11-20'
 */
export function toIsoDay(date: Date): string {
  const time = date.getTime();
  if (!(time >= 0 && time <= LAST_FAST_MS)) return date.toISOString().slice(0, 10);
  return dayText(Math.floor(time / DAY_MS));
}

// Why: reports and findings print the same few thousand days tens of thousands of times, and
// Date#toISOString costs about a microsecond. Each day is formatted once by toISOString itself,
// so the text is the same; the time of day is plain arithmetic, also kept once formatted (both
// caches are bounded). Outside 1970–9999 (and for an invalid Date, which throws) toISOString
// does everything.
const LAST_FAST_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, n) =>
  String(n).padStart(2, '0'),
);
const DAY_CACHE_LIMIT = 20_000;
const dayTexts = new Map<number, string>();

const CLOCK_CACHE_LIMIT = 20_000;
const clockTexts = new Map<number, string>();

/** `T12:00:00Z` or `T12:00:00.120Z` for a time of day in milliseconds. */
function clockText(inDay: number): string {
  let text = clockTexts.get(inDay);
  if (text === undefined) {
    const seconds = Math.floor(inDay / 1000);
    const millis = inDay - seconds * 1000;
    text = `T${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${
      TWO_DIGITS[seconds % 60]
    }${millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`}Z`;
    if (clockTexts.size >= CLOCK_CACHE_LIMIT) clockTexts.clear();
    clockTexts.set(inDay, text);
  }
  return text;
}

function dayText(dayNumber: number): string {
  let text = dayTexts.get(dayNumber);
  if (text === undefined) {
    text = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    if (dayTexts.size >= DAY_CACHE_LIMIT) dayTexts.clear();
    dayTexts.set(dayNumber, text);
  }
  return text;
}
