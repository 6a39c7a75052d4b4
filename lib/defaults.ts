import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * House defaults of {@link CredentialHealthCheck}. Thresholds match the audit config's defaults
 * (lambdas/core/config.ts) so a deployed scan and a CLI run agree unless told otherwise.
 */
export const DEFAULTS = {
  maxKeyAgeDays: 90,
  reminderLeadDays: 14,
  keyUnusedDays: 45,
  inactiveKeyDays: 30,
  trailWatchInterval: Duration.minutes(15),
  /** Longer than the interval: CloudTrail can deliver an event up to about 15 minutes late. */
  trailWatchLookback: Duration.hours(1),
  incidentQuietRuns: 4,
  ownerTagKeys: ['credential-health:owner', 'owner', 'email'],
  exemptionTagKey: 'credential-health:exempt',
  logRetention: logs.RetentionDays.ONE_YEAR,
} as const;

/** Most log groups one Logs Insights query accepts. */
export const MAX_LOG_GROUPS = 50;
/** How far back `LookupEvents` reaches. */
export const MAX_TRAIL_LOOKBACK_DAYS = 90;
