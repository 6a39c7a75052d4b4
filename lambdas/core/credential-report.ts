import { parse } from 'csv-parse/sync';
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
 *
 * @throws InputFormatError for an empty file, a file that is not CSV, a header without a
 *   required column, a row with the wrong number of fields, or a boolean column holding
 *   something else than `true`/`false` (the message names the line and the column).
 * @example
 * const rows = parseCredentialReport(csvText);
 * rows.find((row) => row.isRoot)?.mfaActive;
 */
export function parseCredentialReport(csv: string): CredentialReportRow[] {
  const records = readRecords(csv);
  const header = records[0];
  if (!header) throw new InputFormatError('credential report: the file is empty');
  const columns = columnIndexes(header.record);
  const rows: CredentialReportRow[] = [];
  for (const { record, info } of records.slice(1)) {
    rows.push(readRow(record, columns, info.lines));
  }
  return rows;
}

interface RawRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function readRecords(csv: string): RawRecord[] {
  if (typeof csv !== 'string') {
    throw new InputFormatError('credential report: expected the decoded CSV text');
  }
  const start = csv.replace(/^\uFEFF/, '').trimStart();
  if (start === '') throw new InputFormatError('credential report: the file is empty');
  if (start.startsWith('{') || start.startsWith('[')) {
    throw new InputFormatError(
      'credential report line 1: not an IAM credential report but JSON. Save the decoded CSV ' +
        'instead: aws iam get-credential-report --query Content --output text | base64 --decode',
    );
  }
  try {
    return parse(csv, { bom: true, info: true, skip_empty_lines: true }) as unknown as RawRecord[];
  } catch (error) {
    const line = lineOf(error);
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputFormatError(
      `credential report${line === null ? '' : ` line ${line}`}: not valid CSV (${reason})`,
      { cause: error },
    );
  }
}

function lineOf(error: unknown): number | null {
  if (error !== null && typeof error === 'object' && 'lines' in error) {
    const { lines } = error as { lines: unknown };
    if (typeof lines === 'number' && Number.isFinite(lines)) return lines;
  }
  return null;
}

type ColumnIndexes = Readonly<Record<CredentialReportColumn, number>>;

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
  return Object.fromEntries(
    CREDENTIAL_REPORT_COLUMNS.map((column) => [column, names.indexOf(column)]),
  ) as Record<CredentialReportColumn, number>;
}

function isColumn(name: string): name is CredentialReportColumn {
  return (CREDENTIAL_REPORT_COLUMNS as readonly string[]).includes(name);
}

/** Reads the values of one record; collects unreadable dates instead of failing on them. */
class RowReader {
  public readonly problems: CredentialReportProblem[] = [];

  public constructor(
    private readonly record: readonly string[],
    private readonly columns: ColumnIndexes,
    private readonly line: number,
  ) {}

  public text(column: CredentialReportColumn): string {
    return this.record[this.columns[column]] ?? '';
  }

  /** `true`/`false` (any case); `not_supported` only where `allowNotSupported`. */
  public flag(column: CredentialReportColumn, allowNotSupported = false): boolean | null {
    const value = this.text(column);
    const normal = value.trim().toLowerCase();
    if (normal === 'true') return true;
    if (normal === 'false') return false;
    if (allowNotSupported && normal === 'not_supported') return null;
    throw new InputFormatError(
      `credential report line ${this.line}: column "${column}" must be true or false, got ${quote(value)}`,
    );
  }

  public date(column: CredentialReportColumn): ReportDate {
    const value = this.text(column).trim();
    switch (value) {
      case 'N/A':
        return { state: 'never', value: null };
      case 'no_information':
        return { state: 'no_information', value: null };
      case 'not_supported':
        return { state: 'not_supported', value: null };
      default: {
        const date = parseReportTimestamp(value);
        if (date) return { state: 'date', value: date };
        this.problems.push({ line: this.line, column, value: this.text(column) });
        return { state: 'error', value: null };
      }
    }
  }

  /** Region and service of a key's last use; `N/A` means never used. */
  public optionalText(column: CredentialReportColumn): string | null {
    const value = this.text(column).trim();
    return value === '' || value === 'N/A' ? null : value;
  }
}

function readRow(
  record: readonly string[],
  columns: ColumnIndexes,
  line: number,
): CredentialReportRow {
  const reader = new RowReader(record, columns, line);
  const user = reader.text('user').trim();
  if (user === '') {
    throw new InputFormatError(`credential report line ${line}: column "user" is empty`);
  }
  const isRoot = user === ROOT_ACCOUNT_USER;
  const keySlot = (slot: 1 | 2): CredentialReportKeySlot => ({
    slot,
    active: reader.flag(`access_key_${slot}_active`) === true,
    lastRotated: reader.date(`access_key_${slot}_last_rotated`),
    lastUsed: reader.date(`access_key_${slot}_last_used_date`),
    lastUsedRegion: reader.optionalText(`access_key_${slot}_last_used_region`),
    lastUsedService: reader.optionalText(`access_key_${slot}_last_used_service`),
  });
  const certSlot = (slot: 1 | 2): CredentialReportCertSlot => ({
    slot,
    active: reader.flag(`cert_${slot}_active`) === true,
    lastRotated: reader.date(`cert_${slot}_last_rotated`),
  });
  return {
    line,
    user,
    arn: reader.text('arn').trim(),
    isRoot,
    userCreationTime: reader.date('user_creation_time'),
    // AWS writes not_supported here for root only; for a user it would be a damaged report.
    passwordEnabled: reader.flag('password_enabled', isRoot),
    passwordLastUsed: reader.date('password_last_used'),
    passwordLastChanged: reader.date('password_last_changed'),
    passwordNextRotation: reader.date('password_next_rotation'),
    mfaActive: reader.flag('mfa_active') === true,
    accessKeys: [keySlot(1), keySlot(2)],
    certs: [certSlot(1), certSlot(2)],
    problems: reader.problems,
  };
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

function quote(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return JSON.stringify(shown);
}
