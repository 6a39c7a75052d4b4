import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CREDENTIAL_ERROR_QUERY,
  listLambdaLogGroups,
  queryCredentialErrors,
  toLogEntry,
} from '../../lambdas/adapters/logs-insights.js';
import { createStreamStats } from '../../lambdas/adapters/stream-stats.js';
import type { LogEntry } from '../../lambdas/core/sources.js';

const logsMock = mockClient(CloudWatchLogsClient);
const WINDOW = { start: new Date('2026-11-19T12:00:00Z'), end: new Date('2026-11-20T12:00:00Z') };
const row = (message: string, group = '123456789012:/aws/lambda/orders-sync') => [
  { field: '@timestamp', value: '2026-11-20 09:00:01.123' },
  { field: '@log', value: group },
  { field: '@logStream', value: '2026/11/20/[$LATEST]abc' },
  { field: '@message', value: message },
  { field: '@ptr', value: 'opaque' },
];

async function collect(iterable: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const items: LogEntry[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('Logs Insights', () => {
  beforeEach(() => {
    logsMock.reset();
  });

  it('lists every page of /aws/lambda/ log groups', async () => {
    logsMock
      .on(DescribeLogGroupsCommand)
      .resolvesOnce({ logGroups: [{ logGroupName: '/aws/lambda/a' }], nextToken: 'n' })
      .resolvesOnce({ logGroups: [{ logGroupName: '/aws/lambda/b' }] });

    expect(await listLambdaLogGroups(new CloudWatchLogsClient({}))).toEqual([
      '/aws/lambda/a',
      '/aws/lambda/b',
    ]);
    expect(logsMock).toHaveReceivedCommandWith(DescribeLogGroupsCommand, {
      logGroupNamePrefix: '/aws/lambda/',
    });
  });

  it('queries at most 50 groups at a time, over the window in epoch seconds', async () => {
    // Prepare
    const groups = Array.from({ length: 120 }, (_, i) => `/aws/lambda/f${i}`);
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q' });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
    const stats = createStreamStats();

    // Act
    await collect(
      queryCredentialErrors(new CloudWatchLogsClient({}), groups, WINDOW, stats, {
        sleep: async () => {},
      }),
    );

    // Assess
    const sizes = logsMock
      .commandCalls(StartQueryCommand)
      .map((call) => call.args[0].input.logGroupNames?.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(logsMock).toHaveReceivedCommandWith(StartQueryCommand, {
      startTime: 1_795_089_600,
      endTime: 1_795_176_000,
      queryString: CREDENTIAL_ERROR_QUERY,
      limit: 10_000,
    });
    expect(stats.units).toBe(3);
  });

  it('polls until the query completes and yields the matching lines as LogEntry', async () => {
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q1' });
    logsMock
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Scheduled' })
      .resolvesOnce({ status: 'Running' })
      .resolves({
        status: 'Complete',
        results: [
          row('botocore.exceptions.NoCredentialsError: Unable to locate credentials'),
          row('INFO all good'),
        ],
      });
    const waits: number[] = [];
    const stats = createStreamStats();

    const entries = await collect(
      queryCredentialErrors(
        new CloudWatchLogsClient({}),
        ['/aws/lambda/orders-sync'],
        WINDOW,
        stats,
        {
          sleep: async (ms) => void waits.push(ms),
          pollIntervalMs: 500,
        },
      ),
    );

    expect(entries).toEqual([
      {
        timestamp: '2026-11-20 09:00:01.123',
        logGroup: '/aws/lambda/orders-sync',
        logStream: '2026/11/20/[$LATEST]abc',
        message: 'botocore.exceptions.NoCredentialsError: Unable to locate credentials',
      },
    ]);
    expect(waits).toEqual([500, 500]);
    expect(stats).toMatchObject({ records: 1, skipped: 0 });
  });

  it('stops a query that runs past the bound and says which groups were not read', async () => {
    logsMock.on(StartQueryCommand).resolves({ queryId: 'slow' });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    logsMock.on(StopQueryCommand).resolves({ success: true });
    const stats = createStreamStats();

    const entries = await collect(
      queryCredentialErrors(
        new CloudWatchLogsClient({}),
        ['/aws/lambda/a', '/aws/lambda/b'],
        WINDOW,
        stats,
        {
          sleep: async () => {},
          pollIntervalMs: 1_000,
          maxWaitMs: 3_000,
        },
      ),
    );

    expect(entries).toEqual([]);
    expect(logsMock).toHaveReceivedCommandWith(StopQueryCommand, { queryId: 'slow' });
    expect(stats.skipped).toBe(2);
    expect(stats.notes[0]).toBe('2 log groups not read: query still running after 3 s, stopped');
  });

  it('skips a batch naming a log group that does not exist and still reads the others', async () => {
    const groups = [...Array.from({ length: 50 }, (_, i) => `/aws/lambda/f${i}`), '/app/missing'];
    logsMock
      .on(StartQueryCommand)
      .resolvesOnce({ queryId: 'ok' })
      .rejectsOnce(
        new CloudWatchLogsServiceException({
          name: 'ResourceNotFoundException',
          $fault: 'client',
          message: 'Log group does not exist',
          $metadata: {},
        }),
      );
    logsMock
      .on(GetQueryResultsCommand)
      .resolves({ status: 'Complete', results: [row('ExpiredTokenException')] });
    const stats = createStreamStats();

    const entries = await collect(
      queryCredentialErrors(new CloudWatchLogsClient({}), groups, WINDOW, stats, {
        sleep: async () => {},
      }),
    );

    expect(entries).toHaveLength(1);
    expect(stats).toMatchObject({ skipped: 1, units: 2 });
    expect(stats.notes).toEqual([
      '1 log group not read: logs:StartQuery failed: ResourceNotFoundException: Log group does not exist',
    ]);
  });

  it('reads an all-digit @timestamp as epoch milliseconds and keeps a group name without account', () => {
    const entry = toLogEntry([
      { field: '@timestamp', value: '1795445632069' },
      { field: '@log', value: '/aws/lambda/x' },
      { field: '@message', value: 'ExpiredToken' },
    ]);

    expect(entry).toEqual({
      timestamp: 1_795_445_632_069,
      logGroup: '/aws/lambda/x',
      logStream: null,
      message: 'ExpiredToken',
    });
    expect(toLogEntry([{ field: '@timestamp', value: '1' }])).toBeUndefined();
  });
});
