import { compareText } from '../../core/compare-text.js';
import type { Finding, Report, Severity } from '../../core/report.js';
import { severityRank } from '../../core/report-builder.js';
import { incidentMessage } from './incident-summary.js';
import { type OutgoingMessage, SNS_MAX_MESSAGE_BYTES } from './outgoing-message.js';
import { reminderDigests } from './reminder-digest.js';

export interface NotificationOptions {
  /** Findings below this severity get no reminder. @default 'low' */
  readonly minFindingSeverity?: Severity;
  /** Incidents below this severity are not announced. @default 'low' */
  readonly minIncidentSeverity?: Severity;
  /** Leave out incidents (key-scan sends reminders only) or findings (trail-watch). */
  readonly incidents?: boolean;
  readonly reminders?: boolean;
  /** @default SNS_MAX_MESSAGE_BYTES */
  readonly maxBytes?: number;
}

/**
 * What a report sends: one summary per incident (worst first), then one reminder digest per
 * owner (not one message per key), and one account digest for the findings nobody owns.
 * Pure: the SNS publisher sends what this returns.
 *
 * @example
 * const messages = buildNotifications(report);
 * await publishMessages(sns, topicArn, messages);
 */
export function buildNotifications(
  report: Report,
  options: NotificationOptions = {},
): OutgoingMessage[] {
  const maxBytes = options.maxBytes ?? SNS_MAX_MESSAGE_BYTES;
  const messages: OutgoingMessage[] = [];
  if (options.incidents !== false) {
    const incidents = report.incidents
      .filter((incident) => atLeast(incident.severity, options.minIncidentSeverity ?? 'low'))
      .sort(
        (a, b) => severityRank(a.severity) - severityRank(b.severity) || compareText(a.id, b.id),
      );
    for (const incident of incidents) messages.push(incidentMessage(report, incident, maxBytes));
  }
  if (options.reminders !== false) {
    const byOwner = new Map<string | null, Finding[]>();
    for (const finding of report.findings) {
      if (!atLeast(finding.severity, options.minFindingSeverity ?? 'low')) continue;
      const list = byOwner.get(finding.owner) ?? [];
      list.push(finding);
      byOwner.set(finding.owner, list);
    }
    const owners = [...byOwner.keys()].sort((a, b) =>
      a === null ? 1 : b === null ? -1 : compareText(a, b),
    );
    for (const owner of owners) {
      const findings = (byOwner.get(owner) ?? []).sort(
        (a, b) =>
          severityRank(a.severity) - severityRank(b.severity) ||
          compareText(a.principal.name, b.principal.name),
      );
      messages.push(...reminderDigests(report, owner, findings, maxBytes));
    }
  }
  return messages;
}

function atLeast(severity: Severity, minimum: Severity): boolean {
  return severityRank(severity) <= severityRank(minimum);
}
