import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/config/env-names.js';
import {
  actionsOfRole,
  environmentOf,
  statementsOfRole,
  synthConstruct,
  synthStack,
  wildcardActionsOfRole,
} from './synth.js';

const LOGS_WRITE = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const IAM_READ = [
  'iam:GenerateCredentialReport',
  'iam:GetAccessKeyLastUsed',
  'iam:GetAccountAuthorizationDetails',
  'iam:GetAccountSummary',
  'iam:GetCredentialReport',
  'iam:ListAccessKeys',
  'iam:ListAccountAliases',
];
const TRAIL_READ = [
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:LookupEvents',
  'logs:DescribeLogGroups',
  'logs:GetQueryResults',
  'logs:StartQuery',
  'logs:StopQuery',
  'sts:GetAccessKeyInfo',
];
const LEDGER = ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'];
const KMS_TABLE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];
const KMS_PUBLISH = ['kms:Decrypt', 'kms:GenerateDataKey'];

const sorted = (...lists: string[][]): string[] => [...new Set(lists.flat())].sort();

describe('IAM: each function is allowed exactly what it calls', () => {
  const { template } = synthStack({ slackWebhookSecretName: 'credhealth/slack' });
  const roles = {
    keyScan: 'CredentialHealthCheckKeyScanRole',
    trailWatch: 'CredentialHealthCheckTrailWatchRole',
    audit: 'CredentialHealthCheckAuditRole',
    slackNotify: 'CredentialHealthCheckSlackNotifyRole',
  };

  it('key-scan: IAM read, publish, ledger, its dead-letter queue', () => {
    // Act
    const actions = actionsOfRole(template, roles.keyScan);
    // Assess
    expect(actions).toEqual(
      sorted(LOGS_WRITE, XRAY, IAM_READ, ['sns:Publish'], LEDGER, KMS_TABLE, ['sqs:SendMessage']),
    );
  });

  it('trail-watch: IAM read, CloudTrail and Logs Insights read, publish, ledger, its dead-letter queue', () => {
    const actions = actionsOfRole(template, roles.trailWatch);
    expect(actions).toEqual(
      sorted(LOGS_WRITE, XRAY, IAM_READ, TRAIL_READ, ['sns:Publish'], LEDGER, KMS_TABLE, [
        'sqs:SendMessage',
      ]),
    );
  });

  it('audit: IAM read, CloudTrail and Logs Insights read, publish; no ledger', () => {
    const actions = actionsOfRole(template, roles.audit);
    expect(actions).toEqual(
      sorted(LOGS_WRITE, XRAY, IAM_READ, TRAIL_READ, ['sns:Publish'], KMS_PUBLISH),
    );
  });

  it('slack-notify: the one secret, its dead-letter queue', () => {
    const actions = actionsOfRole(template, roles.slackNotify);
    expect(actions).toEqual(
      sorted(LOGS_WRITE, XRAY, ['secretsmanager:GetSecretValue', 'sqs:SendMessage'], KMS_PUBLISH),
    );
  });

  it('no function is allowed any IAM write, and nothing is allowed a wildcard action', () => {
    const all = Object.values(roles).flatMap((role) => actionsOfRole(template, role));
    const iamWrites = all.filter(
      (a) => a.startsWith('iam:') && !/^iam:(Get|List|GenerateCredentialReport)/.test(a),
    );
    expect(iamWrites).toEqual([]);
    expect(all.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('only actions without resource-level permissions are allowed on "*"', () => {
    expect(wildcardActionsOfRole(template, roles.keyScan)).toEqual(sorted(IAM_READ, XRAY));
    expect(wildcardActionsOfRole(template, roles.slackNotify)).toEqual(XRAY);
    expect(wildcardActionsOfRole(template, roles.trailWatch)).toEqual(
      sorted(
        IAM_READ,
        XRAY,
        TRAIL_READ.filter((a) => a !== 'logs:StartQuery'),
      ),
    );
  });

  it('sns:Publish is on the notification topic only, secretsmanager:GetSecretValue on the one secret', () => {
    const publish = statementsOfRole(template, roles.keyScan).filter(
      (s) => s.Action === 'sns:Publish',
    );
    expect(publish).toEqual([
      expect.objectContaining({
        Resource: { Ref: expect.stringMatching(/^CredentialHealthCheckNotificationTopic/) },
      }),
    ]);
    const secret = statementsOfRole(template, roles.slackNotify).find(
      (s) => s.Action === 'secretsmanager:GetSecretValue',
    );
    expect(JSON.stringify(secret?.Resource)).toContain(':secret:credhealth/slack-??????');
  });

  it('logs:StartQuery is on the named log groups and the Lambda log groups only', () => {
    const { template: t } = synthStack({ logGroups: ['/app/orders'] });
    const start = statementsOfRole(t, roles.trailWatch).find((s) => s.Action === 'logs:StartQuery');
    expect(JSON.stringify(start?.Resource)).toContain('log-group:/app/orders:*');
    expect(JSON.stringify(start?.Resource)).toContain('log-group:/aws/lambda/*');
  });

  it('with no log groups and watchLambdaLogGroups off, no Logs Insights action is allowed', () => {
    const { template: t } = synthStack({ watchLambdaLogGroups: false });
    expect(actionsOfRole(t, roles.trailWatch).filter((a) => a.startsWith('logs:'))).toEqual(
      LOGS_WRITE,
    );
  });

  it('an S3 CloudTrail source allows ListBucket and GetObject on that bucket and prefix only', () => {
    const { template: t } = synthStack({
      cloudTrail: 's3',
      cloudTrailBucket: 'org-trail',
      cloudTrailPrefix: 'org',
    });
    const statements = statementsOfRole(t, roles.trailWatch);
    const list = statements.find((s) => s.Action === 's3:ListBucket');
    const get = statements.find((s) => s.Action === 's3:GetObject');
    expect(JSON.stringify(list?.Resource)).toMatch(/:s3:::org-trail"/);
    expect(JSON.stringify(get?.Resource)).toMatch(/:s3:::org-trail\/org\/AWSLogs\/\*"/);
    expect(actionsOfRole(t, roles.keyScan).filter((a) => a.startsWith('s3:'))).toEqual([]);
  });
});

describe('schedules', () => {
  it('runs key-scan daily at 06:00 UTC and trail-watch every 15 minutes, each with retries and a DLQ', () => {
    const { template } = synthStack();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      Target: Match.objectLike({
        Arn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^CredentialHealthCheckKeyScanFunction'), 'Arn'],
        },
        DeadLetterConfig: {
          Arn: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^CredentialHealthCheckKeyScanDlq'), 'Arn'],
          },
        },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 },
      }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({
        Arn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^CredentialHealthCheckTrailWatchFunction'), 'Arn'],
        },
        DeadLetterConfig: {
          Arn: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^CredentialHealthCheckTrailWatchDlq'), 'Arn'],
          },
        },
      }),
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
  });

  it('takes the schedule, interval and lookback from props', () => {
    const { template } = synthConstruct({
      keyScanSchedule: scheduler.ScheduleExpression.expression('cron(30 7 ? * MON-FRI *)'),
      trailWatchInterval: Duration.minutes(30),
      trailWatchLookback: Duration.hours(2),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 7 ? * MON-FRI *)',
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.TRAIL_LOOKBACK_MINUTES]: '120',
          [ENV.TRAIL_INTERVAL_MINUTES]: '30',
        }),
      },
    });
  });
});

describe('encryption and transport', () => {
  const { template } = synthStack({ slackWebhookSecretName: 'credhealth/slack' });

  it('defines one customer-managed key with rotation on', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('encrypts both topics with the key and denies non-TLS publishing', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    expect(Object.keys(topics)).toHaveLength(2);
    for (const topic of Object.values(topics)) {
      expect(topic.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^CredentialHealthCheckKey/), 'Arn'],
      });
    }
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('encrypts every dead-letter queue with the key and denies non-TLS access', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(3);
    for (const queue of queues) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^CredentialHealthCheckKey/), 'Arn'],
      });
    }
    for (const policy of Object.values(template.findResources('AWS::SQS::QueuePolicy'))) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('keeps the ledger on demand, with point-in-time recovery, TTL and the key, and retains it', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      }),
    });
  });
});

describe('functions', () => {
  it('are Node.js 22 on ARM64 with tracing, JSON logs and an explicit one-year log group', () => {
    const { template } = synthStack({ slackWebhookSecretName: 'credhealth/slack' });
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/LogGroup/) } },
      });
    }
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(4);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(365);
    template.resourcePropertiesCountIs(
      'AWS::IAM::Role',
      { ManagedPolicyArns: Match.anyValue() },
      0,
    );
  });

  it('take the log retention from props', () => {
    const { template } = synthConstruct({ logRetention: logs.RetentionDays.TWO_YEARS });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
  });

  it('receive the environment each one reads, set next to its grant', () => {
    const { template } = synthStack({
      slackWebhookSecretName: 'credhealth/slack',
      logGroups: ['/app/a', '/app/b'],
    });
    const topic = { Ref: expect.stringMatching(/^CredentialHealthCheckNotificationTopic/) };
    const table = { Ref: expect.stringMatching(/^CredentialHealthCheckLedgerTable/) };
    expect(environmentOf(template, 'CredentialHealthCheckKeyScanFunction')).toEqual({
      [ENV.POWERTOOLS_SERVICE_NAME]: 'credential-health',
      [ENV.POWERTOOLS_METRICS_NAMESPACE]: 'CredentialHealth',
      NODE_OPTIONS: '--enable-source-maps',
      [ENV.AUDIT_CONFIG]: expect.any(String),
      [ENV.TOPIC_ARN]: topic,
      [ENV.LEDGER_TABLE_NAME]: table,
    });
    expect(environmentOf(template, 'CredentialHealthCheckTrailWatchFunction')).toMatchObject({
      [ENV.TOPIC_ARN]: topic,
      [ENV.LEDGER_TABLE_NAME]: table,
      [ENV.CLOUDTRAIL_MODE]: 'auto',
      [ENV.LOG_GROUPS]: '/app/a,/app/b',
      [ENV.WATCH_LAMBDA_LOG_GROUPS]: 'true',
      [ENV.TRAIL_LOOKBACK_MINUTES]: '60',
      [ENV.TRAIL_INTERVAL_MINUTES]: '15',
      [ENV.INCIDENT_QUIET_RUNS]: '4',
    });
    const audit = environmentOf(template, 'CredentialHealthCheckAuditFunction');
    expect(audit).not.toHaveProperty(ENV.LEDGER_TABLE_NAME);
    expect(environmentOf(template, 'CredentialHealthCheckSlackNotifyFunction')).toMatchObject({
      [ENV.SLACK_WEBHOOK_SECRET_ID]: 'credhealth/slack',
    });
  });

  it('pass the thresholds and tag keys as the audit config', () => {
    const { template } = synthStack({
      maxKeyAgeDays: 60,
      reminderLeadDays: 10,
      ownerTagKeys: ['team-owner'],
    });
    const config = JSON.parse(
      String(environmentOf(template, 'CredentialHealthCheckKeyScanFunction')[ENV.AUDIT_CONFIG]),
    );
    expect(config).toEqual({
      thresholds: {
        maxKeyAgeDays: 60,
        reminderLeadDays: 10,
        keyUnusedDays: 45,
        inactiveKeyDays: 30,
      },
      exemptions: { tagKey: 'credential-health:exempt' },
      owners: { tagKeys: ['team-owner'] },
    });
  });

  it('send asynchronous failures of the scheduled functions and slack-notify to their dead-letter queues', () => {
    const { template } = synthStack({ slackWebhookSecretName: 'credhealth/slack' });
    for (const name of ['KeyScan', 'TrailWatch', 'SlackNotify']) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: Match.stringLikeRegexp(`^CredentialHealthCheck${name}Function`) },
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::GetAtt': [Match.stringLikeRegexp(`^CredentialHealthCheck${name}Dlq`), 'Arn'],
            },
          },
        },
      });
    }
  });
});

describe('notifications', () => {
  it('subscribes the notification emails, filtered by severity, and owners by their own address', () => {
    const { template } = synthStack({
      notifyEmails: ['sec@example.com'],
      notifyMinSeverity: 'high',
      ownerEmails: ['alice@example.com'],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'sec@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^CredentialHealthCheckNotificationTopic') },
      FilterPolicy: { severity: ['critical', 'high'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'alice@example.com',
      FilterPolicy: { owner: ['alice@example.com'] },
    });
    // Alarms go to the notification emails when no alarm emails are given.
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'sec@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^CredentialHealthCheckAlarmTopic') },
    });
  });

  it('subscribes slack-notify to the topic with a dead-letter queue, only when a webhook secret is given', () => {
    const withSlack = synthStack({
      slackWebhookSecretName: 'credhealth/slack',
      slackMinSeverity: 'medium',
    }).template;
    withSlack.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^CredentialHealthCheckSlackNotifyDlq'), 'Arn'],
        },
      },
      FilterPolicy: { severity: ['critical', 'high', 'medium'] },
    });
    const withoutSlack = synthStack().template;
    withoutSlack.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'lambda' }, 0);
    withoutSlack.resourceCountIs('AWS::Lambda::Function', 3);
  });

  it('publishes to an existing topic when one is given, and defines only the alarm topic', () => {
    const { template } = synthStack({ topicArn: 'arn:aws:sns:eu-west-1:123456789012:existing' });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(environmentOf(template, 'CredentialHealthCheckKeyScanFunction')[ENV.TOPIC_ARN]).toBe(
      'arn:aws:sns:eu-west-1:123456789012:existing',
    );
  });
});

describe('alarms and dashboard', () => {
  it('alarms on each dead-letter queue and on each function error, to the alarm topic', () => {
    const { template } = synthStack({ slackWebhookSecretName: 'credhealth/slack' });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const dlqAlarms = alarms.filter(
      (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    const errorAlarms = alarms.filter((a) => a.Properties.MetricName === 'Errors');
    const notRunAlarms = alarms.filter((a) => a.Properties.MetricName === 'Invocations');
    expect(dlqAlarms).toHaveLength(3);
    expect(errorAlarms).toHaveLength(4);
    for (const alarm of [...dlqAlarms, ...errorAlarms]) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: expect.stringMatching(/^CredentialHealthCheckAlarmTopic/) }],
      });
    }
    expect(alarms).toHaveLength(dlqAlarms.length + errorAlarms.length + notRunAlarms.length);
  });

  it('alarms when a scheduled function has not run for a day', () => {
    const { template } = synthStack();
    const notRun = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.MetricName === 'Invocations',
    );
    expect(notRun).toHaveLength(2);
    for (const alarm of notRun) {
      expect(alarm.Properties).toMatchObject({
        Period: 86_400,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: expect.stringMatching(/^CredentialHealthCheckAlarmTopic/) }],
      });
    }
  });

  it('draws keys by state, incidents by kind and run health from the CredentialHealth namespace', () => {
    const { template } = synthStack();
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    expect(body).toContain('Access keys by state');
    expect(body).toContain('Open incidents by kind');
    expect(body).toContain('revoked-key-in-use');
    expect(body).toContain('CredentialHealth');
    expect(body).toContain('Runs: invocations and errors');
  });
});

describe('bring-your-own keys', () => {
  const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it('lets the functions use the key of an existing encrypted topic', () => {
    const { template } = synthStack({
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:existing',
      topicKeyArn: KEY,
    });
    const kms = statementsOfRole(template, 'CredentialHealthCheckAuditRole').filter(
      (s) => Array.isArray(s.Action) && s.Action.includes('kms:GenerateDataKey'),
    );
    expect(kms.map((s) => s.Resource)).toEqual([KEY]);
  });

  it('lets trail readers decrypt SSE-KMS trail files with the trail key', () => {
    const { template } = synthStack({
      cloudTrail: 's3',
      cloudTrailBucket: 'org-trail',
      cloudTrailKeyArn: KEY,
    });
    expect(statementsOfRole(template, 'CredentialHealthCheckTrailWatchRole')).toContainEqual(
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: KEY }),
    );
    expect(
      actionsOfRole(template, 'CredentialHealthCheckKeyScanRole').filter(
        (a) => a === 'kms:Decrypt',
      ),
    ).toHaveLength(1);
  });
});

describe('stack outputs', () => {
  it('names the audit function, the topic and the dashboard', () => {
    const { template } = synthStack();
    template.hasOutput('AuditFunctionName', {
      Value: { Ref: Match.stringLikeRegexp('^CredentialHealthCheckAuditFunction') },
    });
    template.hasOutput('NotificationTopicArn', {
      Value: { Ref: Match.stringLikeRegexp('^CredentialHealthCheckNotificationTopic') },
    });
    template.hasOutput('DashboardName', Match.anyValue());
  });
});
