import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../../lambdas/core/report.js';
import { buildNotifications } from '../../../lambdas/render/notifications/build-notifications.js';
import type { ChatbotNotification } from '../../../lambdas/render/notifications/chatbot-notification.js';
import { incidentMessage } from '../../../lambdas/render/notifications/incident-summary.js';
import type { NotificationPayload } from '../../../lambdas/render/notifications/notification-payload.js';
import {
  emailSubject,
  messageSize,
} from '../../../lambdas/render/notifications/outgoing-message.js';
import {
  NotificationTooLargeError,
  reminderDigests,
} from '../../../lambdas/render/notifications/reminder-digest.js';

const report = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', 'fixtures', 'reports', 'sample-report.json'),
    'utf8',
  ),
) as Report;
const FULL_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;

describe('buildNotifications', () => {
  it('makes one message per incident, worst first, then one digest per owner and one for unowned findings', () => {
    // Act
    const messages = buildNotifications(report);

    // Assess
    const incidents = messages.filter((m) => m.attributes.kind === 'incident');
    const reminders = messages.filter((m) => m.attributes.kind === 'reminder');
    expect(incidents).toHaveLength(report.incidents.length);
    expect(incidents[0]?.attributes.severity).toBe('critical');
    const owners = [...new Set(report.findings.map((f) => f.owner ?? 'unowned'))].sort();
    expect(reminders.map((m) => m.attributes.owner).sort()).toEqual(owners);
    expect(reminders.at(-1)?.attributes.owner).toBe('unowned');
  });

  it('gives every protocol its own body and a default', () => {
    const [first] = buildNotifications(report);

    expect(Object.keys(first?.bodies ?? {}).sort()).toEqual([
      'default',
      'email',
      'https',
      'lambda',
      'sqs',
    ]);
    expect(first?.bodies.lambda).toBe(first?.bodies.sqs);
    expect((JSON.parse(first?.bodies.sqs ?? '{}') as NotificationPayload).schemaVersion).toBe(1);
  });

  it('writes subjects SNS accepts: printable ASCII, 100 characters at most, severity first', () => {
    for (const message of buildNotifications(report)) {
      expect(message.subject.length).toBeLessThanOrEqual(100);
      expect(message.subject).toMatch(/^[\x20-\x7e]+$/);
      expect(message.subject.startsWith(`${message.attributes.severity.toUpperCase()}: `)).toBe(
        true,
      );
    }
  });

  it('never shows a full key id in text meant for people', () => {
    for (const message of buildNotifications(report)) {
      expect(message.subject).not.toMatch(FULL_KEY_ID);
      expect(message.bodies.email).not.toMatch(FULL_KEY_ID);
      expect(message.bodies.https).not.toMatch(FULL_KEY_ID);
    }
  });

  it('builds AWS Chatbot custom notifications for https', () => {
    const messages = buildNotifications(report);
    const incident = report.incidents[0];
    const chat = JSON.parse(messages[0]?.bodies.https ?? '{}') as ChatbotNotification;

    expect(chat.version).toBe('1.0');
    expect(chat.source).toBe('custom');
    expect(chat.content.textType).toBe('client-markdown');
    expect(chat.content.description.length).toBeGreaterThan(0);
    expect(chat.content.nextSteps?.length).toBeGreaterThan(0);
    expect(chat.content.keywords).toContain(incident?.kind);
    expect(chat.metadata?.threadId).toBe(`credhealth-${incident?.id}`);
  });

  it('leaves out reminders or incidents on request, and findings under the minimum severity', () => {
    const remindersOnly = buildNotifications(report, {
      incidents: false,
      minFindingSeverity: 'high',
    });

    expect(remindersOnly.every((m) => m.attributes.kind === 'reminder')).toBe(true);
    const payloads = remindersOnly.map((m) => JSON.parse(m.bodies.sqs) as NotificationPayload);
    const findings = payloads.flatMap((p) =>
      p.type === 'credential-health.reminder' ? p.findings : [],
    );
    expect(findings.every((f) => f.severity === 'critical' || f.severity === 'high')).toBe(true);
    expect(findings).toHaveLength(
      report.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length,
    );
  });

  it('orders owners by code unit, not by the machine locale', () => {
    // Prepare: in most locales "alpha" sorts before "Zeta"; in code-unit order it is after.
    const [first] = report.findings;
    if (first === undefined) throw new Error('the sample report has findings');
    const owned = (owner: string, name: string): Finding => ({
      ...first,
      id: `${first.id}-${name}`,
      owner,
      principal: { ...first.principal, name },
    });
    const mixed: Report = {
      ...report,
      incidents: [],
      findings: [owned('alpha', 'b-user'), owned('Zeta', 'a-user'), owned('Zeta', 'B-user')],
    };

    // Act
    const messages = buildNotifications(mixed);

    // Assess
    expect(messages.map((m) => m.attributes.owner)).toEqual(['Zeta', 'alpha']);
    const zeta = JSON.parse(messages[0]?.bodies.lambda ?? '{}') as {
      findings: { principal: { name: string } }[];
    };
    expect(zeta.findings.map((f) => f.principal.name)).toEqual(['B-user', 'a-user']);
  });

  it('gives the same message ids for the same report', () => {
    expect(buildNotifications(report).map((m) => m.id)).toEqual(
      buildNotifications(report).map((m) => m.id),
    );
  });
});

describe('reminder digests over the size limit', () => {
  const many: Finding[] = Array.from({ length: 40 }, (_, i) => ({
    ...(report.findings[1] as Finding),
    id: `f-${String(i).padStart(16, '0')}`,
    owner: 'platform@example.com',
    detail: 'd'.repeat(1_500),
  }));

  it('splits into numbered parts that each fit, losing no finding', () => {
    const maxBytes = 40_000;

    const parts = reminderDigests(report, 'platform@example.com', many, maxBytes);

    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(messageSize(part)).toBeLessThanOrEqual(maxBytes);
    const payloads = parts.map((p) => JSON.parse(p.bodies.sqs) as NotificationPayload);
    const ids = payloads.flatMap((p) =>
      p.type === 'credential-health.reminder' ? p.findings.map((f) => f.id) : [],
    );
    expect(ids).toEqual(many.map((f) => f.id));
    expect(payloads.map((p) => (p.type === 'credential-health.reminder' ? p.part : null))).toEqual(
      parts.map((_, i) => ({ index: i + 1, count: parts.length })),
    );
    expect(parts[1]?.subject).toContain(`[2/${parts.length}]`);
  });

  it('fits in one message when it can', () => {
    expect(reminderDigests(report, 'platform@example.com', many.slice(0, 2))).toHaveLength(1);
  });

  it('refuses, rather than cuts, a finding that cannot fit on its own', () => {
    expect(() => reminderDigests(report, 'platform@example.com', many.slice(0, 1), 2_000)).toThrow(
      NotificationTooLargeError,
    );
  });
});

describe('incident summaries over the size limit', () => {
  it('shortens the lists of the JSON payload and says by how much', () => {
    const base = report.incidents[0];
    if (!base) throw new Error('fixture has no incident');
    const sourceIps = Array.from(
      { length: 5_000 },
      (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`,
    );

    const message = incidentMessage(report, { ...base, sourceIps }, 60_000);

    const payload = JSON.parse(message.bodies.sqs) as NotificationPayload;
    expect(payload.type === 'credential-health.incident' ? payload.omitted : null).toEqual({
      sourceIps: 4_900,
    });
    expect(message.bodies.email).toContain('and 4980 more');
    expect(messageSize(message)).toBeLessThanOrEqual(60_000);
  });
});

describe('emailSubject', () => {
  it('replaces what SNS refuses and ends a long subject in an ellipsis', () => {
    expect(emailSubject('HIGH: key AKIA…MPLE\nis old')).toBe('HIGH: key AKIA...MPLE is old');
    expect(emailSubject('x'.repeat(150))).toBe(`${'x'.repeat(97)}...`);
  });
});
