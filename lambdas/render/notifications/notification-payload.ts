import type { Finding, Incident, Report, Severity } from '../../core/report.js';

/**
 * The JSON sent to Lambda and SQS subscribers (the `slack-notify` function reads it): the
 * report's own objects, so code downstream needs no parsing of text.
 */
interface PayloadBase {
  readonly schemaVersion: 1;
  readonly id: string;
  readonly account: Report['account'];
  readonly now: string;
  readonly generatedAt: string;
  /** The report's incident window, so a chat message can say what span it covers. */
  readonly window?: Report['window'];
  readonly severity: Severity;
  /** null for the account digest (findings nobody owns). */
  readonly owner: string | null;
  readonly subject: string;
}

/** A digest of one owner's findings; split into parts only when it would exceed SNS's limit. */
export interface ReminderPayload extends PayloadBase {
  readonly type: 'credential-health.reminder';
  readonly part: { readonly index: number; readonly count: number };
  readonly findings: readonly Finding[];
}

/** One incident. `omitted` counts list entries left out to stay under SNS's limit. */
export interface IncidentPayload extends PayloadBase {
  readonly type: 'credential-health.incident';
  readonly incident: Incident;
  readonly omitted?: Readonly<Record<string, number>>;
}

export type NotificationPayload = ReminderPayload | IncidentPayload;
