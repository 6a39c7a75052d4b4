import {
  CloudTrailClient,
  CloudTrailServiceException,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsApiError } from '../../lambdas/adapters/aws-errors.js';
import { lookupEvents } from '../../lambdas/adapters/cloudtrail-lookup.js';
import { createStreamStats } from '../../lambdas/adapters/stream-stats.js';

/**
 * LookupEvents with a mocked client: moto does not implement LookupEvents ("The lookup_events
 * action has not been implemented"), so paging, pacing and throttling are tested here only.
 */

const ctMock = mockClient(CloudTrailClient);
const WINDOW = { start: new Date('2026-11-19T12:00:00Z'), end: new Date('2026-11-20T12:00:00Z') };
const event = (name: string) => ({
  CloudTrailEvent: JSON.stringify({ eventName: name, eventVersion: '1.08' }),
});
const throttled = () =>
  new CloudTrailServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: {},
  });

async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('lookupEvents', () => {
  beforeEach(() => {
    ctMock.reset();
  });

  it('reads every page of the window, 50 a page, and parses each CloudTrailEvent', async () => {
    // Prepare
    ctMock
      .on(LookupEventsCommand)
      .resolvesOnce({
        Events: [event('ConsoleLogin'), { CloudTrailEvent: '{broken' }],
        NextToken: 't2',
      })
      .resolvesOnce({ Events: [event('DeleteAccessKey')] });
    const stats = createStreamStats();

    // Act
    const records = await collect(
      lookupEvents(new CloudTrailClient({}), WINDOW, stats, {
        sleep: async () => {},
        clock: () => 0,
      }),
    );

    // Assess
    expect(records).toEqual([
      { eventName: 'ConsoleLogin', eventVersion: '1.08' },
      { eventName: 'DeleteAccessKey', eventVersion: '1.08' },
    ]);
    expect(stats).toMatchObject({ records: 2, skipped: 1, units: 2 });
    expect(ctMock).toHaveReceivedNthCommandWith(LookupEventsCommand, 1, {
      StartTime: WINDOW.start,
      EndTime: WINDOW.end,
      MaxResults: 50,
    });
    expect(ctMock).toHaveReceivedNthCommandWith(LookupEventsCommand, 2, { NextToken: 't2' });
  });

  it('keeps requests at least 550 ms apart (2 per second per account and Region)', async () => {
    ctMock
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [], NextToken: 'a' })
      .resolvesOnce({ Events: [], NextToken: 'b' })
      .resolvesOnce({ Events: [] });
    let now = 1_000_000;
    const waits: number[] = [];
    const options = {
      clock: () => now,
      sleep: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
    };

    await collect(lookupEvents(new CloudTrailClient({}), WINDOW, createStreamStats(), options));

    expect(waits).toEqual([550, 550]);
  });

  it('backs off and retries when throttled', async () => {
    ctMock
      .on(LookupEventsCommand)
      .rejectsOnce(throttled())
      .resolves({ Events: [event('GetUser')] });
    const waits: number[] = [];

    const records = await collect(
      lookupEvents(new CloudTrailClient({}), WINDOW, createStreamStats(), {
        clock: () => 0,
        sleep: async (ms) => void waits.push(ms),
        minIntervalMs: 500,
      }),
    );

    expect(records).toHaveLength(1);
    expect(waits).toContain(1_000);
    expect(ctMock).toHaveReceivedCommandTimes(LookupEventsCommand, 2);
  });

  it('stops with an error naming the operation after the retries run out', async () => {
    ctMock.on(LookupEventsCommand).rejects(throttled());

    const attempt = collect(
      lookupEvents(new CloudTrailClient({}), WINDOW, createStreamStats(), {
        clock: () => 0,
        sleep: async () => {},
        maxThrottleRetries: 2,
      }),
    );

    await expect(attempt).rejects.toBeInstanceOf(AwsApiError);
    await expect(attempt).rejects.toThrow('cloudtrail:LookupEvents failed: ThrottlingException');
    expect(ctMock).toHaveReceivedCommandTimes(LookupEventsCommand, 3);
  });
});
