import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../lambdas/adapters/clients.js';
import { publishMessages } from '../../lambdas/adapters/sns-publisher.js';
import type { Report } from '../../lambdas/core/report.js';
import { buildNotifications } from '../../lambdas/render/notifications/build-notifications.js';
import type { NotificationPayload } from '../../lambdas/render/notifications/notification-payload.js';
import { motoClients, motoEndpoint, REGION } from './moto-aws.js';

/**
 * Publishing over HTTP to moto: a topic with two SQS subscribers (raw delivery off, so each
 * message arrives in its SNS envelope with subject and attributes), one of them filtered on
 * the message attributes as a per-owner or per-severity subscription would be.
 *
 * The SDK has no SQS client in this project, so the queues are driven through SQS's JSON
 * protocol with fetch (moto does not check signatures). moto delivers neither email nor
 * https (Chatbot): those bodies are asserted in test/render/notifications.
 */

interface Envelope {
  readonly Type: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

async function sqs<T>(action: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${motoEndpoint()}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261123/${REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`SQS ${action}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function createQueue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs<{ QueueUrl: string }>('CreateQueue', { QueueName: name });
  const { Attributes } = await sqs<{ Attributes: { QueueArn: string } }>('GetQueueAttributes', {
    QueueUrl,
    AttributeNames: ['QueueArn'],
  });
  return { url: QueueUrl, arn: Attributes.QueueArn };
}

async function drain(url: string): Promise<Envelope[]> {
  const envelopes: Envelope[] = [];
  for (;;) {
    const { Messages } = await sqs<{ Messages?: { Body: string; ReceiptHandle: string }[] }>(
      'ReceiveMessage',
      {
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      },
    );
    if (!Messages || Messages.length === 0) return envelopes;
    for (const message of Messages) {
      envelopes.push(JSON.parse(message.Body) as Envelope);
      await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
    }
  }
}

const report = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', 'fixtures', 'reports', 'sample-report.json'),
    'utf8',
  ),
) as Report;

describe('publishing a report through SNS (moto)', () => {
  let clients: AwsClients;
  let all: Envelope[];
  let critical: Envelope[];
  let requests: number;
  let callsBefore: number;

  beforeAll(async () => {
    // Prepare
    clients = motoClients();
    const topic = await clients.sns.send(
      new CreateTopicCommand({ Name: 'credential-health-publish-test' }),
    );
    const topicArn = topic.TopicArn ?? '';
    const everything = await createQueue('credhealth-all');
    const criticalOnly = await createQueue('credhealth-critical-incidents');
    await clients.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: everything.arn }),
    );
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: criticalOnly.arn,
        Attributes: {
          FilterPolicy: JSON.stringify({ kind: ['incident'], severity: ['critical'] }),
        },
      }),
    );
    callsBefore = clients.counter.total();

    // Act
    const summary = await publishMessages(clients.sns, topicArn, buildNotifications(report));
    requests = summary.requests;
    all = await drain(everything.url);
    critical = await drain(criticalOnly.url);
  });

  it('sends one message per incident and one digest per owner, in PublishBatch requests of 10', () => {
    const owners = new Set(report.findings.map((f) => f.owner ?? 'unowned'));
    expect(all).toHaveLength(report.incidents.length + owners.size);
    expect(requests).toBe(Math.ceil(all.length / 10));
    expect(clients.counter.byOperation()['SNSClient.PublishBatchCommand']).toBe(requests);
    expect(clients.counter.total() - callsBefore).toBe(requests);
  });

  it('gives SQS the structured JSON, with subject and the four filterable attributes', () => {
    const incident = all.find((e) => e.MessageAttributes?.kind?.Value === 'incident');
    const payload = JSON.parse(incident?.Message ?? '{}') as NotificationPayload;
    expect(payload).toMatchObject({ schemaVersion: 1, type: 'credential-health.incident' });
    expect(Object.keys(incident?.MessageAttributes ?? {}).sort()).toEqual([
      'account',
      'kind',
      'owner',
      'severity',
    ]);
    expect(incident?.MessageAttributes?.account).toEqual({ Type: 'String', Value: '123456789012' });
    expect(incident?.Subject?.length).toBeLessThanOrEqual(100);
  });

  it("sends one reminder digest per owner, with all of that owner's findings", () => {
    const reminders = all
      .filter((e) => e.MessageAttributes?.kind?.Value === 'reminder')
      .map((e) => JSON.parse(e.Message) as NotificationPayload);
    const platform = reminders.find((p) => p.owner === 'platform@example.com');
    expect(platform?.type).toBe('credential-health.reminder');
    const expected = report.findings
      .filter((f) => f.owner === 'platform@example.com')
      .map((f) => f.id)
      .sort();
    expect(
      platform?.type === 'credential-health.reminder'
        ? platform.findings.map((f) => f.id).sort()
        : [],
    ).toEqual(expected);
    const unowned = reminders.find((p) => p.owner === null);
    expect(unowned).toBeDefined();
  });

  it('lets a subscription filter on the attributes: only critical incidents reach the filtered queue', () => {
    const expected = report.incidents.filter((i) => i.severity === 'critical').length;
    expect(critical).toHaveLength(expected);
    expect(critical.every((e) => e.MessageAttributes?.severity?.Value === 'critical')).toBe(true);
  });
});
