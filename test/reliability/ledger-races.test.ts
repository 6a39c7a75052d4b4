import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbLedger } from '../../lambdas/adapters/ledger-dynamodb.js';
import { publishMessages } from '../../lambdas/adapters/sns-publisher.js';
import { CLAIM_LEASE_MS } from '../../lambdas/core/claim-lease.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { OutgoingMessage } from '../../lambdas/render/notifications/outgoing-message.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import type { PublishResult } from '../../lambdas/use-cases/publish.js';
import { runKeyScan } from '../../lambdas/use-cases/run-key-scan.js';
import { runTrailWatch } from '../../lambdas/use-cases/run-trail-watch.js';
import { ROOT } from '../cli/spawn-cli.js';
import { FAKE_CREDENTIALS, motoClients, motoEndpoint, REGION } from '../integration/moto-aws.js';
import { fakeTime, faultyMotoClients, uniqueName } from './support.js';

/**
 * Concurrent runs, retried invocations and a run that dies mid-way, with the real use cases,
 * the real DynamoDB ledger (conditional writes, in moto) and the real SNS publisher (moto, with
 * faults injected): no reminder or incident is announced twice, and none is lost when a publish
 * fails.
 */

const RISKY = join(ROOT, 'test', 'fixtures', 'export-dirs', 'risky');
const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const WATCH = { config: DEFAULT_CONFIG, lookbackMs: 24 * HOUR, quietPeriodMs: 6 * HOUR };
let topicArn: string;

beforeAll(async () => {
  const topic = await motoClients().sns.send(
    new CreateTopicCommand({ Name: uniqueName('ledger') }),
  );
  topicArn = topic.TopicArn ?? '';
});

async function motoLedger() {
  const client = new DynamoDBClient({
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
  const tableName = `reliability-ledger-${randomUUID()}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  return createDynamoDbLedger(client, { tableName, now: () => NOW });
}

/** The real publisher over moto SNS with `faults`; records what SNS accepted. */
function snsPublisher(faults = '') {
  const { clients } = faultyMotoClients(faults, fakeTime());
  const sent: OutgoingMessage[] = [];
  return {
    sent,
    publish: async (messages: readonly OutgoingMessage[]): Promise<PublishResult> => {
      const summary = await publishMessages(clients.sns, topicArn, messages);
      const failed = new Set(summary.failed.map((f) => f.id));
      sent.push(...messages.filter((m) => !failed.has(m.id)));
      return summary;
    },
  };
}

type MotoLedger = Awaited<ReturnType<typeof motoLedger>>;

/**
 * The same ledger for `runs` runs that each wait until all of them have read it: every run
 * decides from the same empty ledger, so only the conditional writes can keep them apart (left
 * to the scheduler, one run may finish writing before the other reads, and nothing races).
 */
function readTogether(ledger: MotoLedger, runs: number): MotoLedger {
  let waiting = runs;
  let release = () => {};
  const allRead = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    ...ledger,
    loadIncidents: async () => {
      const records = await ledger.loadIncidents();
      waiting -= 1;
      if (waiting === 0) release();
      await allRead;
      return records;
    },
  };
}

function watchDeps(ledger: MotoLedger, publish: ReturnType<typeof snsPublisher>['publish']) {
  return { sources: createExportDirSources(RISKY), ledger, publish, clock: { now: () => NOW } };
}

describe('trail-watch with the DynamoDB ledger', () => {
  it('two runs at once announce each incident once between them', async () => {
    // Prepare
    const ledger = readTogether(await motoLedger(), 2);
    const first = snsPublisher();
    const second = snsPublisher();

    // Act
    const [a, b] = await Promise.all([
      runTrailWatch(watchDeps(ledger, first.publish), WATCH),
      runTrailWatch(watchDeps(ledger, second.publish), WATCH),
    ]);

    // Assess
    expect(a.incidents).toBeGreaterThan(0);
    expect(a.announced + b.announced).toBe(a.incidents);
    expect(a.lostRaces + b.lostRaces).toBe(a.incidents);
    const all = [...first.sent, ...second.sent];
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    expect(all).toHaveLength(a.incidents);
  });

  it('SNS down: the invocation fails (so Lambda retries) and the retry announces everything once', async () => {
    // Prepare
    const ledger = await motoLedger();
    const down = snsPublisher('sns:*=InternalError');
    const up = snsPublisher();

    // Act
    const failed = await runTrailWatch(watchDeps(ledger, down.publish), WATCH).catch(
      (e: unknown) => e,
    );
    const retried = await runTrailWatch(watchDeps(ledger, up.publish), WATCH);
    const again = await runTrailWatch(watchDeps(ledger, up.publish), WATCH);

    // Assess
    expect((failed as Error).message).toMatch(/^sns:PublishBatch failed: InternalError/);
    expect(down.sent).toEqual([]);
    expect(retried.announced).toBe(retried.incidents);
    expect(up.sent).toHaveLength(retried.incidents);
    expect(again).toMatchObject({ announced: 0, messagesPublished: 0 });
  });

  it('a retried invocation after a successful one announces nothing', async () => {
    // Prepare
    const ledger = await motoLedger();
    const sns = snsPublisher();

    // Act
    const first = await runTrailWatch(watchDeps(ledger, sns.publish), WATCH);
    const retry = await runTrailWatch(watchDeps(ledger, sns.publish), WATCH);

    // Assess
    expect(first.announced).toBeGreaterThan(0);
    expect(retry).toMatchObject({ announced: 0, escalated: 0, ended: 0, messagesPublished: 0 });
    expect(sns.sent).toHaveLength(first.announced);
  });

  it('a run killed between its ledger write and its publish loses no incident', async () => {
    // Prepare
    const ledger = await motoLedger();
    const sns = snsPublisher();
    const { killed, publishing } = frozenAtPublish();
    const at = (time: Date) => ({ ...watchDeps(ledger, sns.publish), clock: { now: () => time } });

    // Act: the first run never gets past publishing (the function is frozen, then killed).
    void runTrailWatch(watchDeps(ledger, killed), WATCH);
    await publishing;
    const concurrent = await runTrailWatch(watchDeps(ledger, sns.publish), WATCH);
    const withinLease = await runTrailWatch(
      at(new Date(NOW.getTime() + CLAIM_LEASE_MS - 1)),
      WATCH,
    );
    const afterLease = await runTrailWatch(at(new Date(NOW.getTime() + CLAIM_LEASE_MS)), WATCH);
    const next = await runTrailWatch(at(new Date(NOW.getTime() + CLAIM_LEASE_MS + 1)), WATCH);

    // Assess: nothing while the first run may still publish, everything once after its lease.
    expect(concurrent).toMatchObject({ announced: 0, messagesPublished: 0 });
    expect(withinLease).toMatchObject({ announced: 0, messagesPublished: 0 });
    expect(afterLease.announced).toBe(afterLease.incidents);
    expect(afterLease.announced).toBeGreaterThan(0);
    expect(sns.sent).toHaveLength(afterLease.incidents);
    expect(next).toMatchObject({ announced: 0, ended: 0, messagesPublished: 0 });
  });
});

describe('key-scan with the DynamoDB ledger', () => {
  function scanDeps(ledger: MotoLedger, publish: ReturnType<typeof snsPublisher>['publish']) {
    return { sources: createExportDirSources(RISKY), ledger, publish, clock: { now: () => NOW } };
  }
  const remindedIds = (messages: readonly OutgoingMessage[]): string[] =>
    messages
      .flatMap(
        (m) =>
          (JSON.parse(m.bodies.lambda ?? '{}') as { findings?: { id: string }[] }).findings ?? [],
      )
      .map((f) => f.id)
      .sort();

  it('two scans at once send each reminder once between them', async () => {
    // Prepare: what one scan alone sends, on a ledger of its own.
    const alone = snsPublisher();
    await runKeyScan(scanDeps(await motoLedger(), alone.publish), DEFAULT_CONFIG);
    const ledger = await motoLedger();
    const first = snsPublisher();
    const second = snsPublisher();

    // Act
    const [a, b] = await Promise.all([
      runKeyScan(scanDeps(ledger, first.publish), DEFAULT_CONFIG),
      runKeyScan(scanDeps(ledger, second.publish), DEFAULT_CONFIG),
    ]);

    // Assess: together they sent exactly what one scan sends, nothing twice, nothing missing.
    const reminded = remindedIds([...first.sent, ...second.sent]);
    expect(reminded.length).toBeGreaterThan(0);
    expect(reminded).toEqual(remindedIds(alone.sent));
    expect(a.reminded + b.reminded).toBe(reminded.length);
  });

  it('SNS down: the scan fails, the claims are given back, the retry sends every reminder once', async () => {
    // Prepare
    const ledger = await motoLedger();
    const down = snsPublisher('sns:*=InternalError');
    const up = snsPublisher();

    // Act
    const failed = await runKeyScan(scanDeps(ledger, down.publish), DEFAULT_CONFIG).catch(
      (e: unknown) => e,
    );
    const retried = await runKeyScan(scanDeps(ledger, up.publish), DEFAULT_CONFIG);
    const again = await runKeyScan(scanDeps(ledger, up.publish), DEFAULT_CONFIG);

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(retried.reminded).toBeGreaterThan(0);
    expect(remindedIds(up.sent)).toHaveLength(retried.reminded);
    expect(again).toMatchObject({ reminded: 0, messagesPublished: 0 });
  });

  it('a scan killed between its claims and its publish loses no reminder', async () => {
    // Prepare
    const ledger = await motoLedger();
    const sns = snsPublisher();
    const { killed, publishing } = frozenAtPublish();
    const at = (time: Date) => ({ ...scanDeps(ledger, sns.publish), clock: { now: () => time } });

    // Act: the first scan never gets past publishing (the function is frozen, then killed).
    void runKeyScan(scanDeps(ledger, killed), DEFAULT_CONFIG);
    await publishing;
    const withinLease = await runKeyScan(
      at(new Date(NOW.getTime() + CLAIM_LEASE_MS - 1)),
      DEFAULT_CONFIG,
    );
    const afterLease = await runKeyScan(
      at(new Date(NOW.getTime() + CLAIM_LEASE_MS)),
      DEFAULT_CONFIG,
    );
    const next = await runKeyScan(at(new Date(NOW.getTime() + CLAIM_LEASE_MS + 1)), DEFAULT_CONFIG);

    // Assess: nothing while the first scan may still publish, every reminder once after its lease.
    expect(withinLease).toMatchObject({ reminded: 0, messagesPublished: 0 });
    expect(afterLease.reminded).toBeGreaterThan(0);
    expect(remindedIds(sns.sent)).toHaveLength(afterLease.reminded);
    expect(next).toMatchObject({ reminded: 0, messagesPublished: 0 });
  });
});

/**
 * A publisher that never returns, as a function frozen and then killed mid-publish would be;
 * `publishing` resolves once the run has reached it.
 */
function frozenAtPublish(): { killed: () => Promise<PublishResult>; publishing: Promise<void> } {
  let reachedPublish: () => void = () => {};
  const publishing = new Promise<void>((resolve) => {
    reachedPublish = resolve;
  });
  const killed = () => {
    reachedPublish();
    return new Promise<PublishResult>(() => {});
  };
  return { killed, publishing };
}
