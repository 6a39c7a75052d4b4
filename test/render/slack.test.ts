import type { KnownBlock, SectionBlock } from '@slack/types';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../lambdas/core/report.js';
import { buildNotifications } from '../../lambdas/render/notifications/build-notifications.js';
import {
  buildSlackMessage,
  parseNotificationPayload,
  SLACK_LIMITS,
  type SlackMessage,
  slackMessage,
  slackReportMessage,
} from '../../lambdas/render/slack.js';
import { demoReport } from '../../scripts/update-golden.js';
import { emptyReport, sampleReport, withData } from './sample-report.js';

const FULL_KEY_ID = /\bA[KS]IA[A-Z0-9]{16}\b/;

/** Every limit of Slack's Block Kit this message must stay inside. */
function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(SLACK_LIMITS.blocksJson);
  expect(message.text.length).toBeGreaterThan(0);
  for (const block of message.blocks) {
    if (block.type === 'header') {
      expect(block.text.type).toBe('plain_text');
      expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    }
    if (block.type === 'section') {
      expect((block.text?.text ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      const accessory = block.accessory;
      if (accessory?.type === 'button') {
        expect(accessory.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
        expect(accessory.url).toMatch(/^https:\/\/console\.aws\.amazon\.com\/iam\/home#\//);
      }
    }
  }
  const actionIds = message.blocks.flatMap((b) =>
    b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory.action_id] : [],
  );
  expect(new Set(actionIds).size).toBe(actionIds.length);
}

function sections(blocks: readonly KnownBlock[]): SectionBlock[] {
  return blocks.filter((b): b is SectionBlock => b.type === 'section');
}

describe('the Slack message of the demo account (the CLI posts it for the whole report)', () => {
  let report: Report;
  let message: SlackMessage;

  beforeAll(async () => {
    report = await demoReport();
    message = slackReportMessage(report);
  });

  it('stays inside Slack limits', () => {
    expectWithinSlackLimits(message);
  });

  it('opens with the worst item, the account and window, and counts by severity', () => {
    // Act
    const [header, context, counts, divider] = message.blocks;

    // Assess
    expect(header).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'CRITICAL: Root access key AKIA…MPLE used: 3 calls (+33 more)',
        emoji: true,
      },
    });
    expect(JSON.stringify(context)).toContain(
      '*Account:* 111122223333 (example-corp-prod)  ·  *Window:* 2026-11-19 12:00 UTC → 2026-11-20 12:00 UTC',
    );
    expect(counts).toMatchObject({ type: 'section' });
    const fields = (counts as SectionBlock).fields?.map((f) => f.text) ?? [];
    expect(fields).toEqual([
      ':rotating_light: *Critical*\n2 findings, 2 incidents',
      ':red_circle: *High*\n3 findings, 2 incidents',
      ':large_orange_circle: *Medium*\n8 findings, 9 incidents',
      ':large_yellow_circle: *Low*\n7 findings, 1 incident',
    ]);
    expect(divider).toEqual({ type: 'divider' });
    expect(message.text).toBe(
      ':rotating_light: CRITICAL: Root access key AKIA…MPLE used: 3 calls (+33 more) - example-corp-prod',
    );
  });

  it('lists the worst items with who, key, age, last use, the fix and an IAM button, then says how many more', () => {
    // Act
    const items = sections(message.blocks).slice(1);
    const frank = items.find((s) => s.text?.text.includes('frank.li'));
    const root = items.find((s) => s.text?.text.includes('The root user has an active access key'));
    const more = message.blocks.at(-1);

    // Assess
    // As many as fit Slack's size budget, at most 15; the rest are counted, never dropped.
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(items.length).toBeLessThanOrEqual(15);
    expect(items[0]?.text?.text).toMatch(/^:rotating_light: \*Critical\* · \*Root access key/);
    expect(JSON.stringify(more)).toContain(`…and ${34 - items.length} more (`);
    expect(frank?.text?.text).toContain('*Who:* `frank.li` · owner frank@example.com');
    expect(frank?.text?.text).toContain('*What to do:* Have frank.li assign an MFA device');
    expect(frank?.accessory).toEqual({
      type: 'button',
      text: { type: 'plain_text', text: 'Open IAM user frank.li in IAM', emoji: false },
      url: 'https://console.aws.amazon.com/iam/home#/users/details/frank.li?section=security_credentials',
      action_id: expect.stringMatching(/^open-iam-\d+$/),
    });
    expect(root?.text?.text).toContain(
      '*Key:* `key 1` (key 1, Active) · 2788 days old · last used 2026-11-20 in us-east-1 (s3)',
    );
    expect(root?.accessory).toMatchObject({
      url: 'https://console.aws.amazon.com/iam/home#/security_credentials',
    });
  });

  it('shows incidents with when, how long ago, from where and with what', () => {
    // Act
    const crm = sections(message.blocks).find((s) => s.text?.text.includes('crm-export'));

    // Assess
    expect(crm?.text?.text).toContain(
      '*Seen:* 7 times, 2026-11-20 06:00 UTC → 2026-11-20 09:00 UTC (last 3 hours ago) · InvalidClientTokenId ×7',
    );
    expect(crm?.text?.text).toContain('*Who:* `crm-export` · *Keys:* `AKIA…KJDP`');
    expect(crm?.text?.text).toContain('*From:* ');
    expect(crm?.text?.text).toContain('`/aws/ecs/crm-export`');
  });

  it('never carries a full key id', () => {
    expect(JSON.stringify(message)).not.toMatch(FULL_KEY_ID);
  });
});

describe('the Slack message of each SNS notification (what slack-notify posts)', () => {
  let report: Report;

  beforeAll(async () => {
    report = await demoReport();
  });

  it('stays inside the limits for every demo notification', () => {
    for (const notification of buildNotifications(report)) {
      const message = slackMessage(parseNotificationPayload(notification.bodies.lambda));
      expectWithinSlackLimits(message);
      expect(JSON.stringify(message)).not.toMatch(FULL_KEY_ID);
    }
  });

  it('is the very message the CLI posts for a report holding the same incident: one builder', () => {
    // Prepare
    const [first] = buildNotifications(report, { reminders: false });
    if (first === undefined) throw new Error('the demo has incidents');
    const payload = parseNotificationPayload(first.bodies.lambda);
    if (payload.type !== 'credential-health.incident') throw new Error('an incident first');

    // Act
    const fromFunction = slackMessage(payload);
    const fromCli = slackReportMessage({ ...report, findings: [], incidents: [payload.incident] });

    // Assess
    expect(fromCli).toEqual(fromFunction);
  });

  it('says whom a reminder digest is for', () => {
    // Prepare
    const digest = buildNotifications(report, { incidents: false }).find(
      (m) => m.attributes.owner === 'nina@example.com',
    );

    // Act
    const message = slackMessage(parseNotificationPayload(digest?.bodies.lambda ?? ''));

    // Assess
    expect(JSON.stringify(message.blocks[1])).toContain('*For:* nina@example.com');
  });
});

describe('buildSlackMessage', () => {
  function findings(n: number): Finding[] {
    const [template] = sampleReport().findings;
    if (template === undefined) throw new Error('sample has findings');
    return Array.from({ length: n }, (_, i) => ({
      ...template,
      id: `f-${i}`,
      severity: 'low',
      title: `Finding ${i}`,
      principal: { type: 'IAMUser', name: `user-${i}`, arn: null },
    }));
  }
  const base = {
    account: { id: '123456789012', alias: null },
    window: null,
    now: '2026-11-20T12:00:00Z',
    incidents: [],
  };

  it('lists 15 items without "more", and the 16th as "and 1 more"', () => {
    // Act
    const fifteen = buildSlackMessage({ ...base, findings: findings(15) });
    const sixteen = buildSlackMessage({ ...base, findings: findings(16) });

    // Assess
    expect(JSON.stringify(fifteen)).not.toContain('more (');
    expect(sections(fifteen.blocks)).toHaveLength(16);
    expect(JSON.stringify(sixteen.blocks.at(-1))).toContain('…and 1 more (1 finding)');
  });

  it('keeps a header of 150 characters and shortens one of 151', () => {
    // Prepare: "LOW: " is 5 characters.
    const exact = findings(1).map((f) => ({ ...f, title: 'x'.repeat(145) }));
    const over = findings(1).map((f) => ({ ...f, title: 'x'.repeat(146) }));

    // Act
    const kept = buildSlackMessage({ ...base, findings: exact }).blocks[0];
    const cut = buildSlackMessage({ ...base, findings: over }).blocks[0];

    // Assess
    expect(kept?.type === 'header' && kept.text.text).toBe(`LOW: ${'x'.repeat(145)}`);
    expect(cut?.type === 'header' && cut.text.text).toBe(`LOW: ${'x'.repeat(144)}…`);
  });

  it('stays inside the limits with huge titles, fixes and lists', () => {
    // Prepare
    const huge = findings(60).map((f) => ({
      ...f,
      title: 'T'.repeat(5_000),
      detail: 'D'.repeat(5_000),
      remediation: ['R'.repeat(5_000), 'second'],
    }));
    const report = withData(
      {},
      { userAgents: Array.from({ length: 500 }, (_, i) => `ua-${i}`), title: 'I'.repeat(4_000) },
    );

    // Act
    const many = buildSlackMessage({ ...base, findings: huge });
    const sample = slackReportMessage(report);

    // Assess
    expectWithinSlackLimits(many);
    expectWithinSlackLimits(sample);
    expect(JSON.stringify(many.blocks.at(-1))).toMatch(/…and \d+ more \(\d+ findings\)/);
  });

  it('escapes &, < and > in everything that comes from AWS, so no mention or link can be formed', () => {
    // Prepare
    const report = withData(
      {
        title: '<!channel> & <https://evil.example|click>',
        principal: { type: 'IAMUser', name: '<@U123>', arn: null },
      },
      { principals: ['<!here>'], userAgents: ['a>b'] },
    );

    // Act
    const message = slackReportMessage(report);
    // Slack parses mrkdwn for mentions and links; plain_text (header, buttons) it shows as is.
    const mrkdwn = [
      message.text,
      ...message.blocks.flatMap((b) =>
        b.type === 'section'
          ? [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)]
          : b.type === 'context'
            ? b.elements.map((e) => ('text' in e ? e.text : ''))
            : [],
      ),
    ].join('\n');

    // Assess
    expect(mrkdwn).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(mrkdwn).toContain('&lt;@U123&gt;');
    expect(mrkdwn).toContain('&lt;!here&gt;');
    expect(mrkdwn).not.toMatch(/<[!@#]/);
    expect(mrkdwn).not.toContain('<https://evil');
  });

  it('says when there is nothing to report', () => {
    // Act
    const message = slackReportMessage(emptyReport());

    // Assess
    expect(message.blocks[0]).toMatchObject({
      text: {
        text: 'Credential health: nothing to report in acme-prod',
      },
    });
    expect(JSON.stringify(message.blocks)).toContain(
      'No findings and no credential failures in the window.',
    );
    expectWithinSlackLimits(message);
  });
});

describe('parseNotificationPayload', () => {
  it('reads a payload that lacks lists as empty ones, rather than crashing the function', () => {
    // Act
    const payload = parseNotificationPayload(
      JSON.stringify({
        type: 'credential-health.reminder',
        severity: 'low',
        findings: [{ title: 'Old key' }],
      }),
    );
    const message = slackMessage(payload);

    // Assess
    expect(
      payload.type === 'credential-health.reminder' && payload.findings[0]?.remediation,
    ).toEqual([]);
    expect(JSON.stringify(message)).toContain('Old key');
  });

  it('refuses what is not a notification, naming why', () => {
    expect(() => parseNotificationPayload('[1]')).toThrow('not a JSON object');
    expect(() => parseNotificationPayload('{"type":"credential-health.incident"}')).toThrow(
      'not a credential-health notification',
    );
  });
});
