import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { Severity } from '../lambdas/core/report.js';
import type { AppSettings } from './app-context.js';
import { CloudTrailSource } from './cloudtrail-source.js';
import {
  CredentialHealthCheck,
  type CredentialHealthCheckProps,
} from './credential-health-check.js';

/** Properties of {@link CredentialHealthStack}. */
export interface CredentialHealthStackProps extends StackProps {
  /**
   * The app settings (from `-c` context, see lib/app-context.ts).
   * @default - every construct default
   */
  readonly settings?: AppSettings;
}

/**
 * The deployable app: one {@link CredentialHealthCheck} whose props come from the app settings.
 * It only maps names to references; every default and rule lives in the construct.
 */
export class CredentialHealthStack extends Stack {
  /** The health check. */
  public readonly healthCheck: CredentialHealthCheck;

  public constructor(scope: Construct, id: string, props: CredentialHealthStackProps = {}) {
    super(scope, id, props);
    this.healthCheck = new CredentialHealthCheck(
      this,
      'CredentialHealthCheck',
      this.toProps(props.settings ?? {}),
    );
    new CfnOutput(this, 'AuditFunctionName', {
      description:
        'credhealth invoke --function <this>, or aws lambda invoke --function-name <this>',
      value: this.healthCheck.auditFunction.functionName,
    });
    new CfnOutput(this, 'NotificationTopicArn', {
      description: 'Subscribe more endpoints (AWS Chatbot, SQS) here',
      value: this.healthCheck.topic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', { value: this.healthCheck.dashboard.dashboardName });
  }

  private toProps(s: AppSettings): CredentialHealthCheckProps {
    const minutes = (value: number | undefined): Duration | undefined =>
      value === undefined ? undefined : Duration.minutes(value);
    return {
      maxKeyAgeDays: s.maxKeyAgeDays,
      machineMaxKeyAgeDays: s.machineMaxKeyAgeDays,
      reminderLeadDays: s.reminderLeadDays,
      keyUnusedDays: s.keyUnusedDays,
      inactiveKeyDays: s.inactiveKeyDays,
      keyScanSchedule:
        s.keyScanSchedule === undefined
          ? undefined
          : scheduler.ScheduleExpression.expression(s.keyScanSchedule),
      trailWatchInterval: minutes(s.trailWatchMinutes),
      trailWatchLookback: minutes(s.trailLookbackMinutes),
      incidentQuietRuns: s.incidentQuietRuns,
      notificationEmails: s.notifyEmails,
      ownerEmails: s.ownerEmails,
      alarmEmails: s.alarmEmails,
      notificationMinimumSeverity: s.notifyMinSeverity as Severity | undefined,
      slackMinimumSeverity: s.slackMinSeverity as Severity | undefined,
      slackWebhookSecret:
        s.slackWebhookSecretName === undefined
          ? undefined
          : secretsmanager.Secret.fromSecretNameV2(
              this,
              'SlackWebhookSecret',
              s.slackWebhookSecretName,
            ),
      ownerTagKeys: s.ownerTagKeys,
      exemptionTagKey: s.exemptionTagKey,
      cloudTrailSource: this.cloudTrailSource(s),
      logGroups: s.logGroups?.map((name, i) =>
        logs.LogGroup.fromLogGroupName(this, `WatchedLogGroup${i}`, name),
      ),
      watchLambdaLogGroups: s.watchLambdaLogGroups,
      logRetention: s.logRetentionDays as logs.RetentionDays | undefined,
      topic:
        s.topicArn === undefined
          ? undefined
          : sns.Topic.fromTopicAttributes(this, 'ExistingTopic', {
              topicArn: s.topicArn,
              ...(s.topicKeyArn === undefined ? {} : { keyArn: s.topicKeyArn }),
            }),
    };
  }

  private cloudTrailSource(s: AppSettings): CloudTrailSource | undefined {
    switch (s.cloudTrail) {
      case 'lookup':
        return CloudTrailSource.lookupEvents();
      case 's3':
        return s.cloudTrailBucket === undefined
          ? undefined
          : CloudTrailSource.s3Bucket(
              s3.Bucket.fromBucketName(this, 'TrailBucket', s.cloudTrailBucket),
              {
                ...(s.cloudTrailPrefix === undefined ? {} : { prefix: s.cloudTrailPrefix }),
                ...(s.cloudTrailKeyArn === undefined
                  ? {}
                  : { encryptionKey: kms.Key.fromKeyArn(this, 'TrailKey', s.cloudTrailKeyArn) }),
              },
            );
      case 'auto':
        return CloudTrailSource.auto();
      default:
        return undefined;
    }
  }
}
