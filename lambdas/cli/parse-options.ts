import { InvalidArgumentError } from 'commander';
import { parseDurationMs } from '../core/config.js';
import { InputFormatError } from '../core/errors.js';
import { parseInstant } from '../core/instant.js';

/**
 * Option-argument parsers for commander. Each throws `InvalidArgumentError`, which commander
 * prints as one line (`error: option '--now <iso>' argument 'x' is invalid. …`) with exit 2.
 */

/**
 * The modes `--cloudtrail` accepts. Defined here, not in live.ts: the parser must not import
 * the module that loads the AWS SDK (an offline audit never loads it).
 */
export const CLOUDTRAIL_MODES = ['auto', 'lookup', 's3'] as const;

/**
 * `--now`: see {@link parseInstant}; its refusal becomes commander's one-line argument error.
 *
 * @example parseNow('2026-11-20T12:00:00Z').toISOString() // '2026-11-20T12:00:00.000Z'
 */
export function parseNow(text: string): Date {
  try {
    return parseInstant(text);
  } catch (error) {
    if (error instanceof InputFormatError) throw new InvalidArgumentError(error.message);
    throw error;
  }
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
