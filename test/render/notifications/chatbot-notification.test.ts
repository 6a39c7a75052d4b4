import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../lambdas/core/report.js';
import { buildNotifications } from '../../../lambdas/render/notifications/build-notifications.js';
import {
  CHATBOT_LIMITS,
  CHATBOT_NOTIFICATION_SCHEMA,
  chatbotNotification,
} from '../../../lambdas/render/notifications/chatbot-notification.js';
import type { OutgoingMessage } from '../../../lambdas/render/notifications/outgoing-message.js';
import { demoReport } from '../../../scripts/update-golden.js';

const PARTS = {
  id: 'i-1',
  title: ':red_circle: Deactivated key still in use',
  description: '*7* events',
  nextSteps: ['Give the caller the new key.'],
  keywords: ['high', 'revoked-key-in-use'],
  threadId: 'credhealth-i-1',
  summary: 'Revoked key still in use: 7 events',
  eventType: 'CredentialHealthIncident',
};

describe('the AWS Chatbot custom notification schema', () => {
  it('accepts the documented example', () => {
    // Prepare: the example of the AWS documentation (custom-notifs.html), as recorded in research.
    const example = {
      version: '1.0',
      source: 'custom',
      id: 'c-incident-2026-11-23-001',
      content: {
        textType: 'client-markdown',
        title: ':rotating_light: Expired STS credentials in prod Lambda `orders-sync`',
        description: '*42* `ExpiredTokenException` errors 13:05–13:20 UTC',
        nextSteps: ['Check credential refresh in orders-sync'],
        keywords: ['ExpiredToken', 'orders-sync', 'prod'],
      },
      metadata: {
        threadId: 'cred-orders-sync-123456789012',
        summary: 'ExpiredToken in orders-sync',
        eventType: 'CredentialFailure',
        relatedResources: ['arn:aws:lambda:eu-west-1:123456789012:function:orders-sync'],
        additionalContext: { errorCode: 'ExpiredTokenException', count: '42' },
      },
    };

    // Act
    const result = CHATBOT_NOTIFICATION_SCHEMA.safeParse(example);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['a version other than 1.0', { version: '2.0' }],
    ['a source other than custom', { source: 'aws.health' }],
    ['no description', { content: { title: 'x' } }],
    [
      'a text type other than client-markdown',
      { content: { description: 'x', textType: 'markdown' } },
    ],
    ['a number where a string belongs', { content: { description: 'x', keywords: [1] } }],
    ['a field Chatbot does not know', { content: { description: 'x', body: 'y' } }],
    ['a description longer than a chat post', { content: { description: 'x'.repeat(2_001) } }],
    [
      'a thread id that is not a string',
      { content: { description: 'x' }, metadata: { threadId: 7 } },
    ],
  ])('refuses %s', (_name, patch) => {
    // Prepare
    const notification = {
      version: '1.0',
      source: 'custom',
      content: { description: 'ok' },
      ...patch,
    };

    // Act
    const result = CHATBOT_NOTIFICATION_SCHEMA.safeParse(notification);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('chatbotNotification', () => {
  it('builds a notification the schema accepts, threaded by its thread id', () => {
    // Act
    const notification = chatbotNotification(PARTS);

    // Assess
    expect(CHATBOT_NOTIFICATION_SCHEMA.parse(notification)).toEqual(notification);
    expect(notification.metadata?.threadId).toBe('credhealth-i-1');
    expect(notification.content.textType).toBe('client-markdown');
  });

  it('shortens a long description at a line and says how many lines were left out', () => {
    // Prepare
    const lines = Array.from({ length: 100 }, (_, n) => `line ${n} ${'x'.repeat(40)}`);

    // Act
    const notification = chatbotNotification({ ...PARTS, description: lines.join('\n') });
    const description = notification.content.description;

    // Assess
    expect(description.length).toBeLessThanOrEqual(CHATBOT_LIMITS.description);
    expect(description).toMatch(/_…and \d+ more lines: see the email or the JSON report\._$/);
    const kept = description.split('\n').length - 1;
    expect(description).toContain(`…and ${100 - kept} more lines`);
    expect(CHATBOT_NOTIFICATION_SCHEMA.safeParse(notification).success).toBe(true);
  });

  it('keeps a description exactly at the limit whole', () => {
    // Prepare: one line just under the cut-off.
    const description = 'y'.repeat(CHATBOT_LIMITS.description - 80);

    // Act
    const notification = chatbotNotification({ ...PARTS, description });

    const longer = chatbotNotification({ ...PARTS, description: `${description}y` });

    // Assess
    expect(notification.content.description).toBe(description);
    expect(longer.content.description).toBe(`${description.slice(0, -1)}…`);
  });

  it('keeps at most five next steps and ten distinct keywords, each within its length', () => {
    // Act
    const notification = chatbotNotification({
      ...PARTS,
      title: 't'.repeat(400),
      nextSteps: Array.from({ length: 8 }, (_, n) => `${n} ${'s'.repeat(700)}`),
      keywords: [...Array.from({ length: 12 }, (_, n) => `k${n}`), 'k1', ''],
    });

    // Assess
    expect(notification.content.nextSteps).toHaveLength(5);
    expect(notification.content.keywords).toHaveLength(10);
    expect(new Set(notification.content.keywords).size).toBe(10);
    expect(CHATBOT_NOTIFICATION_SCHEMA.safeParse(notification).success).toBe(true);
  });
});

describe('Chatbot bodies of the demo account', () => {
  let report: Report;
  let messages: OutgoingMessage[];

  beforeAll(async () => {
    report = await demoReport();
    messages = buildNotifications(report);
  });

  it('puts a schema-valid custom notification in the https body of every message', () => {
    expect(messages.length).toBeGreaterThan(10);
    for (const message of messages) {
      const result = CHATBOT_NOTIFICATION_SCHEMA.safeParse(JSON.parse(message.bodies.https));
      expect(result.success, `${message.id}: ${result.error?.message ?? ''}`).toBe(true);
    }
  });

  it('threads each incident by its id, so an escalation lands under the first post', () => {
    // Act
    const threads = messages
      .filter((m) => m.attributes.kind === 'incident')
      .map((m) => CHATBOT_NOTIFICATION_SCHEMA.parse(JSON.parse(m.bodies.https)).metadata?.threadId);

    // Assess
    expect(new Set(threads)).toEqual(new Set(report.incidents.map((i) => `credhealth-${i.id}`)));
    expect(threads).toHaveLength(report.incidents.length);
  });

  it('names the fix and the account, and never a full key id', () => {
    for (const message of messages) {
      const notification = CHATBOT_NOTIFICATION_SCHEMA.parse(JSON.parse(message.bodies.https));
      expect(notification.content.nextSteps?.length, message.id).toBeGreaterThan(0);
      expect(message.bodies.https).not.toMatch(/\bA[KS]IA[A-Z0-9]{16}\b/);
      expect(notification.content.keywords).toContain('111122223333');
    }
  });
});
