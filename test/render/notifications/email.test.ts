import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../lambdas/core/report.js';
import { SEVERITIES } from '../../../lambdas/core/report.js';
import { buildNotifications } from '../../../lambdas/render/notifications/build-notifications.js';
import { iamUserLink, principalLink } from '../../../lambdas/render/notifications/console-links.js';
import { EMAIL_WIDTH, wrapEmail } from '../../../lambdas/render/notifications/email-text.js';
import type { OutgoingMessage } from '../../../lambdas/render/notifications/outgoing-message.js';
import { demoReport } from '../../../scripts/update-golden.js';

/** A line may pass the width only to keep a link or an ARN whole, after a short label. */
function overlong(body: string): string[] {
  return body.split('\n').filter((line) => {
    if (line.length <= EMAIL_WIDTH) return false;
    const words = line.trim().split(' ');
    const last = words[words.length - 1] ?? '';
    const lead = line.slice(0, line.length - last.length);
    return !(/^(?:https:\/\/|arn:)/.test(last) && lead.length <= 20);
  });
}

describe('email of the demo account', () => {
  let report: Report;
  let messages: OutgoingMessage[];

  beforeAll(async () => {
    report = await demoReport();
    messages = buildNotifications(report);
  });

  it('keeps every line to 78 characters, except a link or an ARN that cannot break', () => {
    for (const message of messages) expect(overlong(message.bodies.email), message.id).toEqual([]);
  });

  it('writes subjects of at most 100 characters that start with the worst severity and end with the account', () => {
    for (const message of messages) {
      expect(message.subject.length).toBeLessThanOrEqual(100);
      expect(message.subject.startsWith(`${message.attributes.severity.toUpperCase()}: `)).toBe(
        true,
      );
      expect(message.subject.endsWith(' - example-corp-prod')).toBe(true);
    }
  });

  it('sends one digest per owner, addressed by the owner attribute, not one mail per key', () => {
    // Act
    const reminders = messages.filter((m) => m.attributes.kind === 'reminder');
    const owners = new Set(report.findings.map((f) => f.owner ?? 'unowned'));

    // Assess
    expect(reminders.map((m) => m.attributes.owner).sort()).toEqual([...owners].sort());
    expect(reminders.length).toBeLessThan(report.findings.length);
    for (const reminder of reminders) {
      const mine = report.findings.filter(
        (f) => (f.owner ?? 'unowned') === reminder.attributes.owner,
      );
      const worst = SEVERITIES.find((s) => mine.some((f) => f.severity === s));
      expect(reminder.attributes.severity).toBe(worst);
    }
  });

  it('puts the fix and a link to the user in the IAM console under every finding', () => {
    for (const message of messages.filter((m) => m.attributes.kind === 'reminder')) {
      const payload = JSON.parse(message.bodies.lambda) as {
        findings: {
          principal: { type: 'Root' | 'IAMUser'; name: string };
          remediation: string[];
        }[];
      };
      const items = message.bodies.email.split(/\n(?=\d+\. \[)/).slice(1);
      expect(items).toHaveLength(payload.findings.length);
      payload.findings.forEach((finding, index) => {
        const item = items[index] ?? '';
        expect(item).toContain('   Fix:\n   1. ');
        expect(item).toContain(iamUserLink(finding.principal.type, finding.principal.name).url);
      });
    }
  });

  it('tells a digest nobody owns how to give its users an owner', () => {
    // Act
    const unowned = messages.find(
      (m) => m.attributes.kind === 'reminder' && m.attributes.owner === 'unowned',
    );

    // Assess
    expect(unowned?.bodies.email).toContain(
      'Credential health reminder: credentials without an owner',
    );
    expect(unowned?.bodies.email.replace(/\s+/g, ' ')).toContain(
      'tag each user with credential-health:owner=<email>',
    );
  });

  it('links an incident to the IAM page of the user whose key failed', () => {
    // Act
    const email =
      messages.find((m) => m.subject.startsWith('HIGH: Deactivated key AKIA...KJDP'))?.bodies
        .email ?? '';

    // Assess
    expect(email).toContain('What to do:\n1. ');
    expect(email).toContain(
      '- IAM user crm-export:\n  https://console.aws.amazon.com/iam/home#/users/details/crm-export?section=security_credentials',
    );
  });

  it('shows no full key id in any mail or subject', () => {
    for (const message of messages) {
      expect(message.bodies.email).not.toMatch(/\bA[KS]IA[A-Z0-9]{16}\b/);
      expect(message.subject).not.toMatch(/\bA[KS]IA[A-Z0-9]{16}\b/);
    }
  });
});

describe('wrapEmail', () => {
  it('keeps a line of exactly 78 characters and wraps one of 79 under a hanging indent', () => {
    // Prepare
    const exact = `${'a'.repeat(38)} ${'b'.repeat(36)}`;

    // Act
    const kept = wrapEmail('1. ', '   ', exact);
    const wrapped = wrapEmail('1. ', '   ', `${exact}b`);

    // Assess
    expect(kept).toEqual([`1. ${exact}`]);
    expect(kept[0]).toHaveLength(78);
    expect(wrapped).toEqual([`1. ${'a'.repeat(38)}`, `   ${'b'.repeat(37)}`]);
  });
});

describe('IAM console links', () => {
  it.each([
    [
      'arn:aws:iam::111122223333:user/service/crm-export',
      'IAM user crm-export',
      'https://console.aws.amazon.com/iam/home#/users/details/crm-export?section=security_credentials',
    ],
    [
      'arn:aws:iam::111122223333:root',
      'root user',
      'https://console.aws.amazon.com/iam/home#/security_credentials',
    ],
    [
      'arn:aws:sts::111122223333:assumed-role/deploy/ci-42',
      'IAM role deploy',
      'https://console.aws.amazon.com/iam/home#/roles/details/deploy',
    ],
    [
      'arn:aws:iam::111122223333:role/service-role/etl',
      'IAM role etl',
      'https://console.aws.amazon.com/iam/home#/roles/details/etl',
    ],
    [
      'arn:aws-us-gov:iam::111122223333:user/a+b@c',
      'IAM user a+b@c',
      'https://console.amazonaws-us-gov.com/iam/home#/users/details/a%2Bb%40c?section=security_credentials',
    ],
  ])('links %s', (arn, label, url) => {
    expect(principalLink(arn)).toEqual({ label, url });
  });

  it.each([
    ['AWS Internal'],
    ['ANONYMOUS_PRINCIPAL'],
    ['arn:aws:sts::111122223333:federated-user/bob'],
    ['arn:aws:s3:::bucket'],
  ])('has no link for %s', (principal) => {
    expect(principalLink(principal)).toBeNull();
  });

  it('links root and users of the findings', () => {
    expect(iamUserLink('Root', '<root_account>').url).toBe(
      'https://console.aws.amazon.com/iam/home#/security_credentials',
    );
    expect(iamUserLink('IAMUser', 'ci bot').url).toBe(
      'https://console.aws.amazon.com/iam/home#/users/details/ci%20bot?section=security_credentials',
    );
  });
});
