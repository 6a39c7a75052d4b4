import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SNSEvent } from 'aws-lambda';
import { SECRETS_MANAGER_CLIENT } from '../adapters/clients.js';
import {
  postToSlack,
  readWebhookUrl,
  SlackPermanentError,
  SlackTransientError,
} from '../adapters/slack-webhook.js';
import { getStringFromEnv } from '../config/env.js';
import { ENV } from '../config/env-names.js';
import { describeError, InputFormatError } from '../core/errors.js';
import { forwardToSlack } from '../use-cases/forward-to-slack.js';
import { functionClients } from '../use-cases/function-clients.js';

// Cold start: a wrong environment fails here, naming the variable, before any event.
const secretId = getStringFromEnv(process.env, ENV.SLACK_WEBHOOK_SECRET_ID);
const logger = new Logger();
const { secrets } = functionClients(process.env, { secrets: SECRETS_MANAGER_CLIENT });
// Read once per container; a rotated URL is picked up by the next cold start.
let webhookUrl: Promise<string> | undefined;

/** Time kept back from the function's timeout for logging and returning the error. */
const RESERVE_MS = 5_000;

/**
 * SNS → Slack incoming webhook. The URL comes from Secrets Manager and is never logged.
 * A failure is thrown, classified in the log (`permanent`: Slack refused the message, e.g.
 * `invalid_payload`; `transient`: 429/5xx/network after retries; `bad-message`: not a
 * notification), so the asynchronous invocation's retries and then its failure destination
 * (the dead-letter queue) keep the SNS message: nothing is dropped silently.
 */
export const handler = async (event: SNSEvent, context?: Context): Promise<{ posted: number }> => {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 30_000;
  const messageIds = event.Records.map((record) => record.Sns.MessageId);
  try {
    const posted = await forwardToSlack(
      {
        webhookUrl: () => {
          webhookUrl ??= readWebhookUrl(secrets, secretId).catch((error: unknown) => {
            webhookUrl = undefined;
            throw error;
          });
          return webhookUrl;
        },
        post: (url, body) =>
          postToSlack(fetch, url, body, {
            budgetMs: Math.max(0, remaining - RESERVE_MS),
            maxDelayMs: Math.max(1_000, Math.min(15_000, remaining - RESERVE_MS)),
          }),
      },
      event.Records.map((record) => record.Sns.Message),
    );
    logger.info('posted to Slack', { posted, messageIds });
    return { posted };
  } catch (error) {
    logger.error('posting to Slack failed; the event goes to the failure destination', {
      classification: classify(error),
      status:
        error instanceof SlackPermanentError || error instanceof SlackTransientError
          ? error.status
          : undefined,
      messageIds,
      error: describeError(error),
    });
    throw error;
  }
};

function classify(error: unknown): 'permanent' | 'transient' | 'bad-message' | 'unexpected' {
  if (error instanceof SlackPermanentError) return 'permanent';
  if (error instanceof SlackTransientError) return 'transient';
  if (error instanceof InputFormatError) return 'bad-message';
  return 'unexpected';
}
