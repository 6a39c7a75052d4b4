import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  type ResultField,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogEntry, TimeWindow } from '../core/sources.js';
import { AwsApiError, isThrottling, toCredentialHealthError } from './aws-errors.js';
import { realSleep, type Sleep } from './sleep.js';
import type { StreamStats } from './stream-stats.js';

/**
 * The client-side credential errors CloudTrail never sees (aws-signals.md §4): SDK messages for
 * missing credentials, and the service codes for expired, invalid and badly signed requests.
 */
export const CREDENTIAL_ERROR_PATTERN =
  'Unable to locate credentials|NoCredentialsError|NoCredentialProviders|CredentialsProviderError|Could not load credentials|ExpiredToken|security token included in the request is (expired|invalid)|provided token has expired|RequestExpired|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidSignatureException|Signature expired|RequestTimeTooSkewed|InvalidAccessKeyId';

/** Logs Insights returns at most this many rows a query. */
export const MAX_QUERY_ROWS = 10_000;

/** The Logs Insights query: every matching line, oldest first, with the fields a LogEntry needs. */
export const CREDENTIAL_ERROR_QUERY = [
  'fields @timestamp, @log, @logStream, @message',
  `| filter @message like /(?i)${CREDENTIAL_ERROR_PATTERN}/`,
  '| sort @timestamp asc',
  `| limit ${MAX_QUERY_ROWS}`,
].join('\n');

/** StartQuery errors that concern one batch of groups, not the account or the credentials. */
const BATCH_ERRORS = new Set(['ResourceNotFoundException', 'InvalidParameterException']);

/** Logs Insights takes at most 50 log groups a query. */
export const MAX_GROUPS_PER_QUERY = 50;

/** Every Lambda log group of the account/Region (`/aws/lambda/*`), all pages. */
export async function listLambdaLogGroups(logs: CloudWatchLogsClient): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    let page: Awaited<ReturnType<typeof describeGroups>>;
    try {
      page = await describeGroups(logs, nextToken);
    } catch (error) {
      throw toCredentialHealthError(error, 'logs:DescribeLogGroups');
    }
    for (const group of page.logGroups ?? [])
      if (group.logGroupName) names.push(group.logGroupName);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return names;
}

function describeGroups(logs: CloudWatchLogsClient, nextToken: string | undefined) {
  return logs.send(
    new DescribeLogGroupsCommand({
      logGroupNamePrefix: '/aws/lambda/',
      ...(nextToken === undefined ? {} : { nextToken }),
    }),
  );
}

export interface LogsQueryOptions {
  /** Poll interval while a query runs. @default 1_000 */
  readonly pollIntervalMs?: number;
  /** A query still running after this is stopped and counted as failed. @default 300_000 */
  readonly maxWaitMs?: number;
  readonly sleep?: Sleep;
  readonly query?: string;
}

/**
 * Runs the credential-error query over the groups, 50 a query, one query at a time (the
 * account shares 30 concurrent queries with dashboards), and yields each row as a LogEntry.
 * A batch whose query fails or times out is counted in `stats.skipped`; the rest still run.
 */
export async function* queryCredentialErrors(
  logs: CloudWatchLogsClient,
  logGroups: readonly string[],
  window: TimeWindow,
  stats: StreamStats,
  options: LogsQueryOptions = {},
): AsyncGenerator<LogEntry> {
  const sleep = options.sleep ?? realSleep;
  const pollMs = options.pollIntervalMs ?? 1_000;
  const maxWaitMs = options.maxWaitMs ?? 300_000;
  const pattern = new RegExp(CREDENTIAL_ERROR_PATTERN, 'i');

  for (let i = 0; i < logGroups.length; i += MAX_GROUPS_PER_QUERY) {
    const batch = logGroups.slice(i, i + MAX_GROUPS_PER_QUERY);
    let queryId: string;
    try {
      queryId = await startQuery(
        logs,
        batch,
        window,
        options.query ?? CREDENTIAL_ERROR_QUERY,
        sleep,
      );
    } catch (error) {
      // A named group that does not exist fails its whole batch; the other batches still run.
      if (!(error instanceof AwsApiError) || !BATCH_ERRORS.has(error.code)) throw error;
      stats.units += 1;
      stats.skipped += batch.length;
      stats.notes.push(`${groupCount(batch.length)} not read: ${error.message}`);
      continue;
    }
    let waited = 0;
    let rows: ResultField[][] | undefined;
    let failure: string | undefined;
    for (;;) {
      let result: Awaited<ReturnType<typeof getResults>>;
      try {
        result = await getResults(logs, queryId);
      } catch (error) {
        if (!isThrottling(error)) throw toCredentialHealthError(error, 'logs:GetQueryResults');
        result = { status: 'Running', $metadata: {} };
      }
      if (result.status === 'Complete') {
        rows = result.results ?? [];
        break;
      }
      if (
        result.status === 'Failed' ||
        result.status === 'Cancelled' ||
        result.status === 'Timeout'
      ) {
        failure = `query ${result.status.toLowerCase()}`;
        break;
      }
      if (waited >= maxWaitMs) {
        await logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
        failure = `query still running after ${Math.round(maxWaitMs / 1000)} s, stopped`;
        break;
      }
      await sleep(pollMs);
      waited += pollMs;
    }
    stats.units += 1;
    if (rows === undefined) {
      stats.skipped += batch.length;
      stats.notes.push(`${groupCount(batch.length)} not read: ${failure ?? 'no result'}`);
      continue;
    }
    if (rows.length >= MAX_QUERY_ROWS) {
      stats.notes.push(
        `a query hit the ${MAX_QUERY_ROWS}-row limit: older lines of that batch were not read`,
      );
    }
    for (const row of rows) {
      const entry = toLogEntry(row);
      // Guards against a backend that ignores the filter (moto does): only matching lines count.
      if (entry === undefined || !pattern.test(entry.message)) continue;
      stats.records += 1;
      yield entry;
    }
  }
}

async function startQuery(
  logs: CloudWatchLogsClient,
  logGroupNames: string[],
  window: TimeWindow,
  queryString: string,
  sleep: Sleep,
): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const started = await logs.send(
        new StartQueryCommand({
          logGroupNames,
          startTime: Math.floor(window.start.getTime() / 1000),
          endTime: Math.ceil(window.end.getTime() / 1000),
          queryString,
          limit: MAX_QUERY_ROWS,
        }),
      );
      if (started.queryId === undefined) throw new Error('StartQuery returned no queryId');
      return started.queryId;
    } catch (error) {
      // LimitExceededException: 30 concurrent queries in the account; wait for a slot.
      if (!isThrottling(error) || attempt >= 5)
        throw toCredentialHealthError(error, 'logs:StartQuery');
      await sleep(2_000 * 2 ** attempt);
    }
  }
}

function getResults(logs: CloudWatchLogsClient, queryId: string) {
  return logs.send(new GetQueryResultsCommand({ queryId }));
}

/**
 * One result row → LogEntry. `@log` is `account-id:group-name` in AWS; the account part is
 * dropped so entries from files and from the API name groups alike. An all-digits `@timestamp`
 * (some emulators) is read as epoch milliseconds.
 */
export function toLogEntry(row: readonly ResultField[]): LogEntry | undefined {
  const fields = new Map<string, string>();
  for (const field of row)
    if (field.field !== undefined && field.value !== undefined)
      fields.set(field.field, field.value);
  const message = fields.get('@message');
  if (message === undefined) return undefined;
  const rawTime = fields.get('@timestamp') ?? null;
  const logGroup = fields.get('@log')?.replace(/^\d{12}:/, '') ?? null;
  return {
    timestamp: rawTime !== null && /^\d+$/.test(rawTime) ? Number(rawTime) : rawTime,
    logGroup,
    logStream: fields.get('@logStream') ?? null,
    message,
  };
}

function groupCount(n: number): string {
  return `${n} log ${n === 1 ? 'group' : 'groups'}`;
}
