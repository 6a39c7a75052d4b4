import {
  type CloudTrailEvent,
  type CloudTrailIdentity,
  type IssuedCredentials,
  normalizeCloudTrailRecord,
  rebuildCloudTrailEvent,
} from '../../core/cloudtrail-event.js';
import { readsRequestDetail } from '../../core/incidents/cloudtrail-signals.js';

/**
 * A compact, transferable form of a file's CloudTrail records, made in a worker thread and
 * turned back into events in the main thread (see `cloudtrail-workers.ts`).
 *
 * Posting parsed records between threads is slower than parsing them again (structured clone
 * of many small objects), so a worker sends a table of numbers (moved, not copied) and the
 * file's distinct strings once each. Each record is read by `normalizeCloudTrailRecord` in the
 * worker, once; the main thread rebuilds the very event it gave (`rebuildCloudTrailEvent`),
 * which the correlator takes as it is, without reading it again. A record that does not read
 * as an event comes back as `null`, which the correlator also ignores.
 *
 * The request and response objects travel (as JSON text) only for the events the correlator
 * reads them of (`readsRequestDetail`: failed calls, IAM calls); for every other event they
 * come back `null`, which changes nothing the correlator finds, and spares most records a
 * `JSON.stringify` in the worker and a `JSON.parse` here.
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
 * a field added to `CloudTrailEvent`, `CloudTrailIdentity` or `IssuedCredentials` fails to
 * compile here until it is carried, so the digest cannot silently drop what the correlator reads.
 */
export const DIGESTED_EVENT_FIELDS = {
  eventTimeMs: 0,
  eventSource: 1,
  eventName: 2,
  eventType: 3,
  awsRegion: 4,
  sourceIp: 5,
  userAgent: 6,
  errorCode: 7,
  errorMessage: 8,
  recipientAccountId: 9,
  /** Columns {@link DIGESTED_IDENTITY_FIELDS}; column 18 is not used. */
  identity: 'identity',
  requestParameters: 19,
  responseElements: 20,
  consoleLogin: 21,
  /** Columns {@link DIGESTED_ISSUED_FIELDS}. */
  issuedCredentials: 'issued',
} as const satisfies Record<keyof CloudTrailEvent, number | string>;

export const DIGESTED_IDENTITY_FIELDS = {
  type: 10,
  principalId: 11,
  arn: 12,
  accountId: 13,
  accessKeyId: 14,
  userName: 15,
  sessionIssuerArn: 16,
  invokedBy: 17,
} as const satisfies Record<keyof CloudTrailIdentity, number>;

/** The issued key's column is -1 when the event handed out no credentials. */
export const DIGESTED_ISSUED_FIELDS = {
  accessKeyId: 22,
  /** Epoch milliseconds; NaN for `null`. */
  expiration: 23,
  roleArn: 24,
  sessionName: 25,
} as const satisfies Record<keyof IssuedCredentials, number>;

/** Numbers per record in {@link DigestedRecords.table}: the columns above. */
export const COLUMNS = 26;

const EVENT = DIGESTED_EVENT_FIELDS;
const IDENTITY = DIGESTED_IDENTITY_FIELDS;
const ISSUED = DIGESTED_ISSUED_FIELDS;

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

  for (let row = 0; row < records.length; row += 1) {
    const at = row * COLUMNS;
    let event: CloudTrailEvent | null = null;
    try {
      event = normalizeCloudTrailRecord(records[row]);
    } catch {
      // The correlator ignores a record it cannot read; so does the digest.
    }
    if (!event) {
      table[at] = Number.NaN;
      continue;
    }
    const { identity, issuedCredentials: issued } = event;
    // The order here is the order `expandDigestedRecords` reads back.
    table[at + EVENT.eventTimeMs] = event.eventTimeMs;
    table[at + EVENT.eventSource] = intern(event.eventSource);
    table[at + EVENT.eventName] = intern(event.eventName);
    table[at + EVENT.eventType] = intern(event.eventType);
    table[at + EVENT.awsRegion] = intern(event.awsRegion);
    table[at + EVENT.sourceIp] = intern(event.sourceIp);
    table[at + EVENT.userAgent] = intern(event.userAgent);
    table[at + EVENT.errorCode] = intern(event.errorCode);
    table[at + EVENT.errorMessage] = intern(event.errorMessage);
    table[at + EVENT.recipientAccountId] = intern(event.recipientAccountId);
    table[at + IDENTITY.type] = intern(identity.type);
    table[at + IDENTITY.principalId] = intern(identity.principalId);
    table[at + IDENTITY.arn] = intern(identity.arn);
    table[at + IDENTITY.accountId] = intern(identity.accountId);
    table[at + IDENTITY.accessKeyId] = intern(identity.accessKeyId);
    table[at + IDENTITY.userName] = intern(identity.userName);
    table[at + IDENTITY.sessionIssuerArn] = intern(identity.sessionIssuerArn);
    table[at + IDENTITY.invokedBy] = intern(identity.invokedBy);
    if (readsRequestDetail(event)) {
      table[at + EVENT.requestParameters] = internJson(event.requestParameters);
      table[at + EVENT.responseElements] = internJson(event.responseElements);
    }
    table[at + EVENT.consoleLogin] = intern(event.consoleLogin);
    if (issued) {
      table[at + ISSUED.accessKeyId] = intern(issued.accessKeyId);
      table[at + ISSUED.expiration] = issued.expiration ? issued.expiration.getTime() : Number.NaN;
      table[at + ISSUED.roleArn] = intern(issued.roleArn);
      table[at + ISSUED.sessionName] = intern(issued.sessionName);
    }
  }
  return { table, strings, count: records.length };
}

/**
 * Rebuilds the events of a digest, one at a time (only the event being read is held besides
 * the table). Request and response objects shared by several events are parsed once.
 */
export function* expandDigestedRecords(digest: DigestedRecords): Generator<CloudTrailEvent | null> {
  const { table, strings } = digest;
  const text = (index: number | undefined): string | null =>
    index === undefined || index < 0 ? null : (strings[index] ?? null);
  const objects = new Map<number, Record<string, unknown>>();
  const json = (index: number | undefined): Record<string, unknown> | null => {
    if (index === undefined || index < 0) return null;
    let value = objects.get(index);
    if (value === undefined) {
      value = JSON.parse(strings[index] ?? 'null') as Record<string, unknown>;
      objects.set(index, value);
    }
    return value;
  };
  for (let row = 0; row < digest.count; row += 1) {
    const at = row * COLUMNS;
    const time = table[at + EVENT.eventTimeMs];
    if (time === undefined || Number.isNaN(time)) {
      yield null;
      continue;
    }
    const issuedKey = text(table[at + ISSUED.accessKeyId]);
    const expiration = table[at + ISSUED.expiration];
    yield rebuildCloudTrailEvent({
      eventTimeMs: time,
      eventSource: text(table[at + EVENT.eventSource]) ?? 'unknown',
      eventName: text(table[at + EVENT.eventName]) ?? '',
      eventType: text(table[at + EVENT.eventType]),
      awsRegion: text(table[at + EVENT.awsRegion]),
      sourceIp: text(table[at + EVENT.sourceIp]),
      userAgent: text(table[at + EVENT.userAgent]),
      errorCode: text(table[at + EVENT.errorCode]),
      errorMessage: text(table[at + EVENT.errorMessage]),
      recipientAccountId: text(table[at + EVENT.recipientAccountId]),
      identity: {
        type: text(table[at + IDENTITY.type]),
        principalId: text(table[at + IDENTITY.principalId]),
        arn: text(table[at + IDENTITY.arn]),
        accountId: text(table[at + IDENTITY.accountId]),
        accessKeyId: text(table[at + IDENTITY.accessKeyId]),
        userName: text(table[at + IDENTITY.userName]),
        sessionIssuerArn: text(table[at + IDENTITY.sessionIssuerArn]),
        invokedBy: text(table[at + IDENTITY.invokedBy]),
      },
      requestParameters: json(table[at + EVENT.requestParameters]),
      responseElements: json(table[at + EVENT.responseElements]),
      consoleLogin: text(table[at + EVENT.consoleLogin]),
      issuedCredentials:
        issuedKey === null
          ? null
          : {
              accessKeyId: issuedKey,
              expiration:
                expiration === undefined || Number.isNaN(expiration) ? null : new Date(expiration),
              roleArn: text(table[at + ISSUED.roleArn]),
              sessionName: text(table[at + ISSUED.sessionName]),
            },
    });
  }
}
