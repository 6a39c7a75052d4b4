import { Duration, Lazy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../lambdas/core/report.js';
import { validateCredentialHealthCheckProps } from '../../lib/props-validation.js';
import { synthConstruct } from './synth.js';

describe('validateCredentialHealthCheckProps', () => {
  it('accepts no props at all', () => {
    expect(validateCredentialHealthCheckProps({})).toEqual([]);
  });

  it('accepts values at the edges', () => {
    expect(
      validateCredentialHealthCheckProps({
        maxKeyAgeDays: 1,
        reminderLeadDays: 0,
        trailWatchInterval: Duration.minutes(1),
        trailWatchLookback: Duration.minutes(1),
        incidentQuietRuns: 1,
        notificationEmails: ['a@example.com'],
        notificationMinimumSeverity: 'critical',
        logRetention: logs.RetentionDays.ONE_DAY,
      }),
    ).toEqual([]);
  });

  it.each([
    [{ maxKeyAgeDays: 0 }, 'maxKeyAgeDays must be a positive integer, got 0'],
    [{ maxKeyAgeDays: 1.5 }, 'maxKeyAgeDays must be a positive integer, got 1.5'],
    [{ machineMaxKeyAgeDays: -1 }, 'machineMaxKeyAgeDays must be a positive integer, got -1'],
    [{ keyUnusedDays: 0 }, 'keyUnusedDays must be a positive integer, got 0'],
    [{ inactiveKeyDays: 0 }, 'inactiveKeyDays must be a positive integer, got 0'],
    [{ incidentQuietRuns: 0 }, 'incidentQuietRuns must be a positive integer, got 0'],
    [{ reminderLeadDays: -1 }, 'reminderLeadDays must be a non-negative integer, got -1'],
    [{ reminderLeadDays: 90 }, 'reminderLeadDays must be less than maxKeyAgeDays (90), got 90'],
    [
      { machineMaxKeyAgeDays: 10, reminderLeadDays: 14 },
      'reminderLeadDays must be less than machineMaxKeyAgeDays (10), got 14',
    ],
    [
      { trailWatchInterval: Duration.seconds(90) },
      'trailWatchInterval must be a whole number of minutes, at least 1, got 1 minute 30 seconds',
    ],
    [
      { trailWatchInterval: Duration.hours(25) },
      'trailWatchInterval must be at most 24 hours, got 1500 minutes',
    ],
    [
      { trailWatchLookback: Duration.minutes(10) },
      'trailWatchLookback must be at least trailWatchInterval (15 minutes), got 10 minutes',
    ],
    [
      { notificationEmails: ['a@example.com,b@example.com'] },
      'notificationEmails[0] must be an email address, got "a@example.com,b@example.com"',
    ],
    [{ ownerEmails: ['a@example.com', 'A@example.com'] }, 'ownerEmails[1] repeats "A@example.com"'],
    [{ alarmEmails: ['ops'] }, 'alarmEmails[0] must be an email address, got "ops"'],
    [
      { notificationMinimumSeverity: 'urgent' as Severity },
      'notificationMinimumSeverity must be one of critical, high, medium, low, info, got "urgent"',
    ],
    [
      { slackMinimumSeverity: 'HIGH' as Severity },
      'slackMinimumSeverity must be one of critical, high, medium, low, info, got "HIGH"',
    ],
    [{ ownerTagKeys: [] }, 'ownerTagKeys must name at least one tag key, got []'],
    [
      { ownerTagKeys: ['owner', ' '] },
      'ownerTagKeys[1] must be a tag key of 1 to 128 characters, got " "',
    ],
    [
      { exemptionTagKey: 'x'.repeat(129) },
      `exemptionTagKey must be a tag key of 1 to 128 characters, got "${'x'.repeat(129)}"`,
    ],
    [
      { logRetention: 2 as logs.RetentionDays },
      "logRetention must be one of CloudWatch Logs' retention periods in days, got 2",
    ],
  ])('fails when %j', (props, message) => {
    expect(validateCredentialHealthCheckProps(props)).toEqual([message]);
  });

  it('collects every error, not just the first', () => {
    const errors = validateCredentialHealthCheckProps({
      maxKeyAgeDays: 0,
      keyUnusedDays: -3,
      alarmEmails: ['x'],
    });
    expect(errors).toEqual([
      'maxKeyAgeDays must be a positive integer, got 0',
      'keyUnusedDays must be a positive integer, got -3',
      'alarmEmails[0] must be an email address, got "x"',
    ]);
  });

  it('skips values that are only known at deploy time', () => {
    const days = Lazy.number({ produce: () => 0 });
    const email = Lazy.string({ produce: () => 'not-an-email' });
    expect(
      validateCredentialHealthCheckProps({ maxKeyAgeDays: days, notificationEmails: [email] }),
    ).toEqual([]);
  });
});

describe('CredentialHealthCheck', () => {
  it('fails when props are invalid, listing every problem', () => {
    expect(() => synthConstruct({ maxKeyAgeDays: 0, incidentQuietRuns: 0 })).toThrow(
      'Invalid CredentialHealthCheck props:\n- maxKeyAgeDays must be a positive integer, got 0\n- incidentQuietRuns must be a positive integer, got 0',
    );
  });
});
