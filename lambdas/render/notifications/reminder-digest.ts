import { CredentialHealthError } from '../../core/errors.js';
import { stableId } from '../../core/ids.js';
import type { Finding, Report, Severity } from '../../core/report.js';
import { SEVERITIES } from '../../core/report.js';
import {
  describeAccount,
  describeKey,
  describePrincipal,
  displayText,
  formatDateTime,
  plural,
  SEVERITY_LABELS,
} from '../format.js';
import { chatbotNotification } from './chatbot-notification.js';
import { iamUserLink } from './console-links.js';
import { joinLines, labelled, list, wrapEmail } from './email-text.js';
import type { ReminderPayload } from './notification-payload.js';
import {
  messageSize,
  type OutgoingMessage,
  outgoingMessage,
  SNS_MAX_MESSAGE_BYTES,
} from './outgoing-message.js';
import { composeSubject, subjectAccount } from './subject.js';

const PART_LABEL_MARGIN = 64;

/** A digest that cannot fit SNS's limit even with one finding in it. */
export class NotificationTooLargeError extends CredentialHealthError {
  public constructor(message: string) {
    super(message);
    this.name = 'NotificationTooLargeError';
  }
}

/**
 * One owner's findings as reminder messages: one digest (not one mail per key), split into
 * numbered parts only when a single message would exceed `maxBytes`. Never cut silently.
 *
 * @param owner the owner's address; null for the account digest (findings nobody owns).
 * @throws NotificationTooLargeError when even a single finding does not fit.
 */
export function reminderDigests(
  report: Report,
  owner: string | null,
  findings: readonly Finding[],
  maxBytes: number = SNS_MAX_MESSAGE_BYTES,
): OutgoingMessage[] {
  if (findings.length === 0) return [];
  let parts: (readonly Finding[])[] = [findings];
  for (;;) {
    // The margin covers the part label growing (`part 9 of 9` → `part 10 of 10`) once the count is final.
    const tooBig = parts.findIndex(
      (part) =>
        messageSize(digest(report, owner, part, 1, parts.length + 1)) >
        maxBytes - PART_LABEL_MARGIN,
    );
    if (tooBig === -1) break;
    const part = parts[tooBig] ?? [];
    if (part.length <= 1) {
      throw new NotificationTooLargeError(
        `the reminder for ${owner ?? 'the account'} about ${part[0]?.id ?? 'a finding'} exceeds ${maxBytes} bytes on its own`,
      );
    }
    const half = Math.ceil(part.length / 2);
    parts = [
      ...parts.slice(0, tooBig),
      part.slice(0, half),
      part.slice(half),
      ...parts.slice(tooBig + 1),
    ];
  }
  return parts.map((part, index) => digest(report, owner, part, index + 1, parts.length));
}

function digest(
  report: Report,
  owner: string | null,
  findings: readonly Finding[],
  index: number,
  count: number,
): OutgoingMessage {
  const worst = worstSeverity(findings);
  const first = findings[0];
  const account = describeAccount(report);
  const accountAttr = report.account.id ?? 'unknown';
  const id = stableId('r', accountAttr, owner, index, ...findings.map((f) => f.id));
  const partLabel = count > 1 ? ` (part ${index} of ${count})` : '';
  const counts = countBySeverity(findings);
  const subject = composeSubject(
    `${worst.toUpperCase()}: `,
    first ? displayText(first.title) : 'credential findings',
    `${findings.length > 1 ? ` (+${findings.length - 1} more)` : ''}${count > 1 ? ` [${index}/${count}]` : ''} - ${subjectAccount(report)}`,
  );
  const recipient = owner === null ? 'credentials without an owner' : displayText(owner);

  const email = joinLines([
    owner === null
      ? `Credential health reminder: credentials without an owner${partLabel}`
      : `Credential health reminder for ${recipient}${partLabel}`,
    ...wrapEmail('', '', `Account ${account}, evaluated ${formatDateTime(report.now)}.`),
    ...wrapEmail(
      '',
      '',
      `${plural(findings.length, 'finding')} (${counts}), the worst first; what to do is under each.`,
    ),
    '',
    ...findings.flatMap((finding, i) => [...findingLines(finding, i + 1), '']),
    '-- ',
    ...wrapEmail(
      '',
      '',
      owner === null
        ? 'Nobody owns these credentials: tag each user with credential-health:owner=<email> so the next reminder reaches the person who can act.'
        : `You get this because the users above name you as their owner (IAM tag credential-health:owner or the team default).`,
    ),
    ...wrapEmail(
      '',
      '',
      `Finding ids stay the same from run to run. Report generated ${formatDateTime(report.generatedAt)}.`,
    ),
  ]);

  const chatbot = chatbotNotification({
    id,
    title: `${severityIcon(worst)} Credential reminder: ${plural(findings.length, 'finding')} for ${recipient}${partLabel}`,
    description: [
      `*Account:* ${account}  *Evaluated:* ${formatDateTime(report.now)}`,
      ...findings.map(
        (f) =>
          `• *${SEVERITY_LABELS[f.severity]}* ${displayText(f.title)}${f.accessKey ? ` (\`${describeKeyShort(f)}\`)` : ''}`,
      ),
    ].join('\n'),
    nextSteps: [...new Set(findings.flatMap((f) => f.remediation.map(displayText)))],
    keywords: [worst, ...findings.map((f) => f.check), accountAttr],
    threadId: stableId('credhealth-reminders', accountAttr, owner),
    summary: `${plural(findings.length, 'credential finding')} for ${recipient}`,
    eventType: 'CredentialRotationReminder',
    relatedResources: [
      ...new Set(findings.flatMap((f) => (f.principal.arn === null ? [] : [f.principal.arn]))),
    ].slice(0, 5),
    additionalContext: {
      account: accountAttr,
      findings: String(findings.length),
      part: `${index}/${count}`,
    },
  });

  const payload: ReminderPayload = {
    schemaVersion: 1,
    type: 'credential-health.reminder',
    id,
    account: report.account,
    now: report.now,
    generatedAt: report.generatedAt,
    window: report.window,
    severity: worst,
    owner,
    subject,
    part: { index, count },
    findings,
  };
  return outgoingMessage({
    id,
    subject,
    attributes: {
      kind: 'reminder',
      severity: worst,
      owner: owner ?? 'unowned',
      account: accountAttr,
    },
    email,
    chatbot,
    payload,
  });
}

function findingLines(finding: Finding, n: number): string[] {
  const indent = '   ';
  const link = iamUserLink(finding.principal.type, finding.principal.name, finding.principal.arn);
  const controls = finding.controls.length > 0 ? ` (${finding.controls.join(', ')})` : '';
  return [
    ...wrapEmail(
      `${n}. `,
      indent,
      `[${finding.severity.toUpperCase()}] ${displayText(finding.title)}`,
    ),
    ...labelled(indent, 'User', describePrincipal(finding)),
    ...(finding.accessKey ? labelled(indent, 'Key', describeKey(finding.accessKey)) : []),
    ...(finding.detail.length > 0 ? labelled(indent, 'Why', displayText(finding.detail)) : []),
    ...(finding.remediation.length > 0
      ? [`${indent}Fix:`, ...list(indent, finding.remediation.map(displayText), true)]
      : []),
    // The URL stays whole on its line, even past the width, so mail clients can link it.
    `${indent}Open:  ${link.url}`,
    ...labelled(indent, 'Check', `${finding.check}${controls}, finding ${finding.id}`),
  ];
}

function describeKeyShort(finding: Finding): string {
  const key = finding.accessKey;
  if (!key) return '';
  return key.id === null ? `key ${key.slot}` : displayText(key.id);
}

/** The worst severity of the findings (`info` for none). */
function worstSeverity(items: readonly { readonly severity: Severity }[]): Severity {
  for (const severity of SEVERITIES)
    if (items.some((item) => item.severity === severity)) return severity;
  return 'info';
}

function countBySeverity(findings: readonly Finding[]): string {
  return SEVERITIES.flatMap((severity) => {
    const n = findings.filter((f) => f.severity === severity).length;
    return n > 0 ? [`${n} ${severity}`] : [];
  }).join(', ');
}

/** The emoji Chatbot shows before a title. */
export function severityIcon(severity: Severity): string {
  switch (severity) {
    case 'critical':
      return ':rotating_light:';
    case 'high':
      return ':red_circle:';
    case 'medium':
      return ':large_orange_circle:';
    case 'low':
      return ':large_yellow_circle:';
    case 'info':
      return ':information_source:';
  }
}
