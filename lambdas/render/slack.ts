import type { ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { InputFormatError } from '../core/errors.js';
import type { Finding, Incident, Severity } from '../core/report.js';
import { SEVERITIES } from '../core/report.js';
import type { NotificationPayload } from './notifications/notification-payload.js';

/** A Slack incoming-webhook body: `text` is the fallback shown in notifications. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** Slack's limits: 50 blocks a message, 3000 characters a section, 150 a header. */
const MAX_BLOCKS = 50;
const MAX_SECTION = 3000;
const MAX_HEADER = 150;
/** Findings listed one by one before the rest are counted. */
const MAX_FINDINGS_SHOWN = 20;

const ICONS: Readonly<Record<Severity, string>> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':large_blue_circle:',
  info: ':white_circle:',
};

/**
 * Reads the JSON an SNS Lambda subscriber receives (the `lambda` body of the message).
 *
 * @throws InputFormatError when it is not a credential-health notification.
 */
export function parseNotificationPayload(message: string): NotificationPayload {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch (error) {
    throw new InputFormatError('SNS message is not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null)
    throw new InputFormatError('SNS message is not a JSON object');
  const payload = value as Partial<NotificationPayload> & Record<string, unknown>;
  if (
    payload.type === 'credential-health.incident' &&
    typeof payload.incident === 'object' &&
    payload.incident !== null
  ) {
    return payload as NotificationPayload;
  }
  if (payload.type === 'credential-health.reminder' && Array.isArray(payload.findings)) {
    return payload as NotificationPayload;
  }
  throw new InputFormatError(
    `SNS message is not a credential-health notification (type ${JSON.stringify(payload.type)})`,
  );
}

/**
 * The Slack message for a notification: a header with the severity, the facts, and what to do.
 * Pure; text from AWS (user names, user agents) is escaped so it cannot form Slack markup.
 *
 * @example
 * const body = slackMessage(parseNotificationPayload(record.Sns.Message));
 * await fetch(webhookUrl, { method: 'POST', body: JSON.stringify(body) });
 */
export function slackMessage(payload: NotificationPayload): SlackMessage {
  const account = payload.account.alias ?? payload.account.id ?? 'unknown account';
  const blocks =
    payload.type === 'credential-health.incident'
      ? incidentBlocks(payload.incident, account)
      : reminderBlocks(payload.findings, account, payload.owner);
  return {
    text: clip(`${ICONS[payload.severity]} ${payload.subject}`, MAX_SECTION),
    blocks: blocks.slice(0, MAX_BLOCKS),
  };
}

function incidentBlocks(incident: Incident, account: string): KnownBlock[] {
  const facts = [
    `*When:* ${escapeMrkdwn(incident.firstSeen)} to ${escapeMrkdwn(incident.lastSeen)} (${incident.count} events)`,
    list('Access keys', incident.accessKeyIds),
    list('Principals', incident.principals),
    list('Source IPs', incident.sourceIps),
    list('User agents', incident.userAgents),
    list('Log groups', incident.logGroups),
  ].filter((line) => line !== '');
  const blocks: KnownBlock[] = [
    header(`${incident.severity.toUpperCase()}: ${incident.title}`),
    context(
      `${ICONS[incident.severity]} ${escapeMrkdwn(incident.kind)} in ${escapeMrkdwn(account)}`,
    ),
    section(facts.join('\n')),
  ];
  if (incident.probableCauses.length > 0)
    blocks.push(section(`*Probable causes*\n${bullets(incident.probableCauses)}`));
  if (incident.remediation.length > 0)
    blocks.push(section(`*What to do*\n${bullets(incident.remediation)}`));
  return blocks;
}

function reminderBlocks(
  findings: readonly Finding[],
  account: string,
  owner: string | null,
): KnownBlock[] {
  const worst = SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? 'info';
  const shown = findings.slice(0, MAX_FINDINGS_SHOWN);
  const blocks: KnownBlock[] = [
    header(
      `${findings.length} credential ${findings.length === 1 ? 'finding' : 'findings'} in ${account}`,
    ),
    context(`${ICONS[worst]} for ${escapeMrkdwn(owner ?? 'the account (no owner)')}`),
  ];
  for (const finding of shown) {
    const fix = finding.remediation[0] ? `\n_${escapeMrkdwn(finding.remediation[0])}_` : '';
    blocks.push(
      section(
        `${ICONS[finding.severity]} *${escapeMrkdwn(finding.title)}*\n${escapeMrkdwn(finding.detail)}${fix}`,
      ),
    );
  }
  if (findings.length > shown.length)
    blocks.push(context(`…and ${findings.length - shown.length} more`));
  return blocks;
}

function header(text: string): HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: clip(text, MAX_HEADER), emoji: true },
  };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, MAX_SECTION) } };
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, MAX_SECTION) }] };
}

function list(label: string, values: readonly string[]): string {
  if (values.length === 0) return '';
  const shown = values
    .slice(0, 10)
    .map((v) => `\`${escapeMrkdwn(v).replace(/`/g, "'")}\``)
    .join(', ');
  return `*${label}:* ${shown}${values.length > 10 ? ` and ${values.length - 10} more` : ''}`;
}

function bullets(lines: readonly string[]): string {
  return lines.map((line) => `• ${escapeMrkdwn(line)}`).join('\n');
}

/** Slack's three control characters in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
