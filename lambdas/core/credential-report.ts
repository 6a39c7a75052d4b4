import { CsvRecordReader } from './credential-report-csv.js';
import { InputFormatError } from './errors.js';
import type { ReportDate } from './inventory.js';

/**
 * The columns of the IAM credential report, in the order AWS writes them. Every one is required;
 * columns a future AWS version adds are ignored.
 */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** One column of the credential report. */
export type CredentialReportColumn = (typeof CREDENTIAL_REPORT_COLUMNS)[number];

/** The `user` value AWS writes for the account's root user. */
export const ROOT_ACCOUNT_USER = '<root_account>';

/** One access-key slot (`access_key_1_*` or `access_key_2_*`) of a report row. */
export interface CredentialReportKeySlot {
  readonly slot: 1 | 2;
  readonly active: boolean;
  /** `access_key_N_last_rotated`: despite its name, the key's creation time. */
  readonly lastRotated: ReportDate;
  readonly lastUsed: ReportDate;
  /** null for `N/A` (never used). */
  readonly lastUsedRegion: string | null;
  /** null for `N/A` (never used). */
  readonly lastUsedService: string | null;
}

/** One X.509 signing-certificate slot (`cert_1_*` or `cert_2_*`) of a report row. */
export interface CredentialReportCertSlot {
  readonly slot: 1 | 2;
  readonly active: boolean;
  readonly lastRotated: ReportDate;
}

/** A value that could not be read as what its column holds; kept so the audit can say so. */
export interface CredentialReportProblem {
  readonly line: number;
  readonly column: CredentialReportColumn;
  readonly value: string;
}

/** One row of the IAM credential report, with every value read into a type. */
export interface CredentialReportRow {
  /** Line of the CSV the row ends on (the header is line 1). */
  readonly line: number;
  /** `<root_account>` for root. */
  readonly user: string;
  readonly arn: string;
  readonly isRoot: boolean;
  readonly userCreationTime: ReportDate;
  /** null when AWS writes `not_supported` (root). */
  readonly passwordEnabled: boolean | null;
  readonly passwordLastUsed: ReportDate;
  readonly passwordLastChanged: ReportDate;
  readonly passwordNextRotation: ReportDate;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly [CredentialReportKeySlot, CredentialReportKeySlot];
  readonly certs: readonly [CredentialReportCertSlot, CredentialReportCertSlot];
  /** Date values that were `ERROR` or not a timestamp (their ReportDate has state `error`). */
  readonly problems: readonly CredentialReportProblem[];
}

/**
 * Reads the decoded IAM credential report exactly as AWS writes it.
 *
 * Dates become `ReportDate`s: `N/A` → `never`, `no_information`, `not_supported`, and `ERROR` or
 * a value that is not a timestamp → `error` (listed in the row's `problems`, never dropped).
 * Blank lines are skipped; a UTF-8 byte-order mark and CRLF line ends are accepted.
 * Rows with nothing to report share their `ReportDate`s of the same state and their empty
 * `problems`: treat the result as read-only, as its types say.
 *
 * @throws InputFormatError for an empty file, a file that is not CSV, a header without a
 *   required column, a row with the wrong number of fields, or a boolean column holding
 *   something else than `true`/`false` (the message names the line and the column). When the
 *   text is not valid CSV, that is the error, wherever it is in the file.
 * @example
 * const rows = parseCredentialReport(csvText);
 * rows.find((row) => row.isRoot)?.mfaActive;
 */
export function parseCredentialReport(csv: string): CredentialReportRow[] {
  const csvReader = openReport(csv);
  const records = new ReportRecords(csvReader);
  const rows: CredentialReportRow[] = [];
  try {
    if (!records.next()) throw new InputFormatError('credential report: the file is empty');
    const reader = new RowReader(csvReader, columnIndexes(csvReader.fields()));
    while (records.next()) rows.push(reader.read());
  } catch (error) {
    // A text that is not CSV is reported as such even when a value before the damage is wrong
    // too, as when the whole text was parsed before any value was read.
    if (!records.failed) records.readToEnd();
    throw error;
  }
  return rows;
}

function openReport(csv: string): CsvRecordReader {
  if (typeof csv !== 'string') {
    throw new InputFormatError('credential report: expected the decoded CSV text');
  }
  // \s is the set trimStart() removes, the byte-order mark included.
  const first = csv.search(/\S/);
  if (first < 0) throw new InputFormatError('credential report: the file is empty');
  const opening = csv[first];
  if (opening === '{' || opening === '[') {
    throw new InputFormatError(
      'credential report line 1: not an IAM credential report but JSON. Save the decoded CSV ' +
        'instead: aws iam get-credential-report --query Content --output text | base64 --decode',
    );
  }
  return new CsvRecordReader(csv);
}

/** The CSV records of the report, with csv-parse's errors turned into InputFormatError. */
class ReportRecords {
  /** True once reading the CSV has failed. */
  public failed = false;

  public constructor(private readonly reader: CsvRecordReader) {}

  /** Moves the reader to the next record; false after the last. */
  public next(): boolean {
    try {
      return this.reader.next();
    } catch (error) {
      this.failed = true;
      const line = lineOf(error);
      const reason = error instanceof Error ? error.message : String(error);
      throw new InputFormatError(
        `credential report${line === null ? '' : ` line ${line}`}: not valid CSV (${reason})`,
        { cause: error },
      );
    }
  }

  /** Reads the rest of the text, only to fail if it is not valid CSV. */
  public readToEnd(): void {
    while (this.next()) {
      // Nothing to keep.
    }
  }
}

function lineOf(error: unknown): number | null {
  if (error !== null && typeof error === 'object' && 'lines' in error) {
    const { lines } = error as { lines: unknown };
    if (typeof lines === 'number' && Number.isFinite(lines)) return lines;
  }
  return null;
}

/** For each column of CREDENTIAL_REPORT_COLUMNS (by its position there), its field in a record. */
type ColumnIndexes = readonly number[];

function columnIndexes(header: readonly string[]): ColumnIndexes {
  const names = header.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) && isColumn(name)) {
      throw new InputFormatError(`credential report line 1: column "${name}" appears twice`);
    }
    seen.add(name);
  }
  const missing = CREDENTIAL_REPORT_COLUMNS.filter((column) => !seen.has(column));
  if (missing.length === CREDENTIAL_REPORT_COLUMNS.length) {
    throw new InputFormatError(
      'credential report line 1: not an IAM credential report (none of its columns, such as "user" ' +
        'and "arn", is in the header). If it came from `aws iam get-credential-report`, decode ' +
        'the Content field first: --query Content --output text | base64 --decode',
    );
  }
  if (missing.length > 0) {
    throw new InputFormatError(
      `credential report line 1: missing column${missing.length > 1 ? 's' : ''} ${missing
        .map((column) => `"${column}"`)
        .join(', ')}`,
    );
  }
  return CREDENTIAL_REPORT_COLUMNS.map((column) => names.indexOf(column));
}

function isColumn(name: string): name is CredentialReportColumn {
  return (CREDENTIAL_REPORT_COLUMNS as readonly string[]).includes(name);
}

/** Positions in CREDENTIAL_REPORT_COLUMNS. */
const USER = 0;
const ARN = 1;
const USER_CREATION_TIME = 2;
const PASSWORD_ENABLED = 3;
const PASSWORD_LAST_USED = 4;
const PASSWORD_LAST_CHANGED = 5;
const PASSWORD_NEXT_ROTATION = 6;
const MFA_ACTIVE = 7;
/** `access_key_1_active`; the key slot's five columns follow in order, then slot 2's. */
const ACCESS_KEY_1 = 8;
const ACCESS_KEY_2 = 13;
/** `cert_1_active`, then `cert_1_last_rotated`, then slot 2's. */
const CERT_1 = 18;
const CERT_2 = 20;

// Shared by every row: most dates of a report are one of these, and a row is read-only.
const NEVER: ReportDate = { state: 'never', value: null };
const NO_INFORMATION: ReportDate = { state: 'no_information', value: null };
const NOT_SUPPORTED: ReportDate = { state: 'not_supported', value: null };
const ERROR_DATE: ReportDate = { state: 'error', value: null };
const NO_PROBLEMS: readonly CredentialReportProblem[] = Object.freeze([]);
// A key or certificate slot that holds nothing (false, then N/A in every column) is one object.
const NO_KEY_1 = emptyKeySlot(1);
const NO_KEY_2 = emptyKeySlot(2);
const NO_KEYS = [NO_KEY_1, NO_KEY_2] as const;
const NO_CERT_1: CredentialReportCertSlot = { slot: 1, active: false, lastRotated: NEVER };
const NO_CERT_2: CredentialReportCertSlot = { slot: 2, active: false, lastRotated: NEVER };
const NO_CERTS = [NO_CERT_1, NO_CERT_2] as const;

function emptyKeySlot(slot: 1 | 2): CredentialReportKeySlot {
  return {
    slot,
    active: false,
    lastRotated: NEVER,
    lastUsed: NEVER,
    lastUsedRegion: null,
    lastUsedService: null,
  };
}

/**
 * Reads the values of the CSV reader's current record into a row; collects unreadable dates
 * instead of failing on them. The plain values (`true`, `N/A`, a timestamp as AWS writes it) are
 * recognised where they stand in the text, without a string of their own; any other is read the
 * general way, with the same result.
 */
class RowReader {
  private line = 0;
  private problems: CredentialReportProblem[] | null = null;

  public constructor(
    private readonly csv: CsvRecordReader,
    private readonly columns: ColumnIndexes,
  ) {}

  public read(): CredentialReportRow {
    const line = this.csv.line;
    this.line = line;
    this.problems = null;
    const user = this.text(USER).trim();
    if (user === '') {
      throw new InputFormatError(`credential report line ${line}: column "user" is empty`);
    }
    const isRoot = user === ROOT_ACCOUNT_USER;
    const arn = this.text(ARN).trim();
    const userCreationTime = this.date(USER_CREATION_TIME);
    // AWS writes not_supported here for root only; for a user it would be a damaged report.
    const passwordEnabled = this.flag(PASSWORD_ENABLED, isRoot);
    const passwordLastUsed = this.date(PASSWORD_LAST_USED);
    const passwordLastChanged = this.date(PASSWORD_LAST_CHANGED);
    const passwordNextRotation = this.date(PASSWORD_NEXT_ROTATION);
    const mfaActive = this.flag(MFA_ACTIVE) === true;
    const key1 = this.keySlot(1, ACCESS_KEY_1);
    const key2 = this.keySlot(2, ACCESS_KEY_2);
    const cert1 = this.certSlot(1, CERT_1);
    const cert2 = this.certSlot(2, CERT_2);
    return {
      line,
      user,
      arn,
      isRoot,
      userCreationTime,
      passwordEnabled,
      passwordLastUsed,
      passwordLastChanged,
      passwordNextRotation,
      mfaActive,
      accessKeys: key1 === NO_KEY_1 && key2 === NO_KEY_2 ? NO_KEYS : [key1, key2],
      certs: cert1 === NO_CERT_1 && cert2 === NO_CERT_2 ? NO_CERTS : [cert1, cert2],
      problems: this.problems ?? NO_PROBLEMS,
    };
  }

  private keySlot(slot: 1 | 2, first: number): CredentialReportKeySlot {
    const active = this.flag(first) === true;
    const lastRotated = this.date(first + 1);
    const lastUsed = this.date(first + 2);
    const lastUsedRegion = this.optionalText(first + 3);
    const lastUsedService = this.optionalText(first + 4);
    if (
      !active &&
      lastRotated === NEVER &&
      lastUsed === NEVER &&
      lastUsedRegion === null &&
      lastUsedService === null
    ) {
      return slot === 1 ? NO_KEY_1 : NO_KEY_2;
    }
    return { slot, active, lastRotated, lastUsed, lastUsedRegion, lastUsedService };
  }

  private certSlot(slot: 1 | 2, first: number): CredentialReportCertSlot {
    const active = this.flag(first) === true;
    const lastRotated = this.date(first + 1);
    if (!active && lastRotated === NEVER) return slot === 1 ? NO_CERT_1 : NO_CERT_2;
    return { slot, active, lastRotated };
  }

  private text(column: number): string {
    return this.csv.field(this.columns[column] ?? -1);
  }

  /** True when the value of `column` is exactly `expected`, compared where it stands. */
  private is(column: number, expected: string): boolean {
    const source = this.csv.locate(this.columns[column] ?? -1);
    const start = this.csv.fieldStart;
    return this.csv.fieldEnd - start === expected.length && source.startsWith(expected, start);
  }

  /** `true`/`false` (any case); `not_supported` only where `allowNotSupported`. */
  private flag(column: number, allowNotSupported = false): boolean | null {
    if (this.is(column, 'true')) return true;
    if (this.is(column, 'false')) return false;
    const value = this.text(column);
    const normal = value.trim().toLowerCase();
    if (normal === 'true') return true;
    if (normal === 'false') return false;
    if (allowNotSupported && normal === 'not_supported') return null;
    throw new InputFormatError(
      `credential report line ${this.line}: column "${columnName(column)}" must be true or false, got ${quote(value)}`,
    );
  }

  private date(column: number): ReportDate {
    if (this.is(column, 'N/A')) return NEVER;
    const source = this.csv.locate(this.columns[column] ?? -1);
    const time = awsTimestampMs(source, this.csv.fieldStart, this.csv.fieldEnd);
    if (!Number.isNaN(time)) return { state: 'date', value: new Date(time) };
    const text = this.text(column);
    const value = text.trim();
    switch (value) {
      case 'N/A':
        return NEVER;
      case 'no_information':
        return NO_INFORMATION;
      case 'not_supported':
        return NOT_SUPPORTED;
      default: {
        const date = parseReportTimestamp(value);
        if (date) return { state: 'date', value: date };
        this.problems ??= [];
        this.problems.push({ line: this.line, column: columnName(column), value: text });
        return ERROR_DATE;
      }
    }
  }

  /** Region and service of a key's last use; `N/A` means never used. */
  private optionalText(column: number): string | null {
    if (this.is(column, 'N/A')) return null;
    const value = this.text(column).trim();
    return value === '' || value === 'N/A' ? null : value;
  }
}

function columnName(column: number): CredentialReportColumn {
  return CREDENTIAL_REPORT_COLUMNS[column] ?? 'user';
}

/** `2026-11-20T12:00:00+00:00` as AWS writes it; also `Z` and fractional seconds. */
const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A credential-report timestamp as a Date, or null when the text is not one. Strict on purpose:
 * `Date.parse` accepts too much (`"1"`, `"May 1"`) to tell a damaged value from a date.
 *
 * @example parseReportTimestamp('2026-11-20T12:00:00+00:00') // 2026-11-20T12:00:00.000Z
 */
export function parseReportTimestamp(text: string): Date | null {
  const time = awsTimestampMs(text);
  if (!Number.isNaN(time)) return new Date(time);
  const match = TIMESTAMP_PATTERN.exec(text);
  if (!match) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return null;
  // Rejects calendar overflow such as 2026-02-30, which Date would roll into March.
  const [, year, month, day] = match;
  const local = new Date(`${year}-${month}-${day}T00:00:00Z`);
  if (Number.isNaN(local.getTime()) || local.getUTCDate() !== Number(day)) return null;
  return date;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Epoch milliseconds of the timestamp from `start` to `end` of `text` if it has exactly the shape
 * AWS writes (`2026-11-20T12:00:00+00:00`, or with `Z`) with every part in range, read without a regex or a Date; NaN for any other text,
 * which `parseReportTimestamp` then reads the general way (to the same result: a real date in
 * this shape is what `new Date(text)` gives, and nothing else is accepted here).
 */
function awsTimestampMs(text: string, start = 0, end = text.length): number {
  const length = end - start;
  if (length === 25) {
    if (!text.startsWith('+00:00', start + 19)) return Number.NaN;
  } else if (length !== 20 || text.charCodeAt(start + 19) !== 90 /* Z */) {
    return Number.NaN;
  }
  if (
    text.charCodeAt(start + 4) !== 45 /* - */ ||
    text.charCodeAt(start + 7) !== 45 ||
    text.charCodeAt(start + 10) !== 84 /* T */ ||
    text.charCodeAt(start + 13) !== 58 /* : */ ||
    text.charCodeAt(start + 16) !== 58
  ) {
    return Number.NaN;
  }
  const century = twoDigits(text, start);
  const yearInCentury = twoDigits(text, start + 2);
  const year = century < 0 || yearInCentury < 0 ? -1 : century * 100 + yearInCentury;
  const month = twoDigits(text, start + 5);
  const day = twoDigits(text, start + 8);
  const hour = twoDigits(text, start + 11);
  const minute = twoDigits(text, start + 14);
  const second = twoDigits(text, start + 17);
  // A part that is not all digits is -1. Years before 1000 are left to the general reading
  // (Date.UTC shifts 0–99 to the 1900s).
  if ((year | month | day | hour | minute | second) < 0) return Number.NaN;
  if (year < 1000 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return Number.NaN;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day < 1 || day > monthDays) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The number written by the two digits at `at`; -1 when they are not two digits. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const units = text.charCodeAt(at + 1) - 48;
  if (tens < 0 || tens > 9 || units < 0 || units > 9) return -1;
  return tens * 10 + units;
}

function quote(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return JSON.stringify(shown);
}
