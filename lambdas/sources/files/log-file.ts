import { InputFormatError } from '../../core/errors.js';
import type { LogEntry } from '../../core/sources.js';
import { isJsonObject } from './json-file.js';
import type { ExtractedRecords } from './json-file-stream.js';

/**
 * Workload log lines from one parsed file under `DIR/logs/`, in the shapes the AWS CLI prints:
 * - `aws logs get-query-results`: `{"results":[[{"field":"@timestamp","value":…},…],…],"status":…}`.
 *   `@log` is `123456789012:/aws/lambda/fn` and gives the log group (account prefix dropped);
 *   a status other than `Complete` marks the source degraded (the rows may be partial).
 * - `aws logs filter-log-events` / `get-log-events`: `{"events":[{"timestamp":ms,"message":…,
 *   "logStreamName":…}]}`. That output does not name the log group, so it comes from a
 *   `logGroupName` field on the event or the document when present (add one with jq), else
 *   from the file's path: see {@link logGroupFromPath}.
 *
 * @throws InputFormatError when the document is neither.
 */
export function extractLogEntries(
  document: unknown,
  relativePath: string,
): ExtractedRecords<LogEntry> {
  if (!isJsonObject(document)) throw wrongShape();
  if (Array.isArray(document.results))
    return insightsRows(document, document.results, relativePath);
  if (Array.isArray(document.events)) return logEvents(document, document.events, relativePath);
  throw wrongShape();
}

function wrongShape(): InputFormatError {
  return new InputFormatError(
    'neither get-query-results output {"results":[…]} nor filter-log-events output {"events":[…]}',
  );
}

/**
 * The log group a file stands for when its content does not say: the path under `DIR/logs/`
 * without `.json`/`.json.gz`. A file in sub-directories gets a leading slash, so
 * `aws/lambda/billing.json` → `/aws/lambda/billing` (AWS-made groups start with `/`); a file
 * directly in `logs/` keeps its name (`billing-api.json` → `billing-api`). `%2F` is decoded, so
 * `%2Faws%2Flambda%2Fbilling.json` works too.
 *
 * @example logGroupFromPath('aws/lambda/billing.json.gz') // '/aws/lambda/billing'
 */
export function logGroupFromPath(relativePath: string): string {
  const withoutExtension = relativePath.replace(/\.json(\.gz)?$/i, '');
  let name = withoutExtension;
  try {
    name = decodeURIComponent(withoutExtension);
  } catch {
    // A stray `%` that is not an escape: the name is used as it is.
  }
  return withoutExtension.includes('/') && !name.startsWith('/') ? `/${name}` : name;
}

function insightsRows(
  document: Record<string, unknown>,
  rows: readonly unknown[],
  relativePath: string,
): ExtractedRecords<LogEntry> {
  const records: LogEntry[] = [];
  const skipped: string[] = [];
  const warnings: string[] = [];
  const queryStatus = document.status;
  if (typeof queryStatus === 'string' && queryStatus !== 'Complete') {
    warnings.push(`query status is ${queryStatus}, not Complete`);
  }
  for (const [index, row] of rows.entries()) {
    if (!Array.isArray(row)) {
      skipped.push(`results[${index}] is not a list of fields`);
      continue;
    }
    const fields = new Map<string, string>();
    for (const cell of row) {
      if (isJsonObject(cell) && typeof cell.field === 'string' && typeof cell.value === 'string') {
        fields.set(cell.field, cell.value);
      }
    }
    const message = fields.get('@message');
    if (message === undefined) {
      skipped.push(`results[${index}] has no @message`);
      continue;
    }
    const log = fields.get('@log');
    records.push({
      timestamp: fields.get('@timestamp') ?? null,
      logGroup: log === undefined ? logGroupFromPath(relativePath) : log.replace(/^\d{12}:/, ''),
      logStream: fields.get('@logStream') ?? null,
      message,
    });
  }
  return { records, skipped, warnings };
}

function logEvents(
  document: Record<string, unknown>,
  events: readonly unknown[],
  relativePath: string,
): ExtractedRecords<LogEntry> {
  const records: LogEntry[] = [];
  const skipped: string[] = [];
  const fileGroup =
    typeof document.logGroupName === 'string' && document.logGroupName !== ''
      ? document.logGroupName
      : logGroupFromPath(relativePath);
  for (const [index, event] of events.entries()) {
    if (!isJsonObject(event) || typeof event.message !== 'string') {
      skipped.push(`events[${index}] has no message`);
      continue;
    }
    const timestamp = event.timestamp;
    records.push({
      timestamp: typeof timestamp === 'number' || typeof timestamp === 'string' ? timestamp : null,
      logGroup:
        typeof event.logGroupName === 'string' && event.logGroupName !== ''
          ? event.logGroupName
          : fileGroup,
      logStream: typeof event.logStreamName === 'string' ? event.logStreamName : null,
      message: event.message,
    });
  }
  return { records, skipped, warnings: [] };
}
