import type { AccessKeyMetadata, AccountSummary, IamUserDetail } from './inventory.js';
import type { Finding, SourceStatus } from './report.js';

/**
 * What the audit reads, whatever it comes from: files exported by the AWS CLI (the CLI's
 * `--from-dir`) or live AWS APIs (adapters). The audit use case depends on this port only.
 */

export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/** A source's answer: a value with its status, or nothing and why. */
export type SourceResult<T> =
  | {
      readonly status: 'ok' | 'degraded';
      readonly detail: string;
      readonly value: T;
      readonly apiCalls?: number;
    }
  | { readonly status: 'missing'; readonly detail: string; readonly apiCalls?: number };

export interface CredentialReportInput {
  /** The decoded CSV, exactly as AWS wrote it. */
  readonly csv: string;
  /** `GeneratedTime` of GetCredentialReport; null for a file of unknown age. */
  readonly generatedAt: Date | null;
  /** Where it came from, for the report's `sources`. */
  readonly detail: string;
  readonly apiCalls?: number;
}

export interface AccountInfo {
  readonly id: string | null;
  readonly alias: string | null;
}

/**
 * One workload log line, as Logs Insights (`@timestamp`, `@log`, `@message`) or
 * FilterLogEvents (`timestamp` in epoch ms, `logStreamName`, `message`) gave it.
 */
export interface LogEntry {
  /** `2026-11-20 09:00:01.123` (Logs Insights, UTC), ISO-8601, or epoch milliseconds. */
  readonly timestamp: string | number | null;
  readonly logGroup: string | null;
  readonly logStream: string | null;
  readonly message: string;
}

/**
 * A stream of records read one at a time, so memory stays flat however much there is.
 * `status()` is asked after the stream ended (or threw) and says what was read and skipped.
 */
export interface RecordStream<T> {
  readonly name: string;
  records(): AsyncIterable<T>;
  /**
   * Optional: the same records in the same order, a batch at a time (exported files: one
   * file's records), for a consumer that would rather wait once per batch than once per record
   * (an `await` per record is a measurable share of an offline audit). Each batch is iterated
   * once, before the next is asked for; a stream may produce it lazily. Use either this or
   * `records()` for one reading, not both. `status()` counts a batch's records as read once it
   * is handed over. Streams that fetch record by record (live APIs) need not have it.
   */
  batches?(): AsyncIterable<Iterable<T>>;
  status(): SourceStatus;
}

export interface AuditSources {
  account(): Promise<SourceResult<AccountInfo>>;
  /** Required: throws `RequiredSourceError` when it cannot be read. */
  credentialReport(): Promise<CredentialReportInput>;
  accessKeys(): Promise<SourceResult<readonly AccessKeyMetadata[]>>;
  users(): Promise<SourceResult<readonly IamUserDetail[]>>;
  accountSummary(): Promise<SourceResult<AccountSummary>>;
  /** Raw CloudTrail records (`Records[]` items, or parsed `CloudTrailEvent` strings). */
  cloudTrail(window: TimeWindow): RecordStream<unknown>;
  workloadLogs(window: TimeWindow): RecordStream<LogEntry>;
  /**
   * Live only: which of these key ids still exist now (the credential report can be up to
   * four hours old). Absent for exported files.
   */
  existingAccessKeyIds?(userNames: readonly string[]): Promise<SourceResult<ReadonlySet<string>>>;
  /**
   * Live only: these users' access keys as IAM lists them now (ListAccessKeys, one call a user):
   * the ids, the current status, and by its absence a key deleted since the credential report.
   * Lets the audit list keys only for the users it must name a key of (`AuditOptions.keyIds`)
   * instead of every key-holding user. Absent for exported files.
   */
  accessKeysOf?(userNames: readonly string[]): Promise<SourceResult<readonly AccessKeyMetadata[]>>;
  /**
   * Live only: the user each long-term key id belongs to in this account, looked up one id at a
   * time (GetAccessKeyLastUsed names the user), for the few keys an audit that did not list every
   * key must know (a key seen failing, deactivated, or in an incident). `null` for an id that is
   * no key of this account (deleted, or another account's). An id it could not look up (throttled,
   * not allowed) is absent from the map, and the status is `degraded` saying why. Absent for
   * exported files.
   */
  accessKeyOwners?(
    accessKeyIds: readonly string[],
  ): Promise<SourceResult<ReadonlyMap<string, string | null>>>;
}

/**
 * Which findings must name their key (its id) and have it confirmed to still exist, when the
 * sources can list a user's keys on demand (`AuditSources.accessKeysOf`). The selector is given
 * the findings as the credential report alone shows them (keys by slot, no ids) and returns the
 * ids of those it needs; the users they belong to have their keys listed, once.
 */
export type KeyIdSelector = (
  findings: readonly Finding[],
  accountId: string | null,
) => ReadonlySet<string> | Promise<ReadonlySet<string>>;
