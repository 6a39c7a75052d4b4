import type {
  AuditSources,
  CredentialReportInput,
  LogEntry,
  RecordStream,
} from '../core/sources.js';

/** A stream with nothing in it, whose status says why it was not read. */
function notReadStream<T>(name: string, detail: string): RecordStream<T> {
  return {
    name,
    async *records(): AsyncGenerator<T> {},
    status: () => ({ name, status: 'missing', detail }),
  };
}

/**
 * What a key scan reads: every source but the CloudTrail and workload-log streams. Live, the key
 * scan builds no client for those (`iamLiveSources`); any AuditSources fits too.
 */
export type KeyScanSources = Omit<AuditSources, 'cloudTrail' | 'workloadLogs'>;

/**
 * The sources for a key scan: everything but CloudTrail and workload logs, which trail-watch
 * reads every few minutes; and a copy of the credential report as it was read.
 */
export function keyScanSources(sources: KeyScanSources): {
  sources: AuditSources;
  report: () => CredentialReportInput | undefined;
} {
  let seen: CredentialReportInput | undefined;
  const scan: AuditSources = {
    account: () => sources.account(),
    credentialReport: async () => {
      seen = await sources.credentialReport();
      return seen;
    },
    accessKeys: () => sources.accessKeys(),
    users: () => sources.users(),
    accountSummary: () => sources.accountSummary(),
    cloudTrail: () =>
      notReadStream<unknown>('cloudtrail', 'not read by the key scan (trail-watch reads it)'),
    workloadLogs: () =>
      notReadStream<LogEntry>('workload-logs', 'not read by the key scan (trail-watch reads them)'),
    ...(sources.existingAccessKeyIds
      ? {
          existingAccessKeyIds: (names: readonly string[]) =>
            sources.existingAccessKeyIds?.(names) ?? Promise.reject(new Error('unavailable')),
        }
      : {}),
    ...(sources.accessKeysOf
      ? {
          accessKeysOf: (names: readonly string[]) =>
            sources.accessKeysOf?.(names) ?? Promise.reject(new Error('unavailable')),
        }
      : {}),
  };
  return { sources: scan, report: () => seen };
}
