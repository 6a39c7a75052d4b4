import { type Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SEVERITIES } from '../lambdas/core/report.js';
import type { CredentialHealthCheckProps } from './credential-health-check.js';
import { DEFAULTS, MAX_LOG_GROUPS, MAX_TRAIL_LOOKBACK_DAYS } from './defaults.js';

// Deliberately loose: SNS does the real check; this catches commas, spaces and typos at synth.
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const TAG_KEY_MAX = 128;

/**
 * Every problem with a set of {@link CredentialHealthCheckProps}, collected rather than thrown
 * one at a time, each naming the prop and the value. Values that are unresolved tokens are
 * skipped: they are only known at deploy time.
 *
 * @returns an empty array when the props are valid.
 * @example
 * validateCredentialHealthCheckProps({ maxKeyAgeDays: 0 })
 * // ['maxKeyAgeDays must be a positive integer, got 0']
 */
export function validateCredentialHealthCheckProps(props: CredentialHealthCheckProps): string[] {
  const errors: string[] = [];
  const positive = (name: string, value: number | undefined): void => {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value <= 0) {
      errors.push(`${name} must be a positive integer, got ${value}`);
    }
  };

  positive('maxKeyAgeDays', props.maxKeyAgeDays);
  positive('machineMaxKeyAgeDays', props.machineMaxKeyAgeDays);
  positive('keyUnusedDays', props.keyUnusedDays);
  positive('inactiveKeyDays', props.inactiveKeyDays);
  positive('incidentQuietRuns', props.incidentQuietRuns);

  const lead = props.reminderLeadDays;
  if (lead !== undefined && !Token.isUnresolved(lead)) {
    if (!Number.isInteger(lead) || lead < 0) {
      errors.push(`reminderLeadDays must be a non-negative integer, got ${lead}`);
    } else {
      for (const [name, limit] of [
        ['maxKeyAgeDays', props.maxKeyAgeDays ?? DEFAULTS.maxKeyAgeDays],
        ['machineMaxKeyAgeDays', props.machineMaxKeyAgeDays],
      ] as const) {
        if (
          limit !== undefined &&
          !Token.isUnresolved(limit) &&
          Number.isInteger(limit) &&
          lead >= limit
        ) {
          errors.push(`reminderLeadDays must be less than ${name} (${limit}), got ${lead}`);
        }
      }
    }
  }

  const interval = wholeMinutes('trailWatchInterval', props.trailWatchInterval, errors);
  const lookback = wholeMinutes('trailWatchLookback', props.trailWatchLookback, errors);
  const effectiveInterval = interval ?? DEFAULTS.trailWatchInterval.toMinutes();
  if (interval !== undefined && interval > 24 * 60) {
    errors.push(`trailWatchInterval must be at most 24 hours, got ${interval} minutes`);
  }
  if (lookback !== undefined) {
    if (lookback < effectiveInterval) {
      errors.push(
        `trailWatchLookback must be at least trailWatchInterval (${effectiveInterval} minutes), got ${lookback} minutes`,
      );
    }
    if (lookback > MAX_TRAIL_LOOKBACK_DAYS * 24 * 60) {
      errors.push(
        `trailWatchLookback must be at most ${MAX_TRAIL_LOOKBACK_DAYS} days, got ${lookback} minutes`,
      );
    }
  }

  emails('notificationEmails', props.notificationEmails, errors);
  emails('ownerEmails', props.ownerEmails, errors);
  emails('alarmEmails', props.alarmEmails, errors);

  for (const [name, severity] of [
    ['notificationMinimumSeverity', props.notificationMinimumSeverity],
    ['slackMinimumSeverity', props.slackMinimumSeverity],
  ] as const) {
    if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
      errors.push(
        `${name} must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(severity)}`,
      );
    }
  }

  if (props.ownerTagKeys !== undefined) {
    if (props.ownerTagKeys.length === 0)
      errors.push('ownerTagKeys must name at least one tag key, got []');
    for (const [i, key] of props.ownerTagKeys.entries()) tagKey(`ownerTagKeys[${i}]`, key, errors);
  }
  if (props.exemptionTagKey !== undefined) tagKey('exemptionTagKey', props.exemptionTagKey, errors);

  if (props.logRetention !== undefined && !Token.isUnresolved(props.logRetention)) {
    if (!(Object.values(logs.RetentionDays) as unknown[]).includes(props.logRetention)) {
      errors.push(
        `logRetention must be one of CloudWatch Logs' retention periods in days, got ${props.logRetention}`,
      );
    }
  }
  if (props.logGroups !== undefined && props.logGroups.length > MAX_LOG_GROUPS) {
    errors.push(
      `logGroups must hold at most ${MAX_LOG_GROUPS} log groups (one Logs Insights query), got ${props.logGroups.length}`,
    );
  }
  return errors;
}

function wholeMinutes(
  name: string,
  value: Duration | undefined,
  errors: string[],
): number | undefined {
  if (value === undefined || value.isUnresolved()) return undefined;
  const minutes = value.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 1) {
    errors.push(
      `${name} must be a whole number of minutes, at least 1, got ${value.toHumanString()}`,
    );
    return undefined;
  }
  return minutes;
}

function emails(name: string, values: readonly string[] | undefined, errors: string[]): void {
  if (values === undefined) return;
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (Token.isUnresolved(value)) return;
    if (!EMAIL.test(value))
      errors.push(`${name}[${i}] must be an email address, got ${JSON.stringify(value)}`);
    const lower = value.toLowerCase();
    if (seen.has(lower)) errors.push(`${name}[${i}] repeats ${JSON.stringify(value)}`);
    seen.add(lower);
  });
}

function tagKey(name: string, value: string, errors: string[]): void {
  if (Token.isUnresolved(value)) return;
  if (value.trim().length === 0 || value.length > TAG_KEY_MAX) {
    errors.push(
      `${name} must be a tag key of 1 to ${TAG_KEY_MAX} characters, got ${JSON.stringify(value)}`,
    );
  }
}
