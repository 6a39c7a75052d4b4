import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_REPORT_COLUMNS,
  type CredentialReportRow,
  parseCredentialReport,
  parseReportTimestamp,
} from '../../lambdas/core/credential-report.js';
import { InputFormatError } from '../../lambdas/core/errors.js';

const FIXTURES = new URL('../fixtures/credential-report/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const HEADER = CREDENTIAL_REPORT_COLUMNS.join(',');
const USER_ROW =
  'alice,arn:aws:iam::123456789012:user/alice,2024-05-01T10:00:00+00:00,true,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

/** A one-user report with some columns replaced. */
function withValues(
  values: Partial<Record<(typeof CREDENTIAL_REPORT_COLUMNS)[number], string>>,
): string {
  const fields = USER_ROW.split(',');
  for (const [column, value] of Object.entries(values)) {
    fields[
      CREDENTIAL_REPORT_COLUMNS.indexOf(column as (typeof CREDENTIAL_REPORT_COLUMNS)[number])
    ] = value;
  }
  return `${HEADER}\n${fields.join(',')}\n`;
}

function byUser(rows: readonly CredentialReportRow[], user: string): CredentialReportRow {
  const row = rows.find((r) => r.user === user);
  if (!row) throw new Error(`no row for ${user}`);
  return row;
}

function errorOf(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}

describe('parseCredentialReport', () => {
  it('reads every row of a report as AWS exports it', () => {
    // Act
    const rows = parseCredentialReport(fixture('aws-export.csv'));
    // Assess
    expect(rows.map((r) => r.user)).toEqual([
      '<root_account>',
      'alice',
      'ci-deploy',
      'etl-bot',
      'bob',
      'legacy-batch',
      'broken',
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('reads the <root_account> row with its not_supported values', () => {
    const root = byUser(parseCredentialReport(fixture('aws-export.csv')), '<root_account>');

    expect(root).toMatchObject({
      isRoot: true,
      arn: 'arn:aws:iam::123456789012:root',
      passwordEnabled: null,
      passwordLastUsed: { state: 'date', value: new Date('2025-12-01T09:00:00Z') },
      passwordLastChanged: { state: 'not_supported', value: null },
      passwordNextRotation: { state: 'not_supported', value: null },
      mfaActive: false,
    });
    expect(root.accessKeys[0]).toEqual({
      slot: 1,
      active: true,
      lastRotated: { state: 'date', value: new Date('2019-03-02T10:00:00Z') },
      lastUsed: { state: 'date', value: new Date('2026-11-18T07:30:00Z') },
      lastUsedRegion: 'us-east-1',
      lastUsedService: 's3',
    });
  });

  it('reads N/A as never and leaves region and service empty', () => {
    const etl = byUser(parseCredentialReport(fixture('aws-export.csv')), 'etl-bot');

    expect(etl.passwordEnabled).toBe(false);
    expect(etl.passwordLastUsed).toEqual({ state: 'never', value: null });
    expect(etl.accessKeys[0]).toEqual({
      slot: 1,
      active: false,
      lastRotated: { state: 'never', value: null },
      lastUsed: { state: 'never', value: null },
      lastUsedRegion: null,
      lastUsedService: null,
    });
    expect(etl.accessKeys[1]).toMatchObject({
      slot: 2,
      active: true,
      lastUsed: { state: 'never' },
    });
  });

  it('reads no_information and signing certificates', () => {
    const legacy = byUser(parseCredentialReport(fixture('aws-export.csv')), 'legacy-batch');

    expect(legacy.passwordLastUsed).toEqual({ state: 'no_information', value: null });
    expect(legacy.accessKeys[0].lastUsed).toEqual({ state: 'no_information', value: null });
    expect(legacy.certs).toEqual([
      {
        slot: 1,
        active: true,
        lastRotated: { state: 'date', value: new Date('2015-02-01T00:00:00Z') },
      },
      { slot: 2, active: false, lastRotated: { state: 'never', value: null } },
    ]);
    expect(legacy.problems).toEqual([]);
  });

  it('reads ERROR as an error date and lists it in the row problems', () => {
    const broken = byUser(parseCredentialReport(fixture('aws-export.csv')), 'broken');

    expect(broken.accessKeys[0].lastRotated).toEqual({ state: 'error', value: null });
    expect(broken.accessKeys[0].lastUsed).toEqual({ state: 'error', value: null });
    expect(broken.problems).toEqual([
      { line: 8, column: 'access_key_1_last_rotated', value: 'ERROR' },
      { line: 8, column: 'access_key_1_last_used_date', value: 'ERROR' },
    ]);
  });

  it('reads a file with a UTF-8 BOM and CRLF line ends the same as a plain one', () => {
    expect(parseCredentialReport(fixture('bom-crlf.csv'))).toEqual(
      parseCredentialReport(fixture('aws-export.csv')),
    );
  });

  it('ignores columns a future AWS version adds, wherever they are', () => {
    expect(parseCredentialReport(fixture('future-columns.csv'))).toEqual(
      parseCredentialReport(fixture('aws-export.csv')),
    );
  });

  it('reads columns in another order', () => {
    const columns = [...CREDENTIAL_REPORT_COLUMNS].reverse();
    const values = [...USER_ROW.split(',')].reverse();

    const [row] = parseCredentialReport(`${columns.join(',')}\n${values.join(',')}\n`);

    expect(row?.user).toBe('alice');
    expect(row?.mfaActive).toBe(true);
  });

  it('skips blank lines, including trailing ones', () => {
    expect(parseCredentialReport(`${HEADER}\n\n${USER_ROW}\n\n\n`)).toHaveLength(1);
  });

  it('returns no rows for a header alone', () => {
    expect(parseCredentialReport(`${HEADER}\n`)).toEqual([]);
  });

  it('accepts Z and fractional seconds in timestamps', () => {
    const [row] = parseCredentialReport(
      withValues({ password_last_used: '2026-11-19T08:00:00.123Z' }),
    );

    expect(row?.passwordLastUsed).toEqual({
      state: 'date',
      value: new Date('2026-11-19T08:00:00.123Z'),
    });
  });

  it.each([
    ['the empty file', '', 'the file is empty'],
    ['blank lines only', '\n\n\r\n', 'the file is empty'],
    ['a JSON document', '{"Content":"dXNlcixhcm4="}', 'not an IAM credential report'],
    [
      'the base64 Content still encoded',
      'dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1l\n',
      'base64 --decode',
    ],
  ])('rejects %s with an InputFormatError', (_name, csv, message) => {
    const error = errorOf(() => parseCredentialReport(csv));

    expect(error).toBeInstanceOf(InputFormatError);
    expect(error.message).toContain(message);
  });

  it('names the missing column', () => {
    const error = errorOf(() => parseCredentialReport(fixture('missing-column.csv')));

    expect(error).toBeInstanceOf(InputFormatError);
    expect(error.message).toBe(
      'credential report line 1: missing column "access_key_2_last_used_service"',
    );
  });

  it('names the line of a row with the wrong number of fields', () => {
    const error = errorOf(() => parseCredentialReport(fixture('wrong-field-count.csv')));

    expect(error).toBeInstanceOf(InputFormatError);
    expect(error.message).toMatch(/^credential report line 3: not valid CSV/);
  });

  it('names the line of an unclosed quote', () => {
    const error = errorOf(() => parseCredentialReport(`${HEADER}\n${USER_ROW}\n"bob,arn\n`));

    expect(error).toBeInstanceOf(InputFormatError);
    expect(error.message).toContain('line 3');
  });

  it('rejects a column that appears twice', () => {
    const error = errorOf(() => parseCredentialReport(`${HEADER},user\n${USER_ROW},bob\n`));

    expect(error.message).toBe('credential report line 1: column "user" appears twice');
  });

  it.each([
    [{ mfa_active: 'yes' }, 'line 2: column "mfa_active" must be true or false, got "yes"'],
    [{ access_key_2_active: '' }, 'column "access_key_2_active" must be true or false, got ""'],
    [{ password_enabled: 'not_supported' }, 'column "password_enabled" must be true or false'],
    [{ user: '' }, 'line 2: column "user" is empty'],
  ])('rejects a damaged value %j', (values, message) => {
    const error = errorOf(() => parseCredentialReport(withValues(values)));

    expect(error).toBeInstanceOf(InputFormatError);
    expect(error.message).toContain(message);
  });

  it('reads TRUE and FALSE in any case', () => {
    const [row] = parseCredentialReport(
      withValues({ mfa_active: 'FALSE', password_enabled: 'True' }),
    );

    expect(row?.mfaActive).toBe(false);
    expect(row?.passwordEnabled).toBe(true);
  });

  it.each(['2026-02-30T10:00:00+00:00', 'yesterday', '2026-11-19', '1700000000'])(
    'keeps the unreadable date %j as an error, not a guess',
    (value) => {
      const [row] = parseCredentialReport(withValues({ password_last_used: value }));

      expect(row?.passwordLastUsed).toEqual({ state: 'error', value: null });
      expect(row?.problems).toEqual([{ line: 2, column: 'password_last_used', value }]);
    },
  );
});

describe('parseReportTimestamp', () => {
  it.each([
    ['2026-11-20T12:00:00+00:00', '2026-11-20T12:00:00.000Z'],
    ['2026-11-20T12:00:00Z', '2026-11-20T12:00:00.000Z'],
    ['2026-11-20T14:00:00+02:00', '2026-11-20T12:00:00.000Z'],
    ['2028-02-29T00:00:00+00:00', '2028-02-29T00:00:00.000Z'],
  ])('reads %j', (text, iso) => {
    expect(parseReportTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each(['2027-02-29T00:00:00+00:00', '2026-11-20 12:00:00', 'N/A', '', '2026-11-20T25:00:00Z'])(
    'refuses %j',
    (text) => {
      expect(parseReportTimestamp(text)).toBeNull();
    },
  );
});
