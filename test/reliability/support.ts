import { createServer } from 'node:http';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GenerateCredentialReportCommand } from '@aws-sdk/client-iam';
import { type AwsClients, createAwsClients } from '../../lambdas/adapters/clients.js';
import {
  createFaultInjector,
  type FaultInjector,
  parseFaultPlan,
} from '../../lambdas/adapters/fault-injection.js';
import type { LiveSourcesDeps } from '../../lambdas/sources/live/live-sources.js';
import { createTimeBudget, type TimeBudget } from '../../lambdas/sources/live/time-budget.js';
import { FAKE_CREDENTIALS, MOTO_ACCOUNT, motoEndpoint, REGION } from '../integration/moto-aws.js';

/**
 * A fake clock that only moves when something sleeps: waits cost no real time, and a test can
 * say exactly how much (fake) time a run took.
 */
export interface FakeTime {
  now(): number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly waits: number[];
}

export function fakeTime(start = 0): FakeTime {
  let now = start;
  const waits: number[] = [];
  return {
    now: () => now,
    waits,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** Clients against moto with `CREDHEALTH_FAULTS`-style faults; `delay:MS` advances `time`. */
export function faultyMotoClients(
  faults: string,
  time: FakeTime,
  options: {
    readonly maxAttempts?: number;
    readonly cloudTrailEndpoint?: string;
    readonly region?: string;
  } = {},
): { clients: AwsClients; injector: FaultInjector } {
  const injector = createFaultInjector(parseFaultPlan(faults), time.sleep);
  const common = {
    region: options.region ?? REGION,
    credentials: FAKE_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: options.maxAttempts ?? 1,
    faults: injector,
  };
  const clients = createAwsClients({ ...common, endpoint: motoEndpoint() });
  if (options.cloudTrailEndpoint === undefined) return { clients, injector };
  // Same injector and counter: the fake CloudTrail is faulted and counted like the rest.
  const trail = createAwsClients({
    ...common,
    endpoint: options.cloudTrailEndpoint,
    counter: clients.counter,
  });
  return { clients: { ...clients, cloudTrail: trail.cloudTrail }, injector };
}

/**
 * Live-source deps over the clients, every adapter wait on the fake clock. The workload logs
 * are read from `logGroups` only (not `/aws/lambda/*`), so these tests neither see nor add to
 * what the other moto tests seed.
 */
export function liveDeps(
  clients: AwsClients,
  time: FakeTime,
  overrides: Partial<LiveSourcesDeps> = {},
): LiveSourcesDeps {
  return {
    iam: clients.iam,
    sts: clients.sts,
    cloudTrail: clients.cloudTrail,
    s3: clients.s3,
    logs: clients.logs,
    counter: clients.counter,
    region: REGION,
    accountId: MOTO_ACCOUNT,
    cloudTrailMode: 'lookup',
    includeLambdaLogGroups: false,
    logGroups: [],
    credentialReport: { sleep: time.sleep },
    lookup: { sleep: time.sleep, clock: time.now },
    logsQuery: { sleep: time.sleep },
    ...overrides,
  };
}

/** A budget of `ms` on the fake clock. */
export function fakeBudget(time: FakeTime, ms: number): TimeBudget {
  return createTimeBudget(time.now() + ms, { clock: time.now, sleep: time.sleep });
}

/** A log group only this test reads, with credential-error lines stamped `at`. */
export async function seedPrivateLogGroup(
  clients: AwsClients,
  name: string,
  lines: readonly string[],
  at: Date,
): Promise<void> {
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: 's' }));
  await clients.logs.send(
    new PutLogEventsCommand({
      logGroupName: name,
      logStreamName: 's',
      logEvents: lines.map((message, i) => ({ timestamp: at.getTime() + i, message })),
    }),
  );
}

/**
 * Makes sure moto's default account has a credential report, as an account audited within the
 * last four hours has in AWS. moto answers the account's first GenerateCredentialReport with
 * `STARTED` (one more 2 s wait) and every later one with `COMPLETE`, so without this the waits a
 * test counts, or whether a small time budget suffices, would depend on whether an earlier test
 * (of any file) had asked for a report in the shared moto.
 */
export async function ensureCredentialReport(): Promise<void> {
  const { clients } = faultyMotoClients('', fakeTime());
  await clients.iam.send(new GenerateCredentialReportCommand({}));
}

/** A name no other test (or earlier run against the same moto) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A CloudTrail event of root signing in with its password, `minutesAgo` before `now`. */
function rootEvent(now: number, minutesAgo: number, i: number): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    eventTime: new Date(now - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'iam.amazonaws.com',
    eventName: 'GetAccountSummary',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    eventID: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    eventType: 'AwsApiCall',
    recipientAccountId: MOTO_ACCOUNT,
    userIdentity: {
      type: 'Root',
      principalId: MOTO_ACCOUNT,
      arn: `arn:aws:iam::${MOTO_ACCOUNT}:root`,
      accountId: MOTO_ACCOUNT,
    },
  };
}

/**
 * moto has no CloudTrail LookupEvents, so this answers it (and DescribeTrails: no trail) over
 * HTTP in CloudTrail's JSON protocol: `pages` pages of `perPage` root events, newest first.
 * Requests go through the real SDK client, its middleware (faults, counter) and its parser.
 */
export async function startFakeCloudTrail(
  pages = 3,
  perPage = 2,
): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
  const now = Date.now();
  let requests = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      requests += 1;
      const target = String(request.headers['x-amz-target'] ?? '');
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target.endsWith('.DescribeTrails')) {
        response.end(JSON.stringify({ trailList: [] }));
        return;
      }
      if (!target.endsWith('.LookupEvents')) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
        return;
      }
      const input = JSON.parse(body || '{}') as { NextToken?: string };
      const page = Number(input.NextToken ?? '0');
      const events = Array.from({ length: perPage }, (_, j) => {
        const i = page * perPage + j;
        const event = rootEvent(now, 10 + i, i);
        return { EventId: String(event.eventID), CloudTrailEvent: JSON.stringify(event) };
      });
      response.end(
        JSON.stringify({
          Events: events,
          ...(page + 1 < pages ? { NextToken: String(page + 1) } : {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A server that accepts connections and never answers: a hung service, or a black-holed route. */
export async function startSilentServer(): Promise<{
  endpoint: string;
  close: () => Promise<void>;
}> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
