import { InvalidArgumentError } from 'commander';
import { parseDurationMs } from '../core/config.js';

/**
 * Option-argument parsers for commander. Each throws `InvalidArgumentError`, which commander
 * prints as one line (`error: option '--now <iso>' argument 'x' is invalid. …`) with exit 2.
 */

/**
 * The modes `--cloudtrail` accepts. Defined here, not in live.ts: the parser must not import
 * the module that loads the AWS SDK (an offline audit never loads it).
 */
export const CLOUDTRAIL_MODES = ['auto', 'lookup', 's3'] as const;

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * `--now`: an ISO-8601 instant with a zone (`2026-11-20T12:00:00Z`, `…+01:00`) or a date
 * (`2026-11-20`, midnight UTC). A date-time without a zone is refused: it would mean a
 * different instant on each machine.
 *
 * @example parseNow('2026-11-20T12:00:00Z').toISOString() // '2026-11-20T12:00:00.000Z'
 */
export function parseNow(text: string): Date {
  const match = ISO_INSTANT.exec(text.trim());
  if (!match) {
    const noZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(text.trim());
    throw new InvalidArgumentError(
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
    throw new InvalidArgumentError('Not a real date and time.');
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const offsetHours = Number(digits.slice(1, 3));
    const offsetMins = Number(digits.slice(3, 5));
    if (offsetHours > 14 || offsetMins > 59)
      throw new InvalidArgumentError('Not a real time zone offset.');
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, Math.floor(ms)) - offsetMinutes * 60_000);
}

/**
 * `--lookback`: `30m`, `24h`, `7d`, in milliseconds.
 *
 * @example parseLookback('7d') // 604_800_000
 */
export function parseLookback(text: string): number {
  let ms: number;
  try {
    ms = parseDurationMs(text);
  } catch {
    throw new InvalidArgumentError('Expected a duration such as 30m, 24h or 7d.');
  }
  if (ms <= 0) throw new InvalidArgumentError('The lookback must be longer than zero.');
  return ms;
}

const LOG_GROUP_NAME = /^[A-Za-z0-9._\-/#]{1,512}$/;

/**
 * `--log-groups a,b`: log group names, commas between them.
 *
 * @example parseLogGroups('/aws/lambda/a, /ecs/b') // ['/aws/lambda/a', '/ecs/b']
 */
export function parseLogGroups(text: string): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0)
    throw new InvalidArgumentError('Expected log group names separated by commas.');
  const bad = names.find((name) => !LOG_GROUP_NAME.test(name));
  if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not a log group name.`);
  return names;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const FUNCTION_NAME =
  /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,140}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;

/** `--role-arn`: an IAM role ARN. */
export function parseRoleArn(text: string): string {
  if (!ROLE_ARN.test(text)) {
    throw new InvalidArgumentError(
      'Expected an IAM role ARN such as arn:aws:iam::123456789012:role/credhealth-audit.',
    );
  }
  return text;
}

/** `--publish`: an SNS topic ARN. */
export function parseTopicArn(text: string): string {
  if (!TOPIC_ARN.test(text)) {
    throw new InvalidArgumentError(
      'Expected an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:credhealth.',
    );
  }
  return text;
}

/** `--region`: an AWS Region name. */
export function parseRegion(text: string): string {
  if (!REGION.test(text))
    throw new InvalidArgumentError('Expected an AWS Region such as eu-west-1.');
  return text;
}

/** `--function`: a Lambda function name or ARN (optionally with a version or alias). */
export function parseFunctionName(text: string): string {
  if (!FUNCTION_NAME.test(text)) {
    throw new InvalidArgumentError('Expected a Lambda function name or ARN.');
  }
  return text;
}

/** `--profile`: a named profile of the AWS config files. */
export function parseProfile(text: string): string {
  if (text.trim() === '' || /\s/.test(text))
    throw new InvalidArgumentError('Expected a profile name.');
  return text;
}
