import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCallCounter } from '../../lambdas/adapters/call-counter.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { KEY_MATCH_TOLERANCE_MS } from '../../lambdas/core/inventory-builder.js';
import { createLiveAuditSources } from '../../lambdas/sources/live/live-sources.js';
import { runKeyScan } from '../../lambdas/use-cases/run-key-scan.js';
import { memoryLedger, recordingPublisher } from '../use-cases/fakes.js';
import { FAKE_CREDENTIALS, motoEndpoint, REGION } from './moto-aws.js';

/**
 * The key scan against moto's IAM: keys are listed (ListAccessKeys) only for the users whose
 * reminder goes out in this run, counted at the IAM client. An account of its own, so the other
 * tests' users do not mix in.
 */
const ACCOUNT = '310987654321';
const FILLERS = 6;

/** Client options for the test's own account: moto's endpoint and assumed-role credentials. */
interface World {
  readonly aws: {
    readonly region: string;
    readonly endpoint: string;
    readonly maxAttempts: number;
    readonly credentials: {
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken: string;
    };
  };
}

async function createWorld(): Promise<World> {
  const base = { region: REGION, endpoint: motoEndpoint(), maxAttempts: 1 };
  const assumed = await new STSClient({ ...base, credentials: FAKE_CREDENTIALS }).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/credential-health-test`,
      RoleSessionName: 'key-scan-calls',
    }),
  );
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error('AssumeRole gave no credentials');
  const aws = {
    ...base,
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    },
  };
  const iam = new IAMClient(aws);
  // Two active keys: a weekly multiple-active-keys reminder. Keys made within 5 s of each other
  // cannot be joined to their slots, so the second one waits.
  await iam.send(new CreateUserCommand({ UserName: 'two-keys' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' }));
  await new Promise((resolve) => setTimeout(resolve, KEY_MATCH_TOLERANCE_MS + 1_100));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' }));
  for (let i = 0; i < FILLERS; i += 1) {
    await iam.send(new CreateUserCommand({ UserName: `no-keys-${i}` }));
  }
  return { aws };
}

/** One scan with fresh clients; returns the users whose keys it listed. */
async function scanOnce(
  world: World,
  deps: Omit<Parameters<typeof runKeyScan>[0], 'sources'>,
): Promise<{ listed: string[]; summary: Awaited<ReturnType<typeof runKeyScan>> }> {
  const iam = new IAMClient(world.aws);
  const listed: string[] = [];
  iam.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ListAccessKeysCommand') {
        listed.push(String((args.input as { UserName?: string }).UserName));
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordListAccessKeys' },
  );
  const sources = createLiveAuditSources({
    iam,
    sts: new STSClient(world.aws),
    cloudTrail: new CloudTrailClient(world.aws),
    s3: new S3Client(world.aws),
    logs: new CloudWatchLogsClient(world.aws),
    counter: createCallCounter(),
    region: REGION,
    accountId: ACCOUNT,
  });
  const summary = await runKeyScan({ ...deps, sources }, DEFAULT_CONFIG);
  return { listed, summary };
}

describe('the key scan against moto lists keys only for what it reminds', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });

  it('lists the reminded users once, and nobody on a second scan the same day', async () => {
    // Prepare
    const ledger = memoryLedger();
    const publisher = recordingPublisher();
    const now = new Date();
    const deps = { ledger, publish: publisher.publish, clock: { now: () => now } };
    // Act
    const first = await scanOnce(world, deps);
    const second = await scanOnce(world, deps);
    // Assess
    expect(first.listed).toEqual(['two-keys']);
    expect(first.summary.reminded).toBeGreaterThan(0);
    expect(JSON.stringify(publisher.sent)).toContain('multiple-active-keys');
    expect(second.listed).toEqual([]);
    expect(second.summary).toMatchObject({ reminded: 0, messagesPublished: 0 });
  });
});
