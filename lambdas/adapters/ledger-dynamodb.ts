import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  type PutCommandInput,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { IncidentRecord } from '../core/incident-ledger.js';
import { REMINDER_STAGES, type ReminderRecord } from '../core/reminders.js';
import type { IncidentLedger, ReminderLedger } from '../use-cases/ports.js';

const REMINDER = 'REMINDER';
const INCIDENT = 'INCIDENT';
const DAY_S = 86_400;

/** Where the ledger lives and how long its items are kept. */
export interface DynamoDbLedgerOptions {
  readonly tableName: string;
  /** Items expire (DynamoDB TTL) this many days after their last write. @default 400 */
  readonly ttlDays?: number;
  /** The clock for `expiresAt`. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * The reminder and incident ledger in one DynamoDB table (`pk` partition, `sk` sort key,
 * `expiresAt` TTL). Every write is conditional, so two runs at once (a retry overlapping the
 * next schedule) cannot both announce the same thing: the loser's write fails and it stays quiet.
 * Claims are written pending (`pendingUntil`, a lease) and confirmed after their publish.
 */
export function createDynamoDbLedger(
  client: DynamoDBClient,
  options: DynamoDbLedgerOptions,
): ReminderLedger & IncidentLedger {
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const { tableName } = options;
  const ttlDays = options.ttlDays ?? 400;
  const expiresAt = (): number =>
    Math.floor((options.now?.() ?? new Date()).getTime() / 1000) + ttlDays * DAY_S;

  async function loadPartition(pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: doc },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  /** Runs a conditional write; false when the condition did not hold. */
  async function conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  return {
    async loadReminders() {
      const records = new Map<string, ReminderRecord>();
      for (const item of await loadPartition(REMINDER)) {
        const record = toReminder(item);
        if (record) records.set(record.key, record);
      }
      return records;
    },

    claimReminder(record) {
      const input: PutCommandInput = {
        TableName: tableName,
        Item: { pk: REMINDER, sk: record.key, ...record, expiresAt: expiresAt() },
        // A higher rung, or the same rung again when its claim's lease ran out unconfirmed.
        ConditionExpression:
          'attribute_not_exists(pk) OR #rung < :rung OR (#rung = :rung AND pendingUntil <= :now)',
        ExpressionAttributeNames: { '#rung': 'rung' },
        ExpressionAttributeValues: { ':rung': record.rung, ':now': record.sentAt },
      };
      return conditional(() => doc.send(new PutCommand(input)));
    },

    async confirmReminder(record) {
      await conditional(() =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: REMINDER, sk: record.key },
            UpdateExpression: 'REMOVE pendingUntil',
            ConditionExpression: '#rung = :rung AND sentAt = :sentAt',
            ExpressionAttributeNames: { '#rung': 'rung' },
            ExpressionAttributeValues: { ':rung': record.rung, ':sentAt': record.sentAt },
          }),
        ),
      );
    },

    async releaseReminder(record, previous) {
      const restored = previous ?? unsentReminder(record);
      const lease = restored.pendingUntil;
      // Only our own claim is undone: a later run may have moved the key on since.
      await conditional(() =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: REMINDER, sk: record.key },
            UpdateExpression: `SET #rung = :previous, #stage = :stage, sentAt = :previousSentAt${
              lease === undefined ? ' REMOVE pendingUntil' : ', pendingUntil = :lease'
            }`,
            ConditionExpression: '#rung = :rung AND sentAt = :sentAt',
            ExpressionAttributeNames: { '#rung': 'rung', '#stage': 'stage' },
            ExpressionAttributeValues: {
              ':previous': restored.rung,
              ':stage': restored.stage,
              ':previousSentAt': restored.sentAt,
              ':rung': record.rung,
              ':sentAt': record.sentAt,
              ...(lease === undefined ? {} : { ':lease': lease }),
            },
          }),
        ),
      );
    },

    async loadIncidents() {
      const records = new Map<string, IncidentRecord>();
      for (const item of await loadPartition(INCIDENT)) {
        const record = toIncident(item);
        if (record) records.set(record.id, record);
      }
      return records;
    },

    writeIncident(record, expectedVersion) {
      const input: PutCommandInput = {
        TableName: tableName,
        Item: { pk: INCIDENT, sk: record.id, ...record, expiresAt: expiresAt() },
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': expectedVersion },
            }),
      };
      return conditional(() => doc.send(new PutCommand(input)));
    },
  };
}

const STAGES = new Set<string>(REMINDER_STAGES);

/** What "never sent" looks like in the ledger: rung 0, sent at the epoch. */
function unsentReminder(record: ReminderRecord): ReminderRecord {
  return { key: record.key, rung: 0, stage: record.stage, sentAt: new Date(0).toISOString() };
}

/** A stored reminder, or undefined for an item that is not one (never trust the table blindly). */
function toReminder(item: Record<string, unknown>): ReminderRecord | undefined {
  const { key, rung, stage, sentAt, pendingUntil } = item;
  if (typeof key !== 'string' || typeof rung !== 'number' || typeof sentAt !== 'string')
    return undefined;
  if (typeof stage !== 'string' || !STAGES.has(stage)) return undefined;
  const record: ReminderRecord = { key, rung, stage: stage as ReminderRecord['stage'], sentAt };
  // A lease that is not a string cannot be honoured: it counts as expired, so nothing is lost.
  if (pendingUntil === undefined) return record;
  return { ...record, pendingUntil: typeof pendingUntil === 'string' ? pendingUntil : '' };
}

function toIncident(item: Record<string, unknown>): IncidentRecord | undefined {
  const strings = [
    'id',
    'kind',
    'title',
    'state',
    'announcedSeverity',
    'firstSeen',
    'lastSeen',
    'announcedAt',
  ] as const;
  const numbers = ['announcedCount', 'peakCount', 'version'] as const;
  if (strings.some((name) => typeof item[name] !== 'string')) return undefined;
  if (numbers.some((name) => typeof item[name] !== 'number')) return undefined;
  if (item.state !== 'open' && item.state !== 'ended') return undefined;
  const endedAt = typeof item.endedAt === 'string' ? item.endedAt : null;
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, pendingUntil, ...rest } = item;
  const record = { ...(rest as unknown as IncidentRecord), endedAt };
  // A lease that is not a string cannot be honoured: it counts as expired, so nothing is lost.
  if (pendingUntil === undefined) return record;
  return { ...record, pendingUntil: typeof pendingUntil === 'string' ? pendingUntil : '' };
}
