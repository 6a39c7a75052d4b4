import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbLedger } from '../../lambdas/adapters/ledger-dynamodb.js';
import type { IncidentRecord } from '../../lambdas/core/incident-ledger.js';
import type { ReminderRecord } from '../../lambdas/core/reminders.js';
import {
  createLedgerTable,
  FAKE_CREDENTIALS,
  motoEndpoint,
  REGION,
} from '../integration/moto-aws.js';

const now = new Date('2026-11-20T12:00:00Z');
const reminder = (rung: number, sentAt = '2026-11-20T06:00:00.000Z'): ReminderRecord => ({
  key: 'r-0123456789abcdef',
  rung,
  stage: rung === 1 ? 'due' : 'day-of',
  sentAt,
});
const incident = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  id: 'i-0123456789abcdef',
  kind: 'invalid-credentials',
  title: 'Unknown key rejected',
  state: 'open',
  announcedSeverity: 'medium',
  announcedCount: 6,
  peakCount: 6,
  firstSeen: '2026-11-20T11:00:00Z',
  lastSeen: '2026-11-20T11:50:00Z',
  announcedAt: '2026-11-20T11:52:00.000Z',
  endedAt: null,
  version: 1,
  ...over,
});

/** A fresh table in moto with the construct's key schema. */
async function motoTable(): Promise<{ client: DynamoDBClient; tableName: string }> {
  const client = new DynamoDBClient({
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
  const tableName = `ledger-${randomUUID()}`;
  await createLedgerTable(client, tableName);
  return { client, tableName };
}

describe('createDynamoDbLedger against moto', () => {
  let ledger: ReturnType<typeof createDynamoDbLedger>;
  let client: DynamoDBClient;
  let tableName: string;

  beforeEach(async () => {
    ({ client, tableName } = await motoTable());
    ledger = createDynamoDbLedger(client, { tableName, now: () => now, ttlDays: 10 });
  });

  it('claims a reminder once: a second claim of the same rung loses', async () => {
    // Act
    const first = await ledger.claimReminder(reminder(1));
    const second = await ledger.claimReminder(reminder(1));
    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(await ledger.loadReminders()).toEqual(new Map([['r-0123456789abcdef', reminder(1)]]));
  });

  it('lets only one of two concurrent claims win', async () => {
    const results = await Promise.all([
      ledger.claimReminder(reminder(3)),
      ledger.claimReminder(reminder(3)),
    ]);
    expect(results.sort()).toEqual([false, true]);
  });

  it('claims a higher rung over a lower one, never a lower over a higher', async () => {
    await ledger.claimReminder(reminder(3));
    expect(await ledger.claimReminder(reminder(1))).toBe(false);
    expect(await ledger.claimReminder(reminder(4))).toBe(true);
  });

  it('gives a claim back so the next run can send it, but not a claim a later run replaced', async () => {
    await ledger.claimReminder(reminder(1));
    await ledger.releaseReminder(reminder(1), undefined);
    expect((await ledger.loadReminders()).get('r-0123456789abcdef')).toEqual({
      ...reminder(1),
      rung: 0,
      sentAt: '1970-01-01T00:00:00.000Z',
    });
    expect(await ledger.claimReminder(reminder(1, '2026-11-21T06:00:00.000Z'))).toBe(true);
    await ledger.releaseReminder(reminder(1), undefined);
    expect((await ledger.loadReminders()).get('r-0123456789abcdef')).toEqual(
      reminder(1, '2026-11-21T06:00:00.000Z'),
    );
  });

  it('restores the record a released claim replaced', async () => {
    await ledger.claimReminder(reminder(1));
    await ledger.claimReminder(reminder(3, '2026-11-27T06:00:00.000Z'));
    await ledger.releaseReminder(reminder(3, '2026-11-27T06:00:00.000Z'), reminder(1));
    expect((await ledger.loadReminders()).get('r-0123456789abcdef')).toEqual(reminder(1));
  });

  it('claims a rung again only once its unconfirmed claim is past its lease', async () => {
    // Prepare: rung 3 claimed at 06:00, pending until 06:20.
    const pending = (sentAt: string, pendingUntil: string): ReminderRecord => ({
      ...reminder(3, sentAt),
      pendingUntil,
    });
    await ledger.claimReminder(pending('2026-11-20T06:00:00.000Z', '2026-11-20T06:20:00.000Z'));

    // Act
    const within = await ledger.claimReminder(
      pending('2026-11-20T06:19:59.999Z', '2026-11-20T06:39:59.999Z'),
    );
    const after = await ledger.claimReminder(
      pending('2026-11-20T06:20:00.000Z', '2026-11-20T06:40:00.000Z'),
    );
    const concurrent = await ledger.claimReminder(
      pending('2026-11-20T06:20:00.000Z', '2026-11-20T06:40:00.000Z'),
    );

    // Assess
    expect([within, after, concurrent]).toEqual([false, true, false]);
  });

  it('confirms its own claim (no lease left), not a claim a later run replaced', async () => {
    // Prepare
    const claim = { ...reminder(1), pendingUntil: '2026-11-20T06:20:00.000Z' };
    await ledger.claimReminder(claim);

    // Act
    await ledger.confirmReminder(reminder(1, '2026-11-19T06:00:00.000Z'));
    const unconfirmed = (await ledger.loadReminders()).get('r-0123456789abcdef');
    await ledger.confirmReminder(claim);
    const confirmed = (await ledger.loadReminders()).get('r-0123456789abcdef');

    // Assess
    expect(unconfirmed).toEqual(claim);
    expect(confirmed).toEqual(reminder(1));
    expect(await ledger.claimReminder({ ...reminder(1, '2026-11-21T06:00:00.000Z') })).toBe(false);
  });

  it('restores the lease of a released claim that replaced a pending one', async () => {
    const expired = { ...reminder(1), pendingUntil: '2026-11-20T06:20:00.000Z' };
    await ledger.claimReminder(expired);
    const retry = {
      ...reminder(1, '2026-11-20T07:00:00.000Z'),
      pendingUntil: '2026-11-20T07:20:00.000Z',
    };
    expect(await ledger.claimReminder(retry)).toBe(true);
    await ledger.releaseReminder(retry, expired);
    expect((await ledger.loadReminders()).get('r-0123456789abcdef')).toEqual(expired);
  });

  it('writes TTL and key attributes', async () => {
    await ledger.claimReminder(reminder(1));
    const items = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'REMINDER' } },
      }),
    );
    expect(items.Items?.[0]).toMatchObject({
      pk: { S: 'REMINDER' },
      sk: { S: 'r-0123456789abcdef' },
      expiresAt: { N: String(Math.floor(now.getTime() / 1000) + 10 * 86_400) },
    });
  });

  it('writes a new incident only once, and an update only over the version it read', async () => {
    expect(await ledger.writeIncident(incident(), undefined)).toBe(true);
    expect(await ledger.writeIncident(incident(), undefined)).toBe(false);
    const escalated = incident({ announcedSeverity: 'high', version: 2 });
    expect(await ledger.writeIncident(escalated, 1)).toBe(true);
    expect(await ledger.writeIncident(incident({ version: 2 }), 1)).toBe(false);
    expect(await ledger.loadIncidents()).toEqual(new Map([[escalated.id, escalated]]));
  });

  it('keeps an announcement pending until confirmed without its lease', async () => {
    const pending = incident({ pendingUntil: '2026-11-20T12:20:00.000Z' });
    await ledger.writeIncident(pending, undefined);
    const loaded = (await ledger.loadIncidents()).get(pending.id);
    await ledger.writeIncident(incident({ version: 2 }), 1);
    expect(loaded).toEqual(pending);
    expect((await ledger.loadIncidents()).get(pending.id)).toEqual(incident({ version: 2 }));
  });

  it('reads every page of a large ledger', async () => {
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 60; i += 1) {
      await ledger.writeIncident(
        incident({ id: `i-${String(i).padStart(16, '0')}`, title: big }),
        undefined,
      );
    }
    expect((await ledger.loadIncidents()).size).toBe(60);
  });

  it('skips items that are not ledger records', async () => {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: 'REMINDER' }, sk: { S: 'junk' }, rung: { S: 'high' } },
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: 'INCIDENT' }, sk: { S: 'junk' } },
      }),
    );
    expect((await ledger.loadReminders()).size).toBe(0);
    expect((await ledger.loadIncidents()).size).toBe(0);
  });
});

describe('createDynamoDbLedger errors', () => {
  let ddb: ReturnType<typeof mockClient>;
  beforeEach(() => {
    ddb = mockClient(DynamoDBDocumentClient);
  });
  afterEach(() => ddb.restore());

  it('rethrows errors other than a failed condition', async () => {
    ddb
      .on(PutCommand)
      .rejects(
        Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }),
      );
    const ledger = createDynamoDbLedger(new DynamoDBClient({ region: REGION }), { tableName: 't' });
    await expect(ledger.claimReminder(reminder(1))).rejects.toThrow('throttled');
  });

  it('reads a failed condition as "another run was first"', async () => {
    ddb
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const ledger = createDynamoDbLedger(new DynamoDBClient({ region: REGION }), { tableName: 't' });
    expect(await ledger.writeIncident(incident(), undefined)).toBe(false);
  });

  it('sends conditional puts', async () => {
    ddb.on(PutCommand).resolves({});
    const ledger = createDynamoDbLedger(new DynamoDBClient({ region: REGION }), { tableName: 't' });
    await ledger.claimReminder(reminder(2));
    const input = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: 't',
      ConditionExpression:
        'attribute_not_exists(pk) OR #rung < :rung OR (#rung = :rung AND pendingUntil <= :now)',
      ExpressionAttributeValues: { ':rung': 2, ':now': '2026-11-20T06:00:00.000Z' },
    });
  });
});
