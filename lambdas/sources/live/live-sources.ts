import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CallCounter } from '../../adapters/call-counter.js';
import { type LookupEventsOptions, lookupEvents } from '../../adapters/cloudtrail-lookup.js';
import {
  accountLogRoot,
  canListTrailFolder,
  findOrganizationId,
  findTrail,
  readTrailLogs,
  type TrailLocation,
} from '../../adapters/cloudtrail-s3.js';
import {
  type LogsQueryOptions,
  listLambdaLogGroups,
  MAX_GROUPS_PER_QUERY,
  queryCredentialErrors,
} from '../../adapters/logs-insights.js';
import { createStreamStats, type StreamStats } from '../../adapters/stream-stats.js';
import { describeError } from '../../core/errors.js';
import type { SourceStatus } from '../../core/report.js';
import type { AuditSources, LogEntry, RecordStream, TimeWindow } from '../../core/sources.js';
import { createIamSources, type IamSourcesDeps } from './iam-sources.js';
import { budgeted, type TimeBudget, withinBudget } from './time-budget.js';

/** `--cloudtrail`: where CloudTrail records come from. */
export type CloudTrailMode = 'auto' | 'lookup' | 's3';

/** What the live sources need: clients (one counter across them) and the reading choices. */
export interface LiveSourcesDeps extends IamSourcesDeps {
  readonly cloudTrail: CloudTrailClient;
  readonly s3: S3Client;
  readonly logs: CloudWatchLogsClient;
  /** The counter every client (these and the IAM and STS ones) counts into. */
  readonly counter: CallCounter;
  /** The Region of the regional clients (CloudTrail, Logs, S3). */
  readonly region: string;
  /** @default 'auto': the trail's S3 files when a trail exists and they are readable, else LookupEvents. */
  readonly cloudTrailMode?: CloudTrailMode;
  /** Log groups to search besides the Lambda ones. @default [] */
  readonly logGroups?: readonly string[];
  /** Search every `/aws/lambda/*` group. @default true */
  readonly includeLambdaLogGroups?: boolean;
  /**
   * Regions whose trail folders are read. IAM and STS record their events in us-east-1, so a
   * multi-Region trail is read there too. @default [region, 'us-east-1'] for a multi-Region trail
   */
  readonly trailRegions?: readonly string[];
  readonly lookup?: LookupEventsOptions;
  readonly logsQuery?: LogsQueryOptions;
  /**
   * Stop reading when this runs out (a Lambda's remaining time less a margin): every wait the
   * adapters make is bounded by it, an optional source not yet read is skipped, and a stream
   * stops and says in its status what part of the window it did not cover. Unbounded when absent.
   */
  readonly timeBudget?: TimeBudget;
}

/**
 * The AuditSources port over live AWS APIs: the IAM and STS sources (`createIamSources`) with
 * the CloudTrail and workload-log streams. Reads only; each source says how many API calls it
 * made (`apiCalls`). `runAudit` reads the sources one after the other, so each source's share
 * is the counter's growth while it ran.
 */
export function createLiveAuditSources(deps: LiveSourcesDeps): AuditSources {
  // The streams share the IAM half's account id (asked of STS once a run), counter and budget.
  const iam = createIamSources(deps);
  return {
    ...iam.sources,

    cloudTrail(window: TimeWindow): RecordStream<unknown> {
      return countedStream('cloudtrail', deps.counter, (stats, describe, degrade) =>
        cloudTrailRecords(deps, window, stats, describe, degrade, iam.accountId),
      );
    },

    workloadLogs(window: TimeWindow): RecordStream<LogEntry> {
      return countedStream('workload-logs', deps.counter, (stats, describe, degrade) =>
        logRecords(deps, window, stats, describe, degrade),
      );
    },
  };
}

type Describe = (detail: string, status?: 'ok' | 'degraded' | 'missing') => void;
/** Marks a stream degraded with a note on what it did not cover. */
type Degrade = (note: string) => void;

/** A RecordStream whose status carries the stats and the API calls made while it was read. */
function countedStream<T>(
  name: string,
  counter: CallCounter,
  produce: (stats: StreamStats, describe: Describe, degrade: Degrade) => AsyncGenerator<T>,
): RecordStream<T> {
  const stats = createStreamStats();
  let detail = 'not read';
  let state: SourceStatus['status'] = 'ok';
  let apiCalls = 0;
  return {
    name,
    async *records(): AsyncGenerator<T> {
      const before = counter.total();
      try {
        yield* produce(
          stats,
          (text, status) => {
            detail = text;
            if (status) state = status;
          },
          (note) => {
            stats.notes.push(note);
            if (state === 'ok') state = 'degraded';
          },
        );
      } finally {
        apiCalls = counter.total() - before;
      }
    },
    status(): SourceStatus {
      const notes = stats.notes.length > 0 ? `; ${stats.notes.join('; ')}` : '';
      return {
        name,
        status: state === 'ok' && stats.skipped > 0 ? 'degraded' : state,
        detail: `${detail}${notes}`,
        itemsRead: stats.records,
        ...(stats.skipped > 0 ? { itemsSkipped: stats.skipped } : {}),
        apiCalls,
      };
    },
  };
}

async function* cloudTrailRecords(
  deps: LiveSourcesDeps,
  window: TimeWindow,
  stats: StreamStats,
  describe: Describe,
  degrade: Degrade,
  knownAccountId: () => Promise<string | null>,
): AsyncGenerator<unknown> {
  const mode = deps.cloudTrailMode ?? 'auto';
  const budget = deps.timeBudget;
  let why = '';
  if (budget?.expired()) {
    describe('CloudTrail not read');
    degrade('time budget ran out before CloudTrail was read: the whole window was not covered');
    return;
  }
  if (mode !== 'lookup') {
    const choice = await chooseTrail(deps, knownAccountId);
    if (choice.trail && choice.root) {
      const regions = deps.trailRegions ?? trailRegions(choice.trail, deps.region);
      describe(
        `S3 log files of trail ${choice.trail.name} (s3://${choice.trail.bucket}/${choice.root}CloudTrail/{${regions.join(',')}}/…)`,
      );
      yield* withinBudget(
        readTrailLogs(
          deps.s3,
          { bucket: choice.trail.bucket, root: choice.root, regions, window },
          stats,
        ),
        budget,
        (stop, read) =>
          degrade(
            `${stop} after ${read} records from ${stats.units} log files: any later files of the window were not read`,
          ),
      );
      describe(
        `${stats.units} S3 log files of trail ${choice.trail.name} (s3://${choice.trail.bucket}/${choice.root}), Regions ${regions.join(', ')}`,
      );
      return;
    }
    if (mode === 's3') {
      describe(`--cloudtrail s3: ${choice.reason}`, 'missing');
      return;
    }
    why = ` (${choice.reason})`;
  }
  describe(`CloudTrail LookupEvents in ${deps.region}${why}`);
  let oldest: string | undefined;
  const lookup = budget
    ? { clock: budget.clock, ...deps.lookup, sleep: budget.sleep }
    : (deps.lookup ?? {});
  for await (const record of withinBudget(
    lookupEvents(deps.cloudTrail, window, stats, lookup),
    budget,
    (stop, read) =>
      degrade(
        `${stop} after ${read} events in ${stats.units} pages: events from ${window.start.toISOString()} to ${oldest ?? window.end.toISOString()} were not read (LookupEvents returns the newest first)`,
      ),
  )) {
    oldest = eventTimeOf(record) ?? oldest;
    yield record;
  }
  describe(
    `CloudTrail LookupEvents in ${deps.region}, ${stats.units} pages${why}; management events only, IAM/STS events are in us-east-1`,
  );
}

function eventTimeOf(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const time = (record as { eventTime?: unknown }).eventTime;
  return typeof time === 'string' ? time : undefined;
}

async function chooseTrail(
  deps: LiveSourcesDeps,
  knownAccountId: () => Promise<string | null>,
): Promise<{ trail?: TrailLocation; root?: string; reason: string }> {
  const trail = await findTrail(deps.cloudTrail, deps.region);
  if (!trail) return { reason: `no trail delivers ${deps.region} events to S3` };
  const accountId = await knownAccountId();
  if (!accountId) return { reason: 'the account id is unknown, so the trail folder is too' };
  let organizationId: string | null = null;
  if (trail.isOrganizationTrail) {
    try {
      organizationId = await findOrganizationId(deps.s3, trail.bucket, trail.keyPrefix);
    } catch (error) {
      return { reason: `trail ${trail.name}'s bucket cannot be listed: ${describeError(error)}` };
    }
  }
  const root = accountLogRoot(trail.keyPrefix, organizationId, accountId);
  if (!(await canListTrailFolder(deps.s3, trail.bucket, root))) {
    return {
      reason: `trail ${trail.name}'s bucket ${trail.bucket} is not readable with these credentials`,
    };
  }
  return { trail, root, reason: '' };
}

function trailRegions(trail: TrailLocation, region: string): string[] {
  if (!trail.isMultiRegion) return [trail.homeRegion ?? region];
  return [...new Set([region, 'us-east-1'])];
}

async function* logRecords(
  deps: LiveSourcesDeps,
  window: TimeWindow,
  stats: StreamStats,
  describe: Describe,
  degrade: Degrade,
): AsyncGenerator<LogEntry> {
  const budget = deps.timeBudget;
  if (budget?.expired()) {
    describe('workload logs not read');
    degrade('time budget ran out before the workload logs were read: no log group was queried');
    return;
  }
  const lambdaGroups =
    deps.includeLambdaLogGroups === false ? [] : await listLambdaLogGroups(deps.logs);
  const groups = [...new Set([...lambdaGroups, ...(deps.logGroups ?? [])])];
  if (groups.length === 0) {
    describe(`no Lambda log groups in ${deps.region} and no --log-groups given`, 'missing');
    return;
  }
  const what = `${lambdaGroups.length} Lambda log groups${
    deps.logGroups?.length ? ` and ${deps.logGroups.length} named groups` : ''
  } in ${deps.region}`;
  describe(`Logs Insights over ${what}`);
  yield* withinBudget(
    queryCredentialErrors(deps.logs, groups, window, stats, budgeted(deps.logsQuery ?? {}, budget)),
    budget,
    (stop) => {
      const queried = Math.min(groups.length, stats.units * MAX_GROUPS_PER_QUERY);
      degrade(
        `${stop}: ${groups.length - queried} of ${groups.length} log groups were not queried${
          queried > 0 ? ' (the batch being read when it ran out may be incomplete)' : ''
        }`,
      );
    },
  );
  describe(`Logs Insights over ${what}, ${stats.units} queries`);
}
