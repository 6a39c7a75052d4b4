import { InputFormatError } from './errors.js';

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * An instant given by a person (`credhealth audit --now`, the audit function's `now`): ISO-8601
 * with a zone (`2026-11-20T12:00:00Z`, `…+01:00`) or a date (`2026-11-20`, midnight UTC). A
 * date-time without a zone is refused: it would mean a different instant on each machine.
 * `Date.parse` is not used because it accepts far more (`2026-11-20T12:00` in local time,
 * `Nov 20 2026`, `2026-02-30` rolled over to March).
 *
 * @throws InputFormatError saying what is wrong, in one sentence.
 * @example parseInstant('2026-11-20T12:00:00Z').toISOString() // '2026-11-20T12:00:00.000Z'
 */
export function parseInstant(text: string): Date {
  const match = ISO_INSTANT.exec(text.trim());
  if (!match) {
    const noZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(text.trim());
    throw new InputFormatError(
      noZone
        ? 'Add a time zone, e.g. 2026-11-20T12:00:00Z.'
        : 'Expected an ISO-8601 instant such as 2026-11-20T12:00:00Z.',
    );
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone = 'Z'] =
    match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = parts;
  const ms = Number(`0.${fraction}`) * 1000;
  const calendar = new Date(Date.UTC(y, mo - 1, d));
  if (
    y < 1970 ||
    calendar.getUTCFullYear() !== y ||
    calendar.getUTCMonth() !== mo - 1 ||
    calendar.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    throw new InputFormatError('Not a real date and time.');
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const offsetHours = Number(digits.slice(1, 3));
    const offsetMins = Number(digits.slice(3, 5));
    if (offsetHours > 14 || offsetMins > 59)
      throw new InputFormatError('Not a real time zone offset.');
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, Math.floor(ms)) - offsetMinutes * 60_000);
}
