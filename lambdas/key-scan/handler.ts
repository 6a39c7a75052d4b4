import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { DYNAMODB_CLIENT, SNS_CLIENT } from '../adapters/clients.js';
import { createDynamoDbLedger } from '../adapters/ledger-dynamodb.js';
import { powertoolsRunMetrics } from '../adapters/powertools-metrics.js';
import { publishMessages } from '../adapters/sns-publisher.js';
import { loadKeyScanConfig } from '../config/function-config.js';
import { describeError } from '../core/errors.js';
import { lambdaTimeBudget } from '../sources/live/time-budget.js';
import { functionClients } from '../use-cases/function-clients.js';
import { IAM_SOURCE_CLIENTS, iamLiveSources, systemClock } from '../use-cases/live-deps.js';
import { type KeyScanSummary, runKeyScan } from '../use-cases/run-key-scan.js';

// Cold start: a wrong environment fails here, naming the variable, before any event.
const config = loadKeyScanConfig(process.env);
const logger = new Logger();
const metrics = new Metrics();
// Only what the key scan calls: no CloudTrail, S3 or Logs client in its bundle.
const clients = functionClients(process.env, {
  ...IAM_SOURCE_CLIENTS,
  sns: SNS_CLIENT,
  dynamoDb: DYNAMODB_CLIENT,
});
const ledger = createDynamoDbLedger(clients.dynamoDb, {
  tableName: config.tableName,
});

/** The daily key scan (EventBridge Scheduler): reminders owed today, each sent once. */
export const handler = async (_event?: unknown, context?: Context): Promise<KeyScanSummary> => {
  try {
    const summary = await runKeyScan(
      {
        sources: await iamLiveSources(clients, lambdaTimeBudget(context)),
        ledger,
        publish: (messages) => publishMessages(clients.sns, config.topicArn, messages),
        clock: systemClock,
        metrics: powertoolsRunMetrics(metrics),
      },
      config.audit,
    );
    metrics.addMetric('RunSucceeded', MetricUnit.Count, 1);
    logger.info('key scan finished', { summary });
    return summary;
  } catch (error) {
    logger.error('key scan failed', { error: describeError(error) });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
};
