import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { DYNAMODB_CLIENT, SNS_CLIENT } from '../adapters/clients.js';
import { createDynamoDbLedger } from '../adapters/ledger-dynamodb.js';
import { powertoolsRunMetrics } from '../adapters/powertools-metrics.js';
import { publishMessages } from '../adapters/sns-publisher.js';
import { loadTrailWatchConfig, trailWatchPeriods } from '../config/function-config.js';
import { describeError } from '../core/errors.js';
import { lambdaTimeBudget } from '../sources/live/time-budget.js';
import { functionClients } from '../use-cases/function-clients.js';
import { liveSources, SOURCE_CLIENTS, systemClock } from '../use-cases/live-deps.js';
import { runTrailWatch, type TrailWatchSummary } from '../use-cases/run-trail-watch.js';

// Cold start: a wrong environment fails here, naming the variable, before any event.
const config = loadTrailWatchConfig(process.env);
const logger = new Logger();
const metrics = new Metrics();
const clients = functionClients(process.env, {
  ...SOURCE_CLIENTS,
  sns: SNS_CLIENT,
  dynamoDb: DYNAMODB_CLIENT,
});
const ledger = createDynamoDbLedger(clients.dynamoDb, {
  tableName: config.tableName,
});

/** trail-watch (every 15 minutes): incidents announced once, escalations and endings too. */
export const handler = async (_event?: unknown, context?: Context): Promise<TrailWatchSummary> => {
  try {
    const summary = await runTrailWatch(
      {
        sources: await liveSources(clients, config, lambdaTimeBudget(context)),
        ledger,
        publish: (messages) => publishMessages(clients.sns, config.topicArn, messages),
        clock: systemClock,
        metrics: powertoolsRunMetrics(metrics),
      },
      { config: config.audit, ...trailWatchPeriods(config) },
    );
    metrics.addMetric('RunSucceeded', MetricUnit.Count, 1);
    logger.info('trail watch finished', { summary });
    return summary;
  } catch (error) {
    logger.error('trail watch failed', { error: describeError(error) });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
};
