import { parseNotificationPayload, slackMessage } from '../render/slack.js';

/** What forwarding needs; tests pass fakes. */
export interface ForwardToSlackDeps {
  /** The webhook URL (read once from Secrets Manager in the deployed function). */
  readonly webhookUrl: () => Promise<string>;
  readonly post: (url: string, body: unknown) => Promise<void>;
}

/**
 * Posts each SNS message to Slack. Throws on the first failure so Lambda retries the event
 * and, after its retries, sends it to the dead-letter queue.
 */
export async function forwardToSlack(
  deps: ForwardToSlackDeps,
  messages: readonly string[],
): Promise<number> {
  if (messages.length === 0) return 0;
  const url = await deps.webhookUrl();
  for (const message of messages)
    await deps.post(url, slackMessage(parseNotificationPayload(message)));
  return messages.length;
}
