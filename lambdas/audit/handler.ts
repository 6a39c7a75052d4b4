import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { SNS_CLIENT } from '../adapters/clients.js';
import { publishMessages } from '../adapters/sns-publisher.js';
import { loadAuditFunctionConfig } from '../config/function-config.js';
import { describeError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { lambdaTimeBudget } from '../sources/live/time-budget.js';
import { functionClients } from '../use-cases/function-clients.js';
import { liveSources, SOURCE_CLIENTS, systemClock } from '../use-cases/live-deps.js';
import {
  parseAuditRequest,
  type RenderedAuditResponse,
  runOnDemandAudit,
} from '../use-cases/run-on-demand-audit.js';

// Cold start: a wrong environment fails here, naming the variable, before any event.
const config = loadAuditFunctionConfig(process.env);
const logger = new Logger();
const metrics = new Metrics();
const clients = functionClients(process.env, { ...SOURCE_CLIENTS, sns: SNS_CLIENT });

/**
 * The on-demand audit: `aws lambda invoke --function-name … --payload '{"lookback":"7d"}'`.
 * Payload: `lookback` (`24h`), `publish` (false), `format` (`json`), `now` (ISO).
 */
export const handler = async (
  event: unknown,
  context?: Context,
): Promise<Report | RenderedAuditResponse> => {
  try {
    const request = parseAuditRequest(event);
    const { response, published } = await runOnDemandAudit(
      {
        sources: await liveSources(clients, config, lambdaTimeBudget(context)),
        publish: (messages) => publishMessages(clients.sns, config.topicArn, messages),
        clock: systemClock,
      },
      config.audit,
      request,
    );
    metrics.addMetric('RunSucceeded', MetricUnit.Count, 1);
    logger.info('audit finished', { request, published });
    return response;
  } catch (error) {
    logger.error('audit failed', { error: describeError(error) });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
};
