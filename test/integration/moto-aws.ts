import { gzipSync } from 'node:zlib';
import {
  type CloudTrailClient,
  CreateTrailCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { type AwsClients, createAwsClients } from '../../lambdas/adapters/clients.js';
import { KEY_MATCH_TOLERANCE_MS } from '../../lambdas/core/inventory-builder.js';

/** The account moto uses for the documentation key below. */
export const MOTO_ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** The moto endpoint of the global setup; fails the test with moto's error when it is not running. */
export function motoEndpoint(): string {
  const endpoint = inject('motoEndpoint');
  if (endpoint === null)
    throw new Error(`moto is not running: ${inject('motoError') ?? 'unknown reason'}`);
  return endpoint;
}

/** Our clients, pointed at moto with fake credentials. */
export function motoClients(region = REGION): AwsClients {
  return createAwsClients({
    region,
    endpoint: motoEndpoint(),
    credentials: FAKE_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

export interface SeededUser {
  readonly name: string;
  readonly keyIds: readonly string[];
}

export interface SeededAccount {
  readonly users: Readonly<Record<string, SeededUser>>;
  readonly fillerUsers: number;
}

/**
 * The IAM state the audit tests read:
 * - `ci-bot`: machine user (no password), two active keys, owned by platform@example.com;
 * - `alice`: console user without MFA, one active key that has been used, owned by alice@example.com;
 * - `bob`: console user with MFA, key 1 inactive and key 2 active, exemption tag that has expired;
 * - `vendor`: one active key, exempt until 2099-12-31;
 * - `orphan`: one active key, no owner tag (its reminder goes to the account digest);
 * - `filler-000…`: users without keys, enough to make IAM paginate (more than 100).
 */
export async function seedIam(iam: IAMClient, fillerUsers = 110): Promise<SeededAccount> {
  const endpoint = motoEndpoint();
  const createUser = async (name: string, tags: Record<string, string> = {}) =>
    iam.send(
      new CreateUserCommand({
        UserName: name,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  const createKey = async (name: string): Promise<{ id: string; secret: string }> => {
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return {
      id: created.AccessKey?.AccessKeyId ?? '',
      secret: created.AccessKey?.SecretAccessKey ?? '',
    };
  };

  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-moto' }));

  await createUser('ci-bot', {
    'credential-health:owner': 'platform@example.com',
    team: 'platform',
  });
  // Key ids are joined to report slots by creation time, within KEY_MATCH_TOLERANCE_MS (5 s):
  // two active keys made closer together cannot be told apart, so the second one waits.
  const ciKey1 = await createKey('ci-bot');
  await new Promise((resolve) => setTimeout(resolve, KEY_MATCH_TOLERANCE_MS + 1_100));
  const ciKeys = [ciKey1, await createKey('ci-bot')];

  await createUser('alice', { 'credential-health:owner': 'alice@example.com' });
  await iam.send(
    new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Example-Passw0rd-Not-Real' }),
  );
  const aliceKey = await createKey('alice');
  // moto records a key as used when a request is signed with it, as AWS does.
  const asAlice = new IAMClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: aliceKey.id, secretAccessKey: aliceKey.secret },
    maxAttempts: 1,
  });
  await asAlice.send(new GetUserCommand({ UserName: 'alice' }));

  await createUser('bob', {
    'credential-health:owner': 'bob@example.com',
    'credential-health:exempt': '2026-01-31',
  });
  await iam.send(
    new CreateLoginProfileCommand({ UserName: 'bob', Password: 'Example-Passw0rd-Not-Real' }),
  );
  const mfa = await iam.send(
    new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'bob-mfa' }),
  );
  await iam.send(
    new EnableMFADeviceCommand({
      UserName: 'bob',
      SerialNumber: mfa.VirtualMFADevice?.SerialNumber ?? '',
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
    }),
  );
  const bobKeys = [await createKey('bob'), await createKey('bob')];
  await iam.send(
    new UpdateAccessKeyCommand({
      UserName: 'bob',
      AccessKeyId: bobKeys[0]?.id ?? '',
      Status: 'Inactive',
    }),
  );

  await createUser('vendor', {
    'credential-health:owner': 'vendor@example.com',
    'credential-health:exempt': '2099-12-31',
  });
  const vendorKey = await createKey('vendor');

  await createUser('orphan');
  const orphanKey = await createKey('orphan');

  for (let i = 0; i < fillerUsers; i += 1) {
    await createUser(`filler-${String(i).padStart(3, '0')}`, i % 2 === 0 ? { team: 'filler' } : {});
  }

  const user = (name: string, keys: { id: string }[]): SeededUser => ({
    name,
    keyIds: keys.map((k) => k.id),
  });
  return {
    users: {
      'ci-bot': user('ci-bot', ciKeys),
      alice: user('alice', [aliceKey]),
      bob: user('bob', bobKeys),
      vendor: user('vendor', [vendorKey]),
      orphan: user('orphan', [orphanKey]),
    },
    fillerUsers,
  };
}

/** A CloudTrail log file name as CloudTrail writes it. */
export function trailFileKey(root: string, region: string, at: Date, suffix: string): string {
  const iso = at.toISOString();
  const day = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  return `${root}CloudTrail/${region}/${day}/${MOTO_ACCOUNT}_CloudTrail_${region}_${stamp}_${suffix}.json.gz`;
}

/** A bucket with a trail (prefix `audit`) and the given gzipped log files in it. */
export async function seedTrail(
  s3: S3Client,
  cloudTrail: CloudTrailClient,
  bucket: string,
  files: Readonly<Record<string, unknown>>,
): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
  await cloudTrail.send(
    new CreateTrailCommand({
      Name: 'management',
      S3BucketName: bucket,
      S3KeyPrefix: 'audit',
      IsMultiRegionTrail: false,
    }),
  );
  await cloudTrail.send(new StartLoggingCommand({ Name: 'management' }));
  for (const [key, body] of Object.entries(files)) {
    const bytes = typeof body === 'string' ? Buffer.from(body) : gzipSync(JSON.stringify(body));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  }
}

/** A Lambda log group with the given lines, stamped at `at`. */
export async function seedLogGroup(
  logs: CloudWatchLogsClient,
  group: string,
  lines: readonly string[],
  at: Date,
): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(
    new CreateLogStreamCommand({ logGroupName: group, logStreamName: '2026/11/23/[$LATEST]abc' }),
  );
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: '2026/11/23/[$LATEST]abc',
      logEvents: lines.map((message, i) => ({ timestamp: at.getTime() + i, message })),
    }),
  );
}

/** A ledger table with the key schema the construct gives it (`pk`, `sk`, on demand). */
export async function createLedgerTable(client: DynamoDBClient, tableName: string): Promise<void> {
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
}
