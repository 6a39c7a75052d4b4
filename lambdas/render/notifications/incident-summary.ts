import type { Incident, Report } from '../../core/report.js';
import {
  describeAccount,
  describeErrorCodes,
  displayText,
  formatDateTime,
  INCIDENT_KIND_LABELS,
  plural,
  SEVERITY_LABELS,
} from '../format.js';
import { chatbotNotification } from './chatbot-notification.js';
import { type ConsoleLink, principalLink } from './console-links.js';
import { joinLines, labelled, list, wrapEmail } from './email-text.js';
import type { IncidentPayload } from './notification-payload.js';
import {
  messageSize,
  type OutgoingMessage,
  outgoingMessage,
  SNS_MAX_MESSAGE_BYTES,
} from './outgoing-message.js';
import { NotificationTooLargeError, severityIcon } from './reminder-digest.js';
import { composeSubject, subjectAccount } from './subject.js';

/** Lists longer than this are shortened in text, with a count of what was left out. */
const TEXT_LIST_LIMIT = 20;
/** Width of the fact labels in the mail (`User agents:`). */
const FACT_WIDTH = 13;
const MAX_LINKS = 5;
/** Lists of the JSON payload are shortened to this only when the message would exceed SNS's limit. */
const PAYLOAD_LIST_LIMIT = 100;

const LIST_FIELDS = [
  'accessKeyIds',
  'principals',
  'sourceIps',
  'userAgents',
  'eventSources',
  'logGroups',
] as const satisfies readonly (keyof Incident)[];

/**
 * One incident as a message. The JSON for code carries the whole incident; only when that would
 * exceed `maxBytes` are its lists shortened, and the payload's `omitted` says by how much.
 *
 * @throws NotificationTooLargeError when even the shortened incident does not fit.
 */
export function incidentMessage(
  report: Report,
  incident: Incident,
  maxBytes: number = SNS_MAX_MESSAGE_BYTES,
): OutgoingMessage {
  const full = build(report, incident, incident, undefined);
  if (messageSize(full) <= maxBytes) return full;
  const omitted: Record<string, number> = {};
  const shortened: Record<string, readonly string[]> = {};
  for (const field of LIST_FIELDS) {
    const values = incident[field];
    if (values.length > PAYLOAD_LIST_LIMIT) {
      omitted[field] = values.length - PAYLOAD_LIST_LIMIT;
      shortened[field] = values.slice(0, PAYLOAD_LIST_LIMIT);
    }
  }
  const message = build(report, incident, { ...incident, ...shortened }, omitted);
  if (messageSize(message) > maxBytes) {
    throw new NotificationTooLargeError(
      `incident ${incident.id} exceeds ${maxBytes} bytes even with its lists shortened`,
    );
  }
  return message;
}

/** Text for people from the whole incident (its lists are shortened in text anyway); JSON from `forPayload`. */
function build(
  report: Report,
  incident: Incident,
  forPayload: Incident,
  omitted: Record<string, number> | undefined,
): OutgoingMessage {
  const account = describeAccount(report);
  const accountAttr = report.account.id ?? 'unknown';
  const label = INCIDENT_KIND_LABELS[incident.kind];
  const subject = composeSubject(
    `${incident.severity.toUpperCase()}: `,
    displayText(incident.title),
    ` - ${subjectAccount(report)}`,
  );
  const when = `${formatDateTime(incident.firstSeen)} to ${formatDateTime(incident.lastSeen)}`;
  const facts: [string, readonly string[]][] = [
    ['Access keys', incident.accessKeyIds],
    ['Principals', incident.principals],
    ['Source IPs', incident.sourceIps],
    ['User agents', incident.userAgents],
    ['Event sources', incident.eventSources],
    ['Log groups', incident.logGroups],
  ];

  const links = uniqueLinks(incident.principals);
  const email = joinLines([
    ...wrapEmail('', '', `${SEVERITY_LABELS[incident.severity]} credential incident: ${label}`),
    ...wrapEmail('', '', `Account ${account}`),
    '',
    ...wrapEmail('', '', displayText(incident.title)),
    '',
    ...labelled('', 'Seen', `${plural(incident.count, 'time')}, ${when}`, FACT_WIDTH),
    ...labelled(
      '',
      'Errors',
      describeErrorCodes(incident.errorCodes) || 'none recorded',
      FACT_WIDTH,
    ),
    ...labelled('', 'Evidence', incident.evidence.join(', '), FACT_WIDTH),
    ...(incident.owner ? labelled('', 'Owner', displayText(incident.owner), FACT_WIDTH) : []),
    ...facts.flatMap(([name, values]) =>
      values.length > 0 ? labelled('', name, listText(values), FACT_WIDTH) : [],
    ),
    '',
    ...(incident.probableCauses.length > 0
      ? ['Probable cause:', ...list('', incident.probableCauses.map(displayText)), '']
      : []),
    ...(incident.remediation.length > 0
      ? ['What to do:', ...list('', incident.remediation.map(displayText), true), '']
      : []),
    // URLs stay whole on their own lines, even past the width, so mail clients can link them.
    ...(links.length > 0
      ? [
          'In the IAM console:',
          ...links.flatMap((link) => [`- ${link.label}:`, `  ${link.url}`]),
          '',
        ]
      : []),
    '-- ',
    ...wrapEmail(
      '',
      '',
      `Incident ${incident.id}: the same incident keeps this id from run to run. Report generated ${formatDateTime(report.generatedAt)}, evaluated at ${formatDateTime(report.now)}.`,
    ),
  ]);

  const chatbot = chatbotNotification({
    id: incident.id,
    title: `${severityIcon(incident.severity)} ${displayText(incident.title)}`,
    description: [
      `*${incident.count}* ${incident.count === 1 ? 'event' : 'events'} ${when} in ${account}`,
      `*Errors:* ${describeErrorCodes(incident.errorCodes) || 'none recorded'}`,
      ...facts.flatMap(([name, values]) =>
        values.length > 0
          ? [`*${name}:* ${listText(values, 5).replace(/([^,\s][^,]*)/g, '`$1`')}`]
          : [],
      ),
      ...(incident.probableCauses[0]
        ? [`_Probable cause: ${displayText(incident.probableCauses[0])}_`]
        : []),
    ].join('\n'),
    nextSteps: incident.remediation.map(displayText),
    keywords: [incident.severity, incident.kind, ...Object.keys(incident.errorCodes), accountAttr],
    // Escalations of the same incident keep its id, so they land in the same chat thread.
    threadId: `credhealth-${incident.id}`,
    summary: `${label}: ${plural(incident.count, 'event')}`,
    eventType: 'CredentialHealthIncident',
    relatedResources: incident.principals.filter((p) => p.startsWith('arn:')).slice(0, 5),
    additionalContext: {
      kind: incident.kind,
      count: String(incident.count),
      account: accountAttr,
    },
  });

  const payload: IncidentPayload = {
    schemaVersion: 1,
    type: 'credential-health.incident',
    id: incident.id,
    account: report.account,
    now: report.now,
    generatedAt: report.generatedAt,
    window: report.window,
    severity: incident.severity,
    owner: incident.owner,
    subject,
    incident: forPayload,
    ...(omitted && Object.keys(omitted).length > 0 ? { omitted } : {}),
  };
  return outgoingMessage({
    id: incident.id,
    subject,
    attributes: {
      kind: 'incident',
      severity: incident.severity,
      owner: incident.owner ?? 'unowned',
      account: accountAttr,
    },
    email,
    chatbot,
    payload,
  });
}

/** Console pages of the incident's principals, once each, at most five. */
function uniqueLinks(principals: readonly string[]): ConsoleLink[] {
  const seen = new Map<string, ConsoleLink>();
  for (const principal of principals) {
    const link = principalLink(principal);
    if (link !== null && !seen.has(link.url)) seen.set(link.url, link);
  }
  return [...seen.values()].slice(0, MAX_LINKS);
}

/** `a, b, c and 17 more`: the count of what is left out is always said. */
function listText(values: readonly string[], limit = TEXT_LIST_LIMIT): string {
  const shown = values.slice(0, limit).map(displayText).join(', ');
  return values.length > limit ? `${shown} and ${values.length - limit} more` : shown;
}
