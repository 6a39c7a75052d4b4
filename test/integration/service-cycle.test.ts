import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../lambdas/adapters/clients.js';
import { createDynamoDbLedger } from '../../lambdas/adapters/ledger-dynamodb.js';
import { publishMessages } from '../../lambdas/adapters/sns-publisher.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import { liveSources } from '../../lambdas/use-cases/live-deps.js';
import { runKeyScan } from '../../lambdas/use-cases/run-key-scan.js';
import { runTrailWatch } from '../../lambdas/use-cases/run-trail-watch.js';
import { createLedgerTable, FAKE_CREDENTIALS, motoEndpoint, REGION } from './moto-aws.js';

/**
 * The deployed cycle, in process, against moto: IAM (an account of its own, so other tests'
 * users do not mix in), the DynamoDB ledger, and SNS delivering to an SQS queue.
 */
const ACCOUNT = '210987654321';
const DAY = 86_400_000;
const RISKY = join(import.meta.dirname, '..', 'fixtures', 'export-dirs', 'risky');

interface World {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  topicArn: string;
  queueUrl: string;
  tableName: string;
  keyCreatedAt: Date;
}

async function createWorld(): Promise<World> {
  const endpoint = motoEndpoint();
  const base = { region: REGION, endpoint, maxAttempts: 1 };
  // moto ties credentials from AssumeRole to the role's account: IAM state of our own.
  const assumed = await new STSClient({ ...base, credentials: FAKE_CREDENTIALS }).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/credential-health-test`,
      RoleSessionName: 'service-cycle',
    }),
  );
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error('AssumeRole gave no credentials');
  const credentials = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  };
  const aws = { ...base, credentials };

  const iam = new IAMClient(aws);
  await iam.send(
    new CreateUserCommand({
      UserName: 'deploy-bot',
      Tags: [{ Key: 'credential-health:owner', Value: 'platform@example.com' }],
    }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'deploy-bot' }));
  const keyCreatedAt = key.AccessKey?.CreateDate ?? new Date();

  const sns = new SNSClient(aws);
  const topic = await sns.send(new CreateTopicCommand({ Name: 'credential-health-cycle' }));
  const queue = await sqs<{ QueueUrl: string }>(credentials.accessKeyId, 'CreateQueue', {
    QueueName: 'credential-health-cycle',
  });
  const { Attributes } = await sqs<{ Attributes: { QueueArn: string } }>(
    credentials.accessKeyId,
    'GetQueueAttributes',
    {
      QueueUrl: queue.QueueUrl,
      AttributeNames: ['QueueArn'],
    },
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );

  const tableName = 'credential-health-ledger';
  await createLedgerTable(new DynamoDBClient(aws), tableName);
  if (!topic.TopicArn || !queue.QueueUrl) throw new Error('moto did not create the topic or queue');
  return {
    credentials,
    topicArn: topic.TopicArn,
    queueUrl: queue.QueueUrl,
    tableName,
    keyCreatedAt,
  };
}

/**
 * SQS over its JSON protocol (the project has no SQS client). moto reads the account from the
 * access key id in the Authorization header; the signature is not checked.
 */
async function sqs<T>(
  accessKeyId: string,
  action: string,
  body: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(`${motoEndpoint()}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261123/${REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`SQS ${action}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Everything the queue received since the last call (read messages are deleted). */
async function drain(world: World): Promise<{ kind: string; body: Record<string, unknown> }[]> {
  const key = world.credentials.accessKeyId;
  const received: { kind: string; body: Record<string, unknown> }[] = [];
  for (;;) {
    const { Messages } = await sqs<{
      Messages?: {
        Body: string;
        ReceiptHandle: string;
        MessageAttributes?: Record<string, { StringValue?: string }>;
      }[];
    }>(key, 'ReceiveMessage', {
      QueueUrl: world.queueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      WaitTimeSeconds: 0,
    });
    if (!Messages || Messages.length === 0) return received;
    for (const m of Messages) {
      received.push({
        kind: m.MessageAttributes?.kind?.StringValue ?? '',
        body: JSON.parse(m.Body) as Record<string, unknown>,
      });
      await sqs(key, 'DeleteMessage', { QueueUrl: world.queueUrl, ReceiptHandle: m.ReceiptHandle });
    }
  }
}

describe('service cycle against moto', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });

  const deps = (now: Date) => {
    const clients = createAwsClients({
      region: REGION,
      endpoint: motoEndpoint(),
      credentials: world.credentials,
      maxAttempts: 1,
    });
    const ledger = createDynamoDbLedger(
      new DynamoDBClient({
        region: REGION,
        endpoint: motoEndpoint(),
        credentials: world.credentials,
        maxAttempts: 1,
      }),
      {
        tableName: world.tableName,
        now: () => now,
      },
    );
    return {
      clients,
      ledger,
      clock: { now: () => now },
      publish: (m: Parameters<typeof publishMessages>[2]) =>
        publishMessages(clients.sns, world.topicArn, m),
    };
  };

  it('a key scan publishes the rotation reminder once; a second scan the same day publishes none', async () => {
    // Prepare: 80 days after the key was made, it is due for rotation (limit 90, lead 14).
    const now = new Date(world.keyCreatedAt.getTime() + 80 * DAY);
    const d = deps(now);
    const scanDeps = async () => ({
      sources: await liveSources(d.clients),
      ledger: d.ledger,
      publish: d.publish,
      clock: d.clock,
    });
    // Act
    const first = await runKeyScan(await scanDeps(), DEFAULT_CONFIG);
    const afterFirst = await drain(world);
    const second = await runKeyScan(await scanDeps(), DEFAULT_CONFIG);
    const afterSecond = await drain(world);
    // Assess
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    const reminders = afterFirst.filter((m) => m.kind === 'reminder');
    expect(reminders).toHaveLength(1);
    const findings = reminders[0]?.body.findings as {
      check: string;
      principal: { name: string };
    }[];
    expect(findings.map((f) => [f.check, f.principal.name])).toContainEqual([
      'key-rotation-due',
      'deploy-bot',
    ]);
    expect(second).toMatchObject({ reminded: 0, messagesPublished: 0 });
    expect(afterSecond).toEqual([]);
  });

  it('trail-watch over overlapping windows announces each incident once', async () => {
    // Prepare: the fixture's CloudTrail and log files hold incidents from about 09:00.
    const first = deps(new Date('2026-11-20T12:00:00Z'));
    const second = deps(new Date('2026-11-20T12:15:00Z'));
    const options = {
      config: DEFAULT_CONFIG,
      lookbackMs: 24 * 3_600_000,
      quietPeriodMs: 6 * 3_600_000,
    };
    // Act
    const one = await runTrailWatch(
      {
        sources: createExportDirSources(RISKY),
        ledger: first.ledger,
        publish: first.publish,
        clock: first.clock,
      },
      options,
    );
    const afterOne = await drain(world);
    const two = await runTrailWatch(
      {
        sources: createExportDirSources(RISKY),
        ledger: second.ledger,
        publish: second.publish,
        clock: second.clock,
      },
      options,
    );
    const afterTwo = await drain(world);
    // Assess
    expect(one, JSON.stringify(one)).toMatchObject({ lostRaces: 0 });
    expect(one.announced).toBeGreaterThan(0);
    expect(afterOne.filter((m) => m.kind === 'incident')).toHaveLength(one.announced);
    expect(new Set(afterOne.map((m) => (m.body.incident as { id: string }).id)).size).toBe(
      one.announced,
    );
    expect(two).toMatchObject({ announced: 0, escalated: 0, ended: 0, messagesPublished: 0 });
    expect(afterTwo).toEqual([]);
  });
});
