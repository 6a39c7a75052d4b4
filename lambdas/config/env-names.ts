/**
 * Names of the environment variables the construct sets and the handlers read. Both `lib/` and
 * `lambdas/` import this file, so it must stay dependency-free: a rename here renames both sides.
 */
export const ENV = {
  /** ARN of the topic reminders and incident summaries are published to. */
  TOPIC_ARN: 'CREDHEALTH_TOPIC_ARN',
  /** Name of the DynamoDB ledger table (reminders sent, incidents announced). */
  LEDGER_TABLE_NAME: 'CREDHEALTH_LEDGER_TABLE',
  /** JSON of the audit config (the `--config` file's shape), thresholds and tag keys included. */
  AUDIT_CONFIG: 'CREDHEALTH_AUDIT_CONFIG',
  /**
   * `auto`, `lookup` or `s3`. The trail (and its bucket) is found with DescribeTrails; the
   * construct grants read access to the bucket it was given.
   */
  CLOUDTRAIL_MODE: 'CREDHEALTH_CLOUDTRAIL_MODE',
  /** Comma-separated names of the workload log groups read for credential failures. */
  LOG_GROUPS: 'CREDHEALTH_LOG_GROUPS',
  /** `true` to search every `/aws/lambda/*` log group as well. */
  WATCH_LAMBDA_LOG_GROUPS: 'CREDHEALTH_WATCH_LAMBDA_LOG_GROUPS',
  /** How far back trail-watch reads in each run, in minutes (longer than its interval on purpose). */
  TRAIL_LOOKBACK_MINUTES: 'CREDHEALTH_TRAIL_LOOKBACK_MINUTES',
  /** Runs an incident must go unseen before it is summarised as ended. */
  INCIDENT_QUIET_RUNS: 'CREDHEALTH_INCIDENT_QUIET_RUNS',
  /** Minutes between trail-watch runs, to turn quiet runs into a quiet period. */
  TRAIL_INTERVAL_MINUTES: 'CREDHEALTH_TRAIL_INTERVAL_MINUTES',
  /** Full ARN or name of the Secrets Manager secret that holds the Slack incoming-webhook URL. */
  SLACK_WEBHOOK_SECRET_ID: 'CREDHEALTH_SLACK_WEBHOOK_SECRET_ID',
  /** Powertools: service name on every log line and metric. */
  POWERTOOLS_SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: CloudWatch namespace of the EMF metrics. */
  POWERTOOLS_METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** One of the environment variable names above. */
export type EnvName = (typeof ENV)[keyof typeof ENV];

/** CloudWatch namespace of the metrics the handlers emit (the dashboard reads it). */
export const METRICS_NAMESPACE = 'CredentialHealth';

/** Names of the metrics the handlers emit and the dashboard and alarms read. */
export const METRIC = {
  /** Access keys by state in a key scan; dimension `state` (ok, due, overdue, unused, inactive). */
  KEYS: 'Keys',
  /** Open incidents seen in a trail-watch run; dimension `kind`. */
  INCIDENTS: 'Incidents',
  /** Messages published (reminders, incident announcements, escalations, summaries). */
  MESSAGES_PUBLISHED: 'MessagesPublished',
  /** One per completed run; dimension `service`. */
  RUN_SUCCEEDED: 'RunSucceeded',
  /** Sources that were degraded or missing in a run. */
  SOURCES_DEGRADED: 'SourcesDegraded',
} as const;
