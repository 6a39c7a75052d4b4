import { CredentialHealthError, RequiredSourceError } from '../core/errors.js';
import type { Report } from '../core/report.js';

/** Where and how `--publish TOPIC_ARN` sends a report through SNS. */
export interface PublishCliOptions {
  readonly topicArn: string;
  readonly profile?: string;
  readonly region?: string;
  readonly roleArn?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Where `--slack-webhook URL` (or `CREDHEALTH_SLACK_WEBHOOK`) posts a report. */
export interface SlackCliOptions {
  /** An incoming-webhook URL: a secret, never printed or logged. */
  readonly webhookUrl: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Sends the report through SNS exactly as the deployed functions do: one message per
 * incident, one reminder digest per owner, one account digest for unowned findings
 * (`buildNotifications`), published with PublishBatch.
 *
 * @returns one line for stderr saying what was sent.
 * @throws CredentialChainError when the credentials do not work (exit code 3).
 * @throws CredentialHealthError when SNS refuses some messages (they are named).
 */
export async function publishReport(report: Report, options: PublishCliOptions): Promise<string> {
  const { buildNotifications } = await import('../render/notifications/build-notifications.js');
  const { publishMessages } = await import('../adapters/sns-publisher.js');
  const { connect } = await import('./live.js');
  const messages = buildNotifications(report);
  if (messages.length === 0)
    return `nothing to publish to ${options.topicArn}: no findings or incidents`;
  const { clients } = await connect(options);
  const kinds = countKinds(messages.map((m) => m.attributes.kind));
  let summary: Awaited<ReturnType<typeof publishMessages>>;
  try {
    summary = await publishMessages(clients.sns, options.topicArn, messages);
  } catch (error) {
    // A request failed outright: say what may not have gone, so nobody assumes it was sent.
    if (!(error instanceof CredentialHealthError) || error instanceof RequiredSourceError)
      throw error;
    throw new CredentialHealthError(
      `publishing to ${options.topicArn} failed, so some or all of ${kinds} (${messages.length} messages) were not sent: ${error.message}`,
      { cause: error },
    );
  }
  if (summary.failed.length > 0) {
    const first = summary.failed[0];
    throw new CredentialHealthError(
      `published ${summary.published} of ${messages.length} messages to ${options.topicArn}; ${summary.failed.length} refused (first: ${first?.id} ${first?.code}: ${first?.message})`,
    );
  }
  return `published ${kinds} to ${options.topicArn} in ${summary.requests} SNS requests`;
}

function countKinds(kinds: readonly string[]): string {
  const incidents = kinds.filter((k) => k === 'incident').length;
  const reminders = kinds.length - incidents;
  return `${incidents} incident ${incidents === 1 ? 'summary' : 'summaries'} and ${reminders} reminder ${reminders === 1 ? 'digest' : 'digests'}`;
}

/**
 * Posts the report to Slack as the Block Kit message the `slack-notify` function posts: the
 * same builder (`buildSlackMessage`), given the whole report instead of one notification, and
 * the same delivery (429 `Retry-After` honoured, 5xx retried with backoff).
 *
 * @returns one line for stderr saying what was posted (without the webhook URL, a secret).
 * @throws CredentialHealthError (SlackPermanentError, SlackTransientError) when Slack did not
 *   take the message; the message names Slack's answer, never the URL.
 */
export async function postReportToSlack(report: Report, options: SlackCliOptions): Promise<string> {
  const { slackReportMessage } = await import('../render/slack.js');
  const { postToSlack } = await import('../adapters/slack-webhook.js');
  const message = slackReportMessage(report);
  const delivery = await postToSlack(fetch, options.webhookUrl, message);
  const items = report.findings.length + report.incidents.length;
  const retries = delivery.attempts > 1 ? ` after ${delivery.attempts} attempts` : '';
  return `posted the Slack message (${items} ${items === 1 ? 'item' : 'items'}, ${message.blocks.length} blocks) to the webhook${retries}`;
}
