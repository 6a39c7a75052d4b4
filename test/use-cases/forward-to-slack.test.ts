import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  parseNotificationPayload,
  slackMessage,
} from '../../lambdas/render/slack.js';
import { forwardToSlack } from '../../lambdas/use-cases/forward-to-slack.js';

const incidentPayload = {
  schemaVersion: 1,
  type: 'credential-health.incident',
  id: 'i-1',
  account: { id: '123456789012', alias: 'acme' },
  now: '2026-11-20T12:00:00Z',
  generatedAt: '2026-11-20T12:00:00Z',
  severity: 'high',
  owner: null,
  subject: 'HIGH: deactivated key still in use - acme',
  incident: {
    id: 'i-1',
    kind: 'revoked-key-in-use',
    severity: 'high',
    title: 'Key AKIA…MPLE of <ci-bot> is still in use',
    firstSeen: '2026-11-20T09:00:00Z',
    lastSeen: '2026-11-20T09:05:00Z',
    count: 12,
    errorCodes: { InvalidClientTokenId: 12 },
    accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'],
    principals: ['ci-bot'],
    sourceIps: ['203.0.113.7'],
    userAgents: ['Boto3/1.34.0'],
    eventSources: [],
    logGroups: ['/aws/lambda/etl'],
    probableCauses: ['A workload still holds the old key & its env var wins'],
    remediation: ['Update the secret the job reads'],
    evidence: ['logs'],
    owner: null,
  },
};

describe('slackMessage', () => {
  it('builds a header, the facts and what to do, escaping Slack markup', () => {
    const message = slackMessage(parseNotificationPayload(JSON.stringify(incidentPayload)));
    expect(message.text).toBe(
      ':red_circle: HIGH: Key AKIA…MPLE of &lt;ci-bot&gt; is still in use - acme',
    );
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'HIGH: Key AKIA…MPLE of <ci-bot> is still in use',
        emoji: true,
      },
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('203.0.113.7');
    expect(text).toContain('old key &amp; its env var wins');
    expect(text).toContain('*What to do:* Update the secret the job reads');
  });

  it('lists a reminder digest', () => {
    const payload = {
      ...incidentPayload,
      type: 'credential-health.reminder',
      severity: 'low',
      owner: 'alice@example.com',
      part: { index: 1, count: 1 },
      findings: [
        {
          severity: 'low',
          title: 'Key 1 of alice is due for rotation',
          detail: 'Created 2026-08-01.',
          remediation: ['Rotate it'],
        },
      ],
    };
    const message = slackMessage(parseNotificationPayload(JSON.stringify(payload)));
    expect(JSON.stringify(message.blocks)).toContain('Key 1 of alice is due for rotation');
    expect(JSON.stringify(message.blocks)).toContain('alice@example.com');
  });

  it('fails on a message that is not a notification', () => {
    expect(() => parseNotificationPayload('hello')).toThrow('SNS message is not JSON');
    expect(() => parseNotificationPayload('{"type":"other"}')).toThrow(
      'not a credential-health notification (type "other")',
    );
  });

  it('escapes the three control characters', () => {
    expect(escapeMrkdwn('<@U123> & <!channel>')).toBe('&lt;@U123&gt; &amp; &lt;!channel&gt;');
  });
});

describe('forwardToSlack', () => {
  it('posts each message to the webhook, reading the URL once', async () => {
    const posts: unknown[] = [];
    let reads = 0;
    const posted = await forwardToSlack(
      {
        webhookUrl: async () => {
          reads += 1;
          return 'https://hooks.slack.example/services/T000/B000/EXAMPLE';
        },
        post: async (_url, body) => {
          posts.push(body);
        },
      },
      [JSON.stringify(incidentPayload), JSON.stringify(incidentPayload)],
    );
    expect(posted).toBe(2);
    expect(reads).toBe(1);
    expect(posts).toHaveLength(2);
  });

  it('lets a failed post fail the invocation, so Lambda retries and then dead-letters it', async () => {
    const deps = {
      webhookUrl: async () => 'https://hooks.slack.example/services/T000/B000/EXAMPLE',
      post: async () => {
        throw new Error('Slack webhook answered 500: oops');
      },
    };
    await expect(forwardToSlack(deps, [JSON.stringify(incidentPayload)])).rejects.toThrow(
      'answered 500',
    );
  });
});
