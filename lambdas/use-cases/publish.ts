import type { OutgoingMessage } from '../render/notifications/outgoing-message.js';

/** What publishing did: how many went out and which (by message id) SNS refused. */
export interface PublishResult {
  readonly published: number;
  readonly failed: readonly { readonly id: string }[];
}

/**
 * Publishes and, when some or all messages did not go out, calls `release` with the owners of
 * the refused messages (`'all'` when publishing threw) before rethrowing or returning.
 *
 * @returns the number of messages published.
 */
export async function publishOrRelease(
  publish: (messages: readonly OutgoingMessage[]) => Promise<PublishResult>,
  messages: readonly OutgoingMessage[],
  release: (failed: ReadonlySet<string> | 'all', failedIds: ReadonlySet<string>) => Promise<void>,
): Promise<number> {
  if (messages.length === 0) return 0;
  let result: PublishResult;
  try {
    result = await publish(messages);
  } catch (error) {
    await release('all', new Set(messages.map((m) => m.id)));
    throw error;
  }
  if (result.failed.length > 0) {
    const failedIds = new Set(result.failed.map((f) => f.id));
    const owners = new Set(
      messages.filter((m) => failedIds.has(m.id)).map((m) => m.attributes.owner),
    );
    await release(owners, failedIds);
  }
  return result.published;
}
