import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSEvent } from 'aws-lambda';
import { postToSlack, readWebhookUrl } from '../adapters/slack-webhook.js';
import { getStringFromEnv } from '../config/env.js';
import { ENV } from '../config/env-names.js';
import { describeError } from '../core/audit.js';
import { forwardToSlack } from '../use-cases/forward-to-slack.js';

// Cold start: a wrong environment fails here, naming the variable, before any event.
const secretId = getStringFromEnv(process.env, ENV.SLACK_WEBHOOK_SECRET_ID);
const logger = new Logger();
const secrets = new SecretsManagerClient({ region: process.env.AWS_REGION });
// Read once per container; a rotated URL is picked up by the next cold start.
let webhookUrl: Promise<string> | undefined;

/** SNS → Slack incoming webhook. */
export const handler = async (event: SNSEvent): Promise<{ posted: number }> => {
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
        post: (url, body) => postToSlack(fetch, url, body),
      },
      event.Records.map((record) => record.Sns.Message),
    );
    logger.info('posted to Slack', { posted });
    return { posted };
  } catch (error) {
    logger.error('posting to Slack failed', { error: describeError(error) });
    throw error;
  }
};
