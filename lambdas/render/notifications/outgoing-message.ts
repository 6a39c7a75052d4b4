import type { Severity } from '../../core/report.js';
import type { ChatbotNotification } from './chatbot-notification.js';
import type { NotificationPayload } from './notification-payload.js';

/**
 * A message ready for SNS, built from a report without any AWS call: the per-protocol bodies
 * (`MessageStructure: 'json'`), the email subject and the attributes subscriptions filter on.
 */

/** What a message is about; also the `kind` message attribute. */
export type NotificationKind = 'incident' | 'reminder';

/** The message attributes every message carries, so subscriptions can filter (filter policies). */
export interface NotificationAttributes {
  readonly kind: NotificationKind;
  /** The worst severity in the message. */
  readonly severity: Severity;
  /** The owner's address, or `unowned` for the account digest (SNS refuses empty values). */
  readonly owner: string;
  /** The account id, or `unknown`. */
  readonly account: string;
}

/**
 * The `MessageStructure: 'json'` body: one string per protocol. `https` is where AWS Chatbot
 * (Amazon Q Developer in chat applications) subscribes; `lambda` and `sqs` get JSON for code;
 * every other protocol gets `default`.
 */
export interface ProtocolBodies {
  readonly default: string;
  readonly email: string;
  readonly https: string;
  readonly lambda: string;
  readonly sqs: string;
}

export interface OutgoingMessage {
  /** Deterministic: the same findings or incident give the same id, for deduplication. */
  readonly id: string;
  /** SNS Subject for email: printable ASCII, at most 100 characters, worst thing first. */
  readonly subject: string;
  readonly attributes: NotificationAttributes;
  readonly bodies: ProtocolBodies;
}

/** What a message is assembled from: the texts for people and the payload for code. */
export interface MessageParts {
  readonly id: string;
  readonly subject: string;
  readonly attributes: NotificationAttributes;
  /** The e-mail text; also the body of every protocol without its own, after the subject. */
  readonly email: string;
  /** The AWS Chatbot custom notification, sent to `https` subscriptions. */
  readonly chatbot: ChatbotNotification;
  /** The JSON for code, sent to `lambda` and `sqs` subscriptions. */
  readonly payload: NotificationPayload;
}

/**
 * A message with one body per protocol, so incident summaries and reminders reach every kind
 * of subscription the same way.
 *
 * @example outgoingMessage({ id, subject, attributes, email, chatbot, payload }).bodies.sqs
 */
export function outgoingMessage(parts: MessageParts): OutgoingMessage {
  const json = JSON.stringify(parts.payload);
  return {
    id: parts.id,
    subject: parts.subject,
    attributes: parts.attributes,
    bodies: {
      default: `${parts.subject}\n\n${parts.email}`,
      email: parts.email,
      https: JSON.stringify(parts.chatbot),
      lambda: json,
      sqs: json,
    },
  };
}

/**
 * SNS's limit for one message: 256 KiB, counting the body and every attribute's name, type
 * and value.
 */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** SNS `Subject`'s limit. */
export const SNS_MAX_SUBJECT_LENGTH = 100;

/** The `Message` string sent with `MessageStructure: 'json'`. */
export function messageBody(message: OutgoingMessage): string {
  return JSON.stringify(message.bodies);
}

/** Bytes SNS counts for a message: body, subject, and attribute names, types and values. */
export function messageSize(message: OutgoingMessage): number {
  let size =
    Buffer.byteLength(messageBody(message), 'utf8') + Buffer.byteLength(message.subject, 'utf8');
  for (const [name, value] of Object.entries(message.attributes)) {
    size +=
      Buffer.byteLength(name, 'utf8') +
      Buffer.byteLength('String', 'utf8') +
      Buffer.byteLength(value, 'utf8');
  }
  return size;
}

/**
 * A subject SNS accepts: printable ASCII only (no line breaks), at most 100 characters; a
 * longer one ends in `...` (the body has everything).
 *
 * @example emailSubject('HIGH: key AKIA…MPLE is 130 days old') // 'HIGH: key AKIA...MPLE is 130 days old'
 */
export function emailSubject(text: string): string {
  const ascii = text
    .replace(/\s+/g, ' ')
    .replace(/…/g, '...')
    .replace(/[–—]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  const subject =
    ascii.length > SNS_MAX_SUBJECT_LENGTH
      ? `${ascii.slice(0, SNS_MAX_SUBJECT_LENGTH - 3)}...`
      : ascii;
  // SNS wants the subject to begin with a letter, number or punctuation mark.
  return subject === '' ? 'credential-health' : subject;
}
