import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { batches, publishMessages } from '../../lambdas/adapters/sns-publisher.js';
import type { OutgoingMessage } from '../../lambdas/render/notifications/outgoing-message.js';

const snsMock = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:credential-health';

function message(id: string, textBytes = 10): OutgoingMessage {
  const text = 'x'.repeat(textBytes);
  return {
    id,
    subject: `HIGH: ${id}`,
    attributes: {
      kind: 'reminder',
      severity: 'high',
      owner: 'platform@example.com',
      account: '123456789012',
    },
    bodies: { default: text, email: text, https: '{}', lambda: '{}', sqs: '{}' },
  };
}

describe('publishMessages', () => {
  beforeEach(() => {
    snsMock.reset();
  });

  it('publishes a single message with MessageStructure json, subject and attributes', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });

    const summary = await publishMessages(new SNSClient({}), TOPIC, [message('one')]);

    expect(summary).toEqual({ published: 1, failed: [], requests: 1 });
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      MessageStructure: 'json',
      Subject: 'HIGH: one',
      Message: JSON.stringify(message('one').bodies),
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'reminder' },
        severity: { DataType: 'String', StringValue: 'high' },
        owner: { DataType: 'String', StringValue: 'platform@example.com' },
        account: { DataType: 'String', StringValue: '123456789012' },
      },
    });
  });

  it('sends many messages with PublishBatch, 10 a request', async () => {
    snsMock
      .on(PublishBatchCommand)
      .callsFake((input: { PublishBatchRequestEntries: { Id: string }[] }) => ({
        Successful: input.PublishBatchRequestEntries.map((e) => ({
          Id: e.Id,
          MessageId: `sns-${e.Id}`,
        })),
        Failed: [],
      }));
    const messages = Array.from({ length: 23 }, (_, i) => message(`m${i}`));

    const summary = await publishMessages(new SNSClient({}), TOPIC, messages);

    expect(summary).toEqual({ published: 23, failed: [], requests: 3 });
    const sizes = snsMock
      .commandCalls(PublishBatchCommand)
      .map((c) => c.args[0].input.PublishBatchRequestEntries?.length);
    expect(sizes).toEqual([10, 10, 3]);
  });

  it('retries entries SNS failed on its side once, and reports entries it refused', async () => {
    snsMock
      .on(PublishBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: 'm0', MessageId: 'a' }],
        Failed: [
          { Id: 'm1', Code: 'InternalError', SenderFault: false, Message: 'try again' },
          { Id: 'm2', Code: 'InvalidParameter', SenderFault: true, Message: 'bad subject' },
        ],
      })
      .resolvesOnce({ Successful: [{ Id: 'm0', MessageId: 'b' }], Failed: [] });

    const summary = await publishMessages(new SNSClient({}), TOPIC, [
      message('a'),
      message('b'),
      message('c'),
    ]);

    expect(summary).toEqual({
      published: 2,
      failed: [{ id: 'c', code: 'InvalidParameter', message: 'bad subject' }],
      requests: 2,
    });
    expect(snsMock).toHaveReceivedNthCommandWith(PublishBatchCommand, 2, {
      PublishBatchRequestEntries: [expect.objectContaining({ Subject: 'HIGH: b' })],
    });
  });
});

describe('batches', () => {
  it('keeps each batch under 256 KiB in total, not only under 10 entries', () => {
    const big = Array.from({ length: 5 }, (_, i) => message(`big${i}`, 50_000));

    const groups = batches(big);

    expect(groups.map((g) => g.length)).toEqual([2, 2, 1]);
  });
});
