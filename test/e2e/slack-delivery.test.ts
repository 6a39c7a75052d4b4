import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  postToSlack,
  readWebhookUrl,
  retryAfterMs,
  SlackPermanentError,
  SlackTransientError,
} from '../../lambdas/adapters/slack-webhook.js';
import { postReportToSlack } from '../../lambdas/cli/publish.js';
import { ENV } from '../../lambdas/config/env-names.js';
import type { Report } from '../../lambdas/core/report.js';
import { buildNotifications } from '../../lambdas/render/notifications/build-notifications.js';
import {
  parseNotificationPayload,
  slackMessage,
  slackReportMessage,
} from '../../lambdas/render/slack.js';
import { demoReport } from '../../scripts/update-golden.js';
import { FakeSlack } from './fake-slack.js';

/** Records every wait instead of sleeping: no test here depends on the clock. */
function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

const MESSAGE = {
  text: 'hello',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
};

let slack: FakeSlack;
// One mock of the Secrets Manager client for the whole file; no test reaches AWS.
const secrets = mockClient(SecretsManagerClient);

beforeAll(async () => {
  slack = await FakeSlack.start();
});

afterAll(async () => {
  await slack.close();
  secrets.restore();
});

describe('postToSlack against a local server playing Slack', () => {
  it('posts the message as JSON once when Slack says ok', async () => {
    // Prepare
    slack.script({ status: 200, body: 'ok' });
    const { sleep, waits } = recordingSleep();

    // Act
    const delivery = await postToSlack(fetch, slack.url, MESSAGE, { sleep });

    // Assess
    expect(delivery).toEqual({ attempts: 1, waits: [] });
    expect(waits).toEqual([]);
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]?.method).toBe('POST');
    expect(slack.posts[0]?.path).toBe('/services/T000/B000/EXAMPLEKEYEXAMPLEKEY');
    expect(slack.posts[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(slack.posts[0]?.body ?? '')).toEqual(MESSAGE);
  });

  it('waits as long as 429 Retry-After says, then posts again', async () => {
    // Prepare
    slack.script(
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '3' } },
      { status: 200, body: 'ok' },
    );
    const { sleep, waits } = recordingSleep();

    // Act
    const delivery = await postToSlack(fetch, slack.url, MESSAGE, { sleep });

    // Assess
    expect(waits).toEqual([3_000]);
    expect(delivery.attempts).toBe(2);
    expect(slack.posts).toHaveLength(2);
    expect(slack.posts[1]?.body).toBe(slack.posts[0]?.body);
  });

  it('gives up at once, as transient, when Retry-After asks for longer than the run may wait', async () => {
    // Prepare
    slack.script({ status: 429, body: 'rate_limited', headers: { 'retry-after': '61' } });
    const { sleep, waits } = recordingSleep();

    // Act
    const attempt = postToSlack(fetch, slack.url, MESSAGE, {
      sleep,
      budgetMs: 60_000,
      maxDelayMs: 61_000,
    });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SlackTransientError);
    await expect(attempt).rejects.toThrow('asked to wait 61 s');
    expect(waits).toEqual([]);
    expect(slack.posts).toHaveLength(1);
  });

  it('waits a Retry-After of exactly the budget', async () => {
    // Prepare
    slack.script({ status: 429, headers: { 'retry-after': '60' } }, { status: 200, body: 'ok' });
    const { sleep, waits } = recordingSleep();

    // Act
    await postToSlack(fetch, slack.url, MESSAGE, { sleep, budgetMs: 60_000, maxDelayMs: 60_000 });

    // Assess
    expect(waits).toEqual([60_000]);
  });

  it('retries 5xx with exponential backoff and jitter, then delivers', async () => {
    // Prepare
    slack.script(
      { status: 500, body: 'oops' },
      { status: 503, body: 'busy' },
      { status: 200, body: 'ok' },
    );
    const { sleep, waits } = recordingSleep();

    // Act
    const delivery = await postToSlack(fetch, slack.url, MESSAGE, {
      sleep,
      baseDelayMs: 400,
      random: () => 0.5,
    });

    // Assess: half fixed and half random of 400, then of 800.
    expect(waits).toEqual([300, 600]);
    expect(delivery.attempts).toBe(3);
  });

  it('throws a transient error after the last attempt when Slack keeps failing, never naming the URL', async () => {
    // Prepare
    slack.script({ status: 500, body: 'internal_error' });
    const { sleep, waits } = recordingSleep();

    // Act
    const attempt = postToSlack(fetch, slack.url, MESSAGE, { sleep, maxAttempts: 4 });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SlackTransientError);
    const error = (await attempt.catch((e: unknown) => e)) as SlackTransientError;
    expect(error.message).toBe('Slack webhook failed after 4 attempts: 500 internal_error');
    expect(error.status).toBe(500);
    expect(error.message).not.toContain('EXAMPLEKEY');
    expect(waits).toHaveLength(3);
    expect(slack.posts).toHaveLength(4);
  });

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'no_service'],
    [410, 'channel_is_archived'],
  ])(
    'does not retry a %i (%s): a permanent error for the dead-letter queue',
    async (status, body) => {
      // Prepare
      slack.script({ status, body });
      const { sleep, waits } = recordingSleep();

      // Act
      const attempt = postToSlack(fetch, slack.url, MESSAGE, { sleep });

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(SlackPermanentError);
      await expect(attempt).rejects.toThrow(
        `Slack webhook refused the message with ${status}: ${body}`,
      );
      expect(waits).toEqual([]);
      expect(slack.posts).toHaveLength(1);
    },
  );

  it('retries when nothing answers, and says so without the URL', async () => {
    // Prepare: a port nobody listens on.
    const closed = await FakeSlack.start();
    const url = closed.url;
    await closed.close();
    const { sleep, waits } = recordingSleep();

    // Act
    const error = (await postToSlack(fetch, url, MESSAGE, { sleep, maxAttempts: 2 }).catch(
      (e: unknown) => e,
    )) as SlackTransientError;

    // Assess
    expect(error).toBeInstanceOf(SlackTransientError);
    expect(error.status).toBeNull();
    expect(waits).toHaveLength(1);
    expect(error.message).not.toContain('/services/');
  });
});

describe('readWebhookUrl', () => {
  it.each([
    [
      'https://hooks.slack.com/services/T000/B000/EXAMPLEKEY',
      'https://hooks.slack.com/services/T000/B000/EXAMPLEKEY',
    ],
    [
      '{"url":"https://hooks.slack.com/services/T/B/EXAMPLEKEY"}',
      'https://hooks.slack.com/services/T/B/EXAMPLEKEY',
    ],
    ['{"webhookUrl":" http://127.0.0.1:8080/services/x "}', 'http://127.0.0.1:8080/services/x'],
  ])('reads %s', async (secret, url) => {
    // Prepare
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: secret });

    // Act
    const read = await readWebhookUrl(
      new SecretsManagerClient({ region: 'us-east-1' }),
      'credhealth/slack',
    );

    // Assess
    expect(read).toBe(url);
  });

  it.each([
    ['http://hooks.example.com/services/T000/B000/EXAMPLEKEY'],
    ['{"url":"ftp://x"}'],
    ['not a url'],
    ['{broken json'],
  ])('refuses %s without repeating it', async (secret) => {
    // Prepare
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: secret });

    // Act
    const error = (await readWebhookUrl(
      new SecretsManagerClient({ region: 'us-east-1' }),
      'credhealth/slack',
    ).catch((e: unknown) => e)) as Error;

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('secret credhealth/slack must hold');
    expect(error.message).not.toContain('EXAMPLEKEY');
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['1', 1_000],
    ['0', 0],
    [' 30 ', 30_000],
    ['1.5', 1_500],
    [null, null],
    ['', null],
    ['soon', null],
    ['Wed, 21 Oct 2026 07:28:00 GMT', null],
  ])('reads %j as %j ms', (header, ms) => {
    expect(retryAfterMs(header)).toBe(ms);
  });
});

describe('slack-notify and the CLI post the same Block Kit message', () => {
  let report: Report;
  let handler: (event: SNSEvent, context?: Context) => Promise<{ posted: number }>;

  function snsEvent(message: string): SNSEvent {
    return {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: 'arn:aws:sns:us-east-1:111122223333:credhealth:sub',
          Sns: {
            Type: 'Notification',
            MessageId: 'm-1',
            TopicArn: 'arn:aws:sns:us-east-1:111122223333:credhealth',
            Subject: 'subject',
            Message: message,
            Timestamp: '2026-11-20T12:00:00Z',
            SignatureVersion: '1',
            Signature: 'EXAMPLE',
            SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/cert.pem',
            UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/unsubscribe',
            MessageAttributes: {},
          },
        },
      ],
    };
  }

  beforeAll(async () => {
    report = await demoReport();
    vi.stubEnv(ENV.SLACK_WEBHOOK_SECRET_ID, 'credhealth/slack');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.resetModules();
    ({ handler } = await import('../../lambdas/slack-notify/handler.js'));
  });

  beforeEach(() => {
    secrets.reset();
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ url: slack.url }) });
  });

  afterEach(() => {
    slack.script({ status: 200, body: 'ok' });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('the function posts the builder’s message for an SNS notification', async () => {
    // Prepare
    const [notification] = buildNotifications(report);
    slack.script({ status: 200, body: 'ok' });

    // Act
    const result = await handler(snsEvent(notification?.bodies.lambda ?? ''));

    // Assess
    expect(result).toEqual({ posted: 1 });
    expect(JSON.parse(slack.posts[0]?.body ?? '')).toEqual(
      slackMessage(parseNotificationPayload(notification?.bodies.lambda ?? '')),
    );
  });

  it('the function throws a permanent error on a 4xx, so the failure destination keeps the message', async () => {
    // Prepare
    const [notification] = buildNotifications(report);
    slack.script({ status: 400, body: 'invalid_blocks' });

    // Act
    const attempt = handler(snsEvent(notification?.bodies.lambda ?? ''));

    // Assess: the handler module was loaded afresh, so its classes are matched by name.
    await expect(attempt).rejects.toMatchObject({
      name: 'SlackPermanentError',
      permanent: true,
      status: 400,
    });
    expect(slack.posts).toHaveLength(1);
  });

  it('the function fails, rather than drops, a message that is not a notification', async () => {
    // Act
    const attempt = handler(snsEvent('plain text from someone else'));

    // Assess
    await expect(attempt).rejects.toThrow('SNS message is not JSON');
    expect(slack.posts).toHaveLength(0);
  });

  it('the CLI posts the builder’s message for the whole report, retrying a 429', async () => {
    // Prepare
    slack.script({ status: 429, headers: { 'retry-after': '0' } }, { status: 200, body: 'ok' });

    // Act
    const note = await postReportToSlack(report, { webhookUrl: slack.url, env: {} });

    // Assess
    expect(slack.posts).toHaveLength(2);
    expect(JSON.parse(slack.posts[1]?.body ?? '')).toEqual(slackReportMessage(report));
    expect(note).toMatch(
      /^posted the Slack message \(34 items, \d+ blocks\) to the webhook after 2 attempts$/,
    );
    expect(note).not.toContain('127.0.0.1');
  });

  it('the CLI names a refusal without the URL', async () => {
    // Prepare
    slack.script({ status: 404, body: 'no_service' });

    // Act
    const error = (await postReportToSlack(report, { webhookUrl: slack.url, env: {} }).catch(
      (e: unknown) => e,
    )) as Error;

    // Assess
    expect(error).toMatchObject({ name: 'SlackPermanentError', permanent: true, status: 404 });
    expect(error.message).toBe('Slack webhook refused the message with 404: no_service');
  });
});
