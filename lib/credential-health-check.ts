import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, METRIC, METRICS_NAMESPACE } from '../lambdas/config/env-names.js';
import { INCIDENT_KINDS, SEVERITIES, type Severity } from '../lambdas/core/report.js';
import { CloudTrailSource } from './cloudtrail-source.js';
import {
  acknowledgeWildcardResource,
  HealthCheckFunction,
  SERVICE_NAME,
} from './constructs/health-check-function.js';
import { DEFAULTS } from './defaults.js';
import { validateCredentialHealthCheckProps } from './props-validation.js';

/** Message attribute names the publisher sets and subscription filter policies match. */
export const MESSAGE_ATTRIBUTE = { SEVERITY: 'severity', OWNER: 'owner', KIND: 'kind' } as const;

/** Key states counted on the dashboard (metric `Keys`, dimension `state`). */
export const KEY_STATES = ['ok', 'due', 'overdue', 'unused', 'inactive'] as const;

/** Properties of {@link CredentialHealthCheck}. Every one is optional. */
export interface CredentialHealthCheckProps {
  /**
   * Rotation limit for access keys of users with a console password.
   * @default 90
   */
  readonly maxKeyAgeDays?: number;
  /**
   * Rotation limit for access keys of users without a console password (machines).
   * @default - the same as maxKeyAgeDays
   */
  readonly machineMaxKeyAgeDays?: number;
  /**
   * The first rotation reminder goes out this many days before the limit.
   * @default 14
   */
  readonly reminderLeadDays?: number;
  /**
   * An active key not used for this many days is reported.
   * @default 45
   */
  readonly keyUnusedDays?: number;
  /**
   * An inactive key still present this many days after its last use is reported.
   * @default 30
   */
  readonly inactiveKeyDays?: number;
  /**
   * When the key scan runs.
   * @default - every day at 06:00 UTC
   */
  readonly keyScanSchedule?: scheduler.ScheduleExpression;
  /**
   * How often trail-watch runs, in whole minutes.
   * @default Duration.minutes(15)
   */
  readonly trailWatchInterval?: Duration;
  /**
   * How far back each trail-watch run reads. Longer than the interval on purpose: CloudTrail
   * delivers events late, and the ledger makes overlapping windows harmless.
   * @default Duration.hours(1)
   */
  readonly trailWatchLookback?: Duration;
  /**
   * Trail-watch runs in a row without a new event before an incident is summarised as ended.
   * @default 4
   */
  readonly incidentQuietRuns?: number;
  /**
   * Email addresses that receive every notification (at or above notificationMinimumSeverity).
   * @default - no email subscriptions
   */
  readonly notificationEmails?: readonly string[];
  /**
   * Email addresses that receive only what concerns them: messages whose `owner` attribute
   * is that address (an owner tag on the IAM user).
   * @default - no per-owner subscriptions
   */
  readonly ownerEmails?: readonly string[];
  /**
   * Lowest severity sent to notificationEmails.
   * @default 'info' (everything)
   */
  readonly notificationMinimumSeverity?: Severity;
  /**
   * Email addresses that receive the service's own alarms (failed runs, dead letters).
   * @default - the notificationEmails
   */
  readonly alarmEmails?: readonly string[];
  /**
   * Secret whose value is a Slack incoming-webhook URL. When given, a slack-notify function
   * subscribes to the topic and posts each message to Slack.
   * @default - no Slack notifications
   */
  readonly slackWebhookSecret?: secretsmanager.ISecret;
  /**
   * Lowest severity posted to Slack.
   * @default 'info' (everything)
   */
  readonly slackMinimumSeverity?: Severity;
  /**
   * IAM user tags read for a key's owner, first match wins.
   * @default ['credential-health:owner', 'owner', 'email']
   */
  readonly ownerTagKeys?: readonly string[];
  /**
   * IAM user tag that exempts a user (`true`, an expiry date, or `until=…;checks=…`).
   * @default 'credential-health:exempt'
   */
  readonly exemptionTagKey?: string;
  /**
   * Where CloudTrail events are read from.
   * @default CloudTrailSource.auto()
   */
  readonly cloudTrailSource?: CloudTrailSource;
  /**
   * Workload log groups searched with Logs Insights for credential failures that CloudTrail
   * never records (expired tokens, bad signatures, missing credentials).
   * @default - no log groups
   */
  readonly logGroups?: readonly logs.ILogGroup[];
  /**
   * Also search every `/aws/lambda/*` log group of the account (found with DescribeLogGroups).
   * @default true
   */
  readonly watchLambdaLogGroups?: boolean;
  /**
   * Retention of the functions' own log groups.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * An existing topic to publish reminders and incidents to. When it is encrypted, import it with
   * its key (`Topic.fromTopicAttributes({ topicArn, keyArn })`) so the functions may use the key.
   * @default - a new topic encrypted with the construct's KMS key
   */
  readonly topic?: sns.ITopic;
}

/**
 * A credential health check for one AWS account.
 *
 * Defines: a customer-managed KMS key (rotation on); the notification topic (or uses yours) and
 * an alarm topic, both KMS-encrypted with TLS enforced; the DynamoDB ledger (on demand,
 * point-in-time recovery, TTL); four Lambda functions — `key-scan` (daily, rotation reminders),
 * `trail-watch` (every 15 minutes, incidents), `audit` (on demand, returns the report) and
 * optionally `slack-notify` (topic → Slack); EventBridge Scheduler schedules; a dead-letter
 * queue and alarms for every asynchronous path; and a CloudWatch dashboard.
 *
 * Messages carry the attributes `severity`, `owner` and `kind` (see {@link MESSAGE_ATTRIBUTE}).
 *
 * Manual steps: confirm each email subscription; put the Slack webhook URL in the secret.
 */
export class CredentialHealthCheck extends Construct {
  /** The key encrypting the topics, queues and ledger. */
  public readonly key: kms.IKey;
  /** Where reminders and incidents are published. */
  public readonly topic: sns.ITopic;
  /** Where the service's own alarms go. */
  public readonly alarmTopic: sns.ITopic;
  /** The reminder and incident ledger. */
  public readonly ledgerTable: dynamodb.ITable;
  /** The daily key scan. */
  public readonly keyScanFunction: lambda.IFunction;
  /** The incident watcher. */
  public readonly trailWatchFunction: lambda.IFunction;
  /** The on-demand audit. */
  public readonly auditFunction: lambda.IFunction;
  /** The Slack forwarder, when a webhook secret was given. */
  public readonly slackNotifyFunction: lambda.IFunction | undefined;
  /** The run-health dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  private readonly alarms: cloudwatch.Alarm[] = [];
  private readonly functions: HealthCheckFunction[] = [];

  public constructor(scope: Construct, id: string, props: CredentialHealthCheckProps = {}) {
    super(scope, id);
    const errors = validateCredentialHealthCheckProps(props);
    if (errors.length > 0) {
      throw new Error(`Invalid CredentialHealthCheck props:\n- ${errors.join('\n- ')}`);
    }

    const logRetention = props.logRetention ?? DEFAULTS.logRetention;
    const cloudTrail = props.cloudTrailSource ?? CloudTrailSource.auto();
    const interval = props.trailWatchInterval ?? DEFAULTS.trailWatchInterval;
    const lookback = props.trailWatchLookback ?? DEFAULTS.trailWatchLookback;
    const auditConfig = JSON.stringify(toAuditConfig(props));

    // --- encryption, topics, ledger -------------------------------------------------------
    const key = new kms.Key(this, 'Key', {
      description: 'Encrypts the credential-health topics, queues and ledger',
      enableKeyRotation: true,
    });
    this.key = key;
    // Services that write to the encrypted topic and queues on our behalf.
    for (const service of ['cloudwatch.amazonaws.com', 'sns.amazonaws.com']) {
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
    }

    this.topic =
      props.topic ??
      new sns.Topic(this, 'NotificationTopic', {
        displayName: 'Credential health',
        masterKey: key,
        enforceSSL: true,
      });
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Credential health alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.subscribeEmails(props);

    this.ledgerTable = new dynamodb.Table(this, 'LedgerTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });

    // --- functions -------------------------------------------------------------------------
    const keyScan = new HealthCheckFunction(this, 'KeyScan', {
      handlerDir: 'key-scan',
      description: 'Daily IAM key scan: findings and rotation reminders',
      logRetention,
    });
    const trailWatch = new HealthCheckFunction(this, 'TrailWatch', {
      handlerDir: 'trail-watch',
      description: 'Correlates CloudTrail and workload logs into credential incidents',
      logRetention,
      // Shorter than the interval, so two runs never overlap for long.
      timeout: Duration.minutes(Math.max(1, Math.min(10, interval.toMinutes() - 1))),
    });
    const audit = new HealthCheckFunction(this, 'Audit', {
      handlerDir: 'audit',
      description: 'On-demand credential audit; returns the schema-1 report',
      logRetention,
      timeout: Duration.minutes(10),
      memorySize: 1024,
    });
    this.functions.push(keyScan, trailWatch, audit);
    this.keyScanFunction = keyScan.function;
    this.trailWatchFunction = trailWatch.function;
    this.auditFunction = audit.function;

    for (const fn of [keyScan, trailWatch, audit]) {
      fn.addEnvironment(ENV.AUDIT_CONFIG, auditConfig);
      grantIamRead(fn);
      this.grantPublish(fn);
    }
    for (const fn of [keyScan, trailWatch]) this.grantLedger(fn);
    for (const fn of [trailWatch, audit]) {
      this.grantTrailAndLogs(
        fn,
        cloudTrail,
        props.logGroups ?? [],
        props.watchLambdaLogGroups ?? true,
      );
    }
    trailWatch.addEnvironment(ENV.TRAIL_LOOKBACK_MINUTES, String(lookback.toMinutes()));
    trailWatch.addEnvironment(ENV.TRAIL_INTERVAL_MINUTES, String(interval.toMinutes()));
    trailWatch.addEnvironment(
      ENV.INCIDENT_QUIET_RUNS,
      String(props.incidentQuietRuns ?? DEFAULTS.incidentQuietRuns),
    );

    // --- schedules, dead letters, alarms ---------------------------------------------------
    this.schedule(
      keyScan,
      'KeyScan',
      props.keyScanSchedule ?? scheduler.ScheduleExpression.cron({ minute: '0', hour: '6' }),
      {
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      },
    );
    this.schedule(trailWatch, 'TrailWatch', scheduler.ScheduleExpression.rate(interval), {
      // The next run reads the same window again; a stale retry only costs API calls.
      retryAttempts: 1,
      maxEventAge: interval,
    });
    this.alarmOnErrors(audit, 'Audit');

    if (props.slackWebhookSecret !== undefined) {
      this.slackNotifyFunction = this.slackNotify(props.slackWebhookSecret, props, logRetention);
    } else {
      this.slackNotifyFunction = undefined;
    }

    this.dashboard = this.buildDashboard(keyScan, trailWatch, audit);
    for (const fn of this.functions) fn.acknowledgeFindings();
  }

  private subscribeEmails(props: CredentialHealthCheckProps): void {
    const minimum = props.notificationMinimumSeverity ?? 'info';
    for (const email of props.notificationEmails ?? []) {
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(email, {
          filterPolicy: minimum === 'info' ? undefined : severityFilter(minimum),
        }),
      );
    }
    for (const email of props.ownerEmails ?? []) {
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(email, {
          filterPolicy: {
            [MESSAGE_ATTRIBUTE.OWNER]: sns.SubscriptionFilter.stringFilter({ allowlist: [email] }),
          },
        }),
      );
    }
    for (const email of props.alarmEmails ?? props.notificationEmails ?? []) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }

  /** sns:Publish on the topic, with the key use an encrypted topic needs, and the topic's ARN. */
  private grantPublish(fn: HealthCheckFunction): void {
    fn.addEnvironment(ENV.TOPIC_ARN, this.topic.topicArn);
    fn.grant(['sns:Publish'], [this.topic.topicArn]);
    const key = this.topic.masterKey;
    if (key !== undefined) fn.grant(['kms:Decrypt', 'kms:GenerateDataKey'], [key.keyArn]);
  }

  /** Reads and conditional writes on the ledger table, and its name. */
  private grantLedger(fn: HealthCheckFunction): void {
    fn.addEnvironment(ENV.LEDGER_TABLE_NAME, this.ledgerTable.tableName);
    fn.grant(
      ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      [this.ledgerTable.tableArn],
    );
    fn.grant(
      ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      [this.key.keyArn],
    );
  }

  private grantTrailAndLogs(
    fn: HealthCheckFunction,
    cloudTrail: CloudTrailSource,
    logGroups: readonly logs.ILogGroup[],
    watchLambdaLogGroups: boolean,
  ): void {
    fn.addEnvironment(ENV.CLOUDTRAIL_MODE, cloudTrail.mode);
    // LookupEvents and DescribeTrails have no resource-level permissions; sts:GetAccessKeyInfo
    // tells which account an unknown key belongs to.
    // GetTrailStatus: the trail can be another region's or the organization's (management account).
    fn.grant(
      [
        'cloudtrail:LookupEvents',
        'cloudtrail:DescribeTrails',
        'cloudtrail:GetTrailStatus',
        'sts:GetAccessKeyInfo',
      ],
      ['*'],
    );
    if (cloudTrail.bucket !== undefined) {
      fn.grant(['s3:ListBucket'], [cloudTrail.bucket.bucketArn]);
      const objects = cloudTrail.bucket.arnForObjects(
        `${cloudTrail.prefix ? `${cloudTrail.prefix}/` : ''}AWSLogs/*`,
      );
      fn.grant(['s3:GetObject'], [objects]);
      fn.acknowledgeResource(
        objects,
        'The trail writes one object per delivery under AWSLogs/; only that prefix of the trail bucket is readable.',
      );
      const trailKey = cloudTrail.encryptionKey ?? cloudTrail.bucket.encryptionKey;
      if (trailKey !== undefined) fn.grant(['kms:Decrypt'], [trailKey.keyArn]);
    }
    fn.addEnvironment(ENV.LOG_GROUPS, logGroups.map((g) => g.logGroupName).join(','));
    fn.addEnvironment(ENV.WATCH_LAMBDA_LOG_GROUPS, String(watchLambdaLogGroups));
    const queried = logGroups.map((g) => g.logGroupArn);
    if (watchLambdaLogGroups) {
      const stack = Stack.of(this);
      queried.push(
        `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/lambda/*`,
      );
    }
    if (queried.length === 0) return;
    fn.grant(['logs:StartQuery'], queried);
    for (const arn of queried) {
      fn.acknowledgeResource(
        arn,
        'Logs Insights queries over the named log groups (an ARN ending in ":*" covers one group\'s streams) ' +
          "and, when watchLambdaLogGroups is on, the account's /aws/lambda/ groups, which are not known at deploy time.",
      );
    }
    // GetQueryResults, StopQuery and DescribeLogGroups have no resource-level permissions.
    fn.grant(['logs:GetQueryResults', 'logs:StopQuery', 'logs:DescribeLogGroups'], ['*']);
  }

  /** An EventBridge Scheduler schedule with its own role, a dead-letter queue and alarms. */
  private schedule(
    fn: HealthCheckFunction,
    id: string,
    expression: scheduler.ScheduleExpression,
    retry: { readonly retryAttempts: number; readonly maxEventAge: Duration },
  ): void {
    const dlq = this.deadLetterQueue(`${id}Dlq`);
    const role = new iam.Role(this, `${id}ScheduleRole`, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Lets EventBridge Scheduler invoke the credential-health ${id} function`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
      }),
    );
    const target = new schedulerTargets.LambdaInvoke(fn.function, {
      role,
      deadLetterQueue: dlq,
      retryAttempts: retry.retryAttempts,
      maxEventAge: retry.maxEventAge,
    });
    new scheduler.Schedule(this, `${id}Schedule`, {
      schedule: expression,
      description: `Runs the credential-health ${id} function`,
      target,
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy instanceof iam.Policy) {
      acknowledgeWildcardResource(
        policy,
        `${fn.function.functionArn}:*`,
        'CDK grants lambda:InvokeFunction on the function and its versions (":*"); the role can invoke this one function only.',
      );
    }
    // Scheduler's DLQ catches failed invocations; the function's own failures after its
    // asynchronous retries go to the same queue.
    fn.function.configureAsyncInvoke({
      retryAttempts: retry.retryAttempts,
      maxEventAge: Duration.seconds(Math.max(60, Math.min(21_600, retry.maxEventAge.toSeconds()))),
      onFailure: sqsFailureDestination(dlq, this.key),
    });
    this.alarmOnErrors(fn, id);
    // A schedule that stopped (disabled, deleted, throttled away) fails silently otherwise.
    const period = Duration.days(1);
    const notRun = new cloudwatch.Alarm(this, `${id}NotRunAlarm`, {
      metric: fn.function.metricInvocations({ period, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `The credential-health ${id} function did not run for a day`,
    });
    notRun.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
    this.alarms.push(notRun);
  }

  private deadLetterQueue(id: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue; it is watched by an alarm.',
    });
    this.alarm(
      `${id}NotEmptyAlarm`,
      queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      `Messages in ${id}: a run or delivery failed after its retries`,
    );
    return queue;
  }

  private alarmOnErrors(fn: HealthCheckFunction, id: string): void {
    this.alarm(
      `${id}ErrorsAlarm`,
      fn.function.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
      `The credential-health ${id} function failed`,
    );
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }

  private slackNotify(
    secret: secretsmanager.ISecret,
    props: CredentialHealthCheckProps,
    logRetention: logs.RetentionDays,
  ): lambda.IFunction {
    const slack = new HealthCheckFunction(this, 'SlackNotify', {
      handlerDir: 'slack-notify',
      description: 'Posts credential-health notifications to a Slack incoming webhook',
      logRetention,
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    // A secret imported by name has no full ARN: AWS appends six random characters to it.
    slack.addEnvironment(ENV.SLACK_WEBHOOK_SECRET_ID, secret.secretFullArn ?? secret.secretName);
    slack.grant(
      ['secretsmanager:GetSecretValue'],
      [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    );
    if (secret.encryptionKey !== undefined)
      slack.grant(['kms:Decrypt'], [secret.encryptionKey.keyArn]);

    const dlq = this.deadLetterQueue('SlackNotifyDlq');
    const minimum = props.slackMinimumSeverity ?? 'info';
    this.topic.addSubscription(
      new subscriptions.LambdaSubscription(slack.function, {
        deadLetterQueue: dlq,
        filterPolicy: minimum === 'info' ? undefined : severityFilter(minimum),
      }),
    );
    slack.function.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: sqsFailureDestination(dlq, this.key),
    });
    this.alarmOnErrors(slack, 'SlackNotify');
    this.functions.push(slack);
    return slack.function;
  }

  private buildDashboard(
    keyScan: HealthCheckFunction,
    trailWatch: HealthCheckFunction,
    audit: HealthCheckFunction,
  ): cloudwatch.Dashboard {
    const metric = (
      name: string,
      dimensions: Record<string, string>,
      label: string,
    ): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: SERVICE_NAME, ...dimensions },
        statistic: 'Maximum',
        period: Duration.hours(1),
        label,
      });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Access keys by state',
        left: KEY_STATES.map((state) => metric(METRIC.KEYS, { state }, state)),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Open incidents by kind',
        left: INCIDENT_KINDS.map((kind) => metric(METRIC.INCIDENTS, { kind }, kind)),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Runs: invocations and errors',
        left: [keyScan, trailWatch, audit].map((f) =>
          f.function.metricInvocations({ period: Duration.hours(1) }),
        ),
        right: [keyScan, trailWatch, audit].map((f) =>
          f.function.metricErrors({ period: Duration.hours(1) }),
        ),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Messages published and degraded sources',
        left: [
          new cloudwatch.Metric({
            namespace: METRICS_NAMESPACE,
            metricName: METRIC.MESSAGES_PUBLISHED,
            dimensionsMap: { service: SERVICE_NAME },
            statistic: 'Sum',
            period: Duration.hours(1),
          }),
        ],
        right: [
          new cloudwatch.Metric({
            namespace: METRICS_NAMESPACE,
            metricName: METRIC.SOURCES_DEGRADED,
            dimensionsMap: { service: SERVICE_NAME },
            statistic: 'Maximum',
            period: Duration.hours(1),
          }),
        ],
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    return dashboard;
  }
}

/** The read-only IAM calls an audit makes; none of them supports resource-level permissions. */
function grantIamRead(fn: HealthCheckFunction): void {
  fn.grant(
    [
      'iam:GenerateCredentialReport',
      'iam:GetCredentialReport',
      'iam:GetAccountSummary',
      'iam:ListAccountAliases',
      'iam:GetAccountAuthorizationDetails',
      'iam:ListAccessKeys',
      'iam:GetAccessKeyLastUsed',
    ],
    ['*'],
  );
}

/** An SNS filter policy that lets through `minimum` and every worse severity. */
function severityFilter(minimum: Severity): Record<string, sns.SubscriptionFilter> {
  const allowlist = SEVERITIES.slice(0, SEVERITIES.indexOf(minimum) + 1);
  return {
    [MESSAGE_ATTRIBUTE.SEVERITY]: sns.SubscriptionFilter.stringFilter({
      allowlist: [...allowlist],
    }),
  };
}

/**
 * An on-failure destination that grants exactly sqs:SendMessage and the two key actions,
 * where the stock SqsDestination grants wildcards (kms:GenerateDataKey*, kms:ReEncrypt*).
 */
function sqsFailureDestination(queue: sqs.IQueue, key: kms.IKey): lambda.IDestination {
  return {
    bind: (_scope, fn) => {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [key.keyArn],
        }),
      );
      return { destination: queue.queueArn };
    },
  };
}

/** The audit config (lambdas/core/config.ts shape) the functions receive, from the props. */
function toAuditConfig(props: CredentialHealthCheckProps): Record<string, unknown> {
  const thresholds: Record<string, number> = {
    maxKeyAgeDays: props.maxKeyAgeDays ?? DEFAULTS.maxKeyAgeDays,
    reminderLeadDays: props.reminderLeadDays ?? DEFAULTS.reminderLeadDays,
    keyUnusedDays: props.keyUnusedDays ?? DEFAULTS.keyUnusedDays,
    inactiveKeyDays: props.inactiveKeyDays ?? DEFAULTS.inactiveKeyDays,
  };
  if (props.machineMaxKeyAgeDays !== undefined)
    thresholds.machineMaxKeyAgeDays = props.machineMaxKeyAgeDays;
  return {
    thresholds,
    exemptions: { tagKey: props.exemptionTagKey ?? DEFAULTS.exemptionTagKey },
    owners: { tagKeys: [...(props.ownerTagKeys ?? DEFAULTS.ownerTagKeys)] },
  };
}
