import type { AccessKeyMetadata, AccountSummary, IamUserDetail } from './inventory.js';
import type { SourceStatus } from './report.js';

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
}
