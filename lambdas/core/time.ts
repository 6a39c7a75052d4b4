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
  return date.toISOString().replace('.000Z', 'Z');
}
