import {
  type CloudTrailEvent,
  type CloudTrailIdentity,
  normalizeCloudTrailRecord,
} from '../../core/cloudtrail-event.js';

/**
 * A compact, transferable form of a file's CloudTrail records, made in a worker thread and
 * turned back into records in the main thread (see `cloudtrail-workers.ts`).
 *
 * Posting parsed records between threads is slower than parsing them again (structured clone
 * of many small objects), so a worker sends a table of numbers (moved, not copied) and the
 * file's distinct strings once each. Each record is first read by `normalizeCloudTrailRecord`
 * (what the correlator does with it), and only what that reading kept is sent; the main thread
 * rebuilds a minimal record that reads back to the same event (the event time as epoch
 * milliseconds, which is also cheaper to read again). A record that does not read as an event
 * comes back as `null`, which the correlator also ignores.
 */
export interface DigestedRecords {
  /** {@link COLUMNS} numbers per record: the time (NaN: not an event), then string indexes (-1: null). */
  readonly table: Float64Array;
  /** The distinct strings of the file (and JSON texts of request/response objects). */
  readonly strings: readonly string[];
  readonly count: number;
}

/**
 * Where each field of a normalized event travels. Typed against the event's own interfaces:
 * a field added to `CloudTrailEvent` or `CloudTrailIdentity` fails to compile here until it is
 * carried (or said to be derived), so the digest cannot silently drop what the correlator reads.
 */
export const DIGESTED_EVENT_FIELDS = {
  eventTime: 'time',
  eventSource: 'eventSource',
  eventName: 'eventName',
  eventType: 'eventType',
  awsRegion: 'awsRegion',
  sourceIp: 'sourceIPAddress',
  userAgent: 'userAgent',
  errorCode: 'errorCode',
  errorMessage: 'errorMessage',
  recipientAccountId: 'recipientAccountId',
  identity: 'userIdentity',
  requestParameters: 'json',
  responseElements: 'json',
  // Both are read again from responseElements and requestParameters, which travel whole.
  consoleLogin: 'derived',
  issuedCredentials: 'derived',
} as const satisfies Record<keyof CloudTrailEvent, string>;

export const DIGESTED_IDENTITY_FIELDS = {
  type: 'type',
  principalId: 'principalId',
  arn: 'arn',
  accountId: 'accountId',
  accessKeyId: 'accessKeyId',
  userName: 'userName',
  invokedBy: 'invokedBy',
  sessionIssuerArn: 'sessionContext.sessionIssuer.arn',
} as const satisfies Record<keyof CloudTrailIdentity, string>;

/** Numbers per record in {@link DigestedRecords.table}: the time, 17 strings, 2 JSON texts. */
export const COLUMNS = 20;

/**
 * Digests one file's records.
 * @example digestCloudTrailRecords(document.Records)
 */
export function digestCloudTrailRecords(records: readonly unknown[]): DigestedRecords {
  const table = new Float64Array(records.length * COLUMNS).fill(-1);
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const intern = (value: string | null): number => {
    if (value === null) return -1;
    let index = indexes.get(value);
    if (index === undefined) {
      index = strings.length;
      strings.push(value);
      indexes.set(value, index);
    }
    return index;
  };
  const internJson = (value: Readonly<Record<string, unknown>> | null): number =>
    value === null ? -1 : intern(JSON.stringify(value));

  for (const [row, raw] of records.entries()) {
    const at = row * COLUMNS;
    let event: CloudTrailEvent | null = null;
    try {
      event = normalizeCloudTrailRecord(raw);
    } catch {
      // The correlator ignores a record it cannot read; so does the digest.
    }
    if (!event) {
      table[at] = Number.NaN;
      continue;
    }
    const { identity } = event;
    // The order here is the order `expandDigestedRecords` reads back.
    table[at] = event.eventTime.getTime();
    table[at + 1] = intern(event.eventSource);
    table[at + 2] = intern(event.eventName);
    table[at + 3] = intern(event.eventType);
    table[at + 4] = intern(event.awsRegion);
    table[at + 5] = intern(event.sourceIp);
    table[at + 6] = intern(event.userAgent);
    table[at + 7] = intern(event.errorCode);
    table[at + 8] = intern(event.errorMessage);
    table[at + 9] = intern(event.recipientAccountId);
    table[at + 10] = intern(identity.type);
    table[at + 11] = intern(identity.principalId);
    table[at + 12] = intern(identity.arn);
    table[at + 13] = intern(identity.accountId);
    table[at + 14] = intern(identity.accessKeyId);
    table[at + 15] = intern(identity.userName);
    table[at + 16] = intern(identity.invokedBy);
    table[at + 17] = intern(identity.sessionIssuerArn);
    table[at + 18] = internJson(event.requestParameters);
    table[at + 19] = internJson(event.responseElements);
  }
  return { table, strings, count: records.length };
}

/**
 * Rebuilds the records of a digest, one at a time (only the record being read is held besides
 * the table). Request and response objects shared by several records are parsed once.
 */
export function* expandDigestedRecords(digest: DigestedRecords): Generator<unknown> {
  const { table, strings } = digest;
  const text = (index: number | undefined): string | undefined =>
    index === undefined || index < 0 ? undefined : strings[index];
  const objects = new Map<number, unknown>();
  const json = (index: number | undefined): unknown => {
    if (index === undefined || index < 0) return undefined;
    let value = objects.get(index);
    if (value === undefined) {
      value = JSON.parse(strings[index] ?? 'null');
      objects.set(index, value);
    }
    return value;
  };
  for (let row = 0; row < digest.count; row += 1) {
    const at = row * COLUMNS;
    const time = table[at];
    if (time === undefined || Number.isNaN(time)) {
      yield null;
      continue;
    }
    const issuer = text(table[at + 17]);
    // One object literal: every record gets the same hidden class, which keeps the correlator's
    // property reads fast (keys added in a loop would not).
    yield {
      eventTime: time,
      eventSource: text(table[at + 1]),
      eventName: text(table[at + 2]),
      eventType: text(table[at + 3]),
      awsRegion: text(table[at + 4]),
      sourceIPAddress: text(table[at + 5]),
      userAgent: text(table[at + 6]),
      errorCode: text(table[at + 7]),
      errorMessage: text(table[at + 8]),
      recipientAccountId: text(table[at + 9]),
      userIdentity: {
        type: text(table[at + 10]),
        principalId: text(table[at + 11]),
        arn: text(table[at + 12]),
        accountId: text(table[at + 13]),
        accessKeyId: text(table[at + 14]),
        userName: text(table[at + 15]),
        invokedBy: text(table[at + 16]),
        sessionContext: issuer === undefined ? undefined : { sessionIssuer: { arn: issuer } },
      },
      requestParameters: json(table[at + 18]),
      responseElements: json(table[at + 19]),
    };
  }
}
