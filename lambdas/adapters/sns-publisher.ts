import {
  type MessageAttributeValue,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import {
  messageBody,
  messageSize,
  type OutgoingMessage,
  SNS_MAX_MESSAGE_BYTES,
} from '../render/notifications/outgoing-message.js';
import { toCredentialHealthError } from './aws-errors.js';

/** What a publish run did. */
export interface PublishSummary {
  readonly published: number;
  /** Messages SNS refused, by our message id, with its error code. */
  readonly failed: readonly {
    readonly id: string;
    readonly code: string;
    readonly message: string;
  }[];
  /** Publish / PublishBatch requests sent. */
  readonly requests: number;
}

/** PublishBatch takes at most 10 entries, whose sizes together stay under the one-message limit. */
export const MAX_BATCH_ENTRIES = 10;

/**
 * Sends messages to a topic with `MessageStructure: 'json'` (a body per protocol) and the
 * attributes subscriptions filter on. One message goes with Publish; more go with PublishBatch,
 * 10 a request and at most 256 KiB a request. Entries SNS fails on its side are retried once.
 */
export async function publishMessages(
  sns: SNSClient,
  topicArn: string,
  messages: readonly OutgoingMessage[],
): Promise<PublishSummary> {
  if (messages.length === 0) return { published: 0, failed: [], requests: 0 };
  if (messages.length === 1 && messages[0]) {
    try {
      await sns.send(new PublishCommand({ TopicArn: topicArn, ...publishFields(messages[0]) }));
    } catch (error) {
      throw toCredentialHealthError(error, 'sns:Publish');
    }
    return { published: 1, failed: [], requests: 1 };
  }

  let requests = 0;
  let published = 0;
  const failed: { id: string; code: string; message: string }[] = [];
  for (const batch of batches(messages)) {
    let pending = batch;
    for (let attempt = 0; attempt < 2 && pending.length > 0; attempt += 1) {
      const entries: PublishBatchRequestEntry[] = pending.map((message, i) => ({
        Id: `m${i}`,
        ...publishFields(message),
      }));
      requests += 1;
      let result: Awaited<ReturnType<typeof send>>;
      try {
        result = await send(sns, topicArn, entries);
      } catch (error) {
        throw toCredentialHealthError(error, 'sns:PublishBatch');
      }
      published += result.Successful?.length ?? 0;
      const retry: OutgoingMessage[] = [];
      for (const failure of result.Failed ?? []) {
        const message = pending[Number((failure.Id ?? '').slice(1))];
        if (!message) continue;
        if (!failure.SenderFault && attempt === 0) retry.push(message);
        else
          failed.push({
            id: message.id,
            code: failure.Code ?? 'Unknown',
            message: failure.Message ?? '',
          });
      }
      pending = retry;
    }
  }
  return { published, failed, requests };
}

function send(sns: SNSClient, topicArn: string, entries: PublishBatchRequestEntry[]) {
  return sns.send(
    new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }),
  );
}

/** Groups messages into batches of at most 10 and 256 KiB together, in order. */
export function batches(messages: readonly OutgoingMessage[]): OutgoingMessage[][] {
  const result: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageSize(message);
    if (
      current.length > 0 &&
      (current.length === MAX_BATCH_ENTRIES || bytes + size > SNS_MAX_MESSAGE_BYTES)
    ) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

function publishFields(message: OutgoingMessage) {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    attributes[name] = { DataType: 'String', StringValue: value };
  }
  return {
    Message: messageBody(message),
    MessageStructure: 'json',
    Subject: message.subject,
    MessageAttributes: attributes,
  };
}
