import {
  type CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { TimeWindow } from '../core/sources.js';
import { isThrottling, toCredentialHealthError } from './aws-errors.js';
import { realSleep, type Sleep } from './sleep.js';
import type { StreamStats } from './stream-stats.js';

export interface LookupEventsOptions {
  /**
   * Least time between two requests. LookupEvents allows 2 requests per second per account
   * and Region, shared with every other caller; 550 ms keeps us under it.
   * @default 550
   */
  readonly minIntervalMs?: number;
  /** Extra retries after the SDK's own, when still throttled. @default 5 */
  readonly maxThrottleRetries?: number;
  /** @default 50 (the API's maximum) */
  readonly pageSize?: number;
  readonly sleep?: Sleep;
  /** Milliseconds clock for pacing. @default Date.now */
  readonly clock?: () => number;
}

/**
 * CloudTrail event history (management events, this Region, last 90 days) over a window, one
 * record at a time: each `CloudTrailEvent` string parsed into the record it holds. LookupEvents
 * cannot filter on error codes, so every event of the window is read and the correlator
 * filters. Unparsable events are counted in `stats.skipped`.
 */
export async function* lookupEvents(
  cloudTrail: CloudTrailClient,
  window: TimeWindow,
  stats: StreamStats,
  options: LookupEventsOptions = {},
): AsyncGenerator<unknown> {
  const sleep = options.sleep ?? realSleep;
  const clock = options.clock ?? Date.now;
  const minIntervalMs = options.minIntervalMs ?? 550;
  const maxRetries = options.maxThrottleRetries ?? 5;
  let lastRequestAt = Number.NEGATIVE_INFINITY;
  let nextToken: string | undefined;

  do {
    let retries = 0;
    let page: LookupEventsCommandOutput;
    for (;;) {
      const since = clock() - lastRequestAt;
      if (since < minIntervalMs) await sleep(minIntervalMs - since);
      lastRequestAt = clock();
      try {
        page = await cloudTrail.send(
          new LookupEventsCommand({
            StartTime: window.start,
            EndTime: window.end,
            MaxResults: options.pageSize ?? 50,
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
        );
        break;
      } catch (error) {
        if (!isThrottling(error) || retries >= maxRetries)
          throw toCredentialHealthError(error, 'cloudtrail:LookupEvents');
        retries += 1;
        await sleep(minIntervalMs * 2 ** retries);
      }
    }
    stats.units += 1;
    for (const event of page.Events ?? []) {
      const record = parseEvent(event.CloudTrailEvent);
      if (record === undefined) {
        stats.skipped += 1;
        continue;
      }
      stats.records += 1;
      yield record;
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined && nextToken !== '');
}

function parseEvent(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
