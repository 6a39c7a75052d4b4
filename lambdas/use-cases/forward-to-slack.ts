import { parseNotificationPayload, slackMessage } from '../render/slack.js';

/** What forwarding needs; tests pass fakes. */
export interface ForwardToSlackDeps {
  /** The webhook URL (read once from Secrets Manager in the deployed function). */
  readonly webhookUrl: () => Promise<string>;
  /** Posts one message; retries what can be retried and throws what cannot be delivered. */
  readonly post: (url: string, body: unknown) => Promise<unknown>;
}

/**
 * Posts each SNS message to Slack, as the Block Kit message `slackMessage` builds (the same
 * builder the CLI's `--slack-webhook` uses). Throws on the first failure, so the invocation
 * fails: Lambda retries the event and then hands it, with the SNS message in it, to the
 * function's failure destination (the dead-letter queue). Nothing is dropped silently: a
 * message that is not a notification fails the same way.
 */
export async function forwardToSlack(
  deps: ForwardToSlackDeps,
  messages: readonly string[],
): Promise<number> {
  if (messages.length === 0) return 0;
  // Parse everything first: a bad message fails the event before anything is posted twice.
  const bodies = messages.map((message) => slackMessage(parseNotificationPayload(message)));
  const url = await deps.webhookUrl();
  for (const body of bodies) await deps.post(url, body);
  return messages.length;
}
