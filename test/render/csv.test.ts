import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, renderCsv } from '../../lambdas/render/csv.js';
import { emptyReport, FULL_KEY_IDS, sampleReport, withData } from './sample-report.js';

function records(csv: string): string[][] {
  return parse(csv, { relaxColumnCount: false }) as string[][];
}

describe('renderCsv', () => {
  it('writes a header and one row per finding, in report order, with CRLF line ends', () => {
    // Prepare
    const report = sampleReport();

    // Act
    const csv = renderCsv(report);
    const rows = records(csv);

    // Assess
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(report.findings.length + 1);
    expect(rows.slice(1).map((row) => row[0])).toEqual(report.findings.map((f) => f.id));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/"[^"]*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
  });

  it('fills the key columns with the masked id and leaves empty cells for missing values', () => {
    // Act
    const rows = records(renderCsv(sampleReport()));
    const overdue = rows.find((row) => row[2] === 'key-rotation-overdue') ?? [];
    const noKey = rows.find((row) => row[2] === 'root-mfa-disabled') ?? [];
    const unknownId = rows.find((row) => row[2] === 'key-created-with-user') ?? [];
    const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);

    // Assess
    expect(overdue[column('key_id_masked')]).toBe('AKIA…MPLE');
    expect(overdue[column('key_slot')]).toBe('1');
    expect(overdue[column('key_age_days')]).toBe('412');
    expect(overdue[column('controls')]).toBe(
      'CIS 1.14; Security Hub IAM.3; Config access-keys-rotated',
    );
    expect(overdue[column('remediation')]?.split('\n')).toHaveLength(3);
    expect(noKey.slice(column('key_slot'), column('key_age_days') + 1)).toEqual([
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(unknownId[column('key_id_masked')]).toBe('');
  });

  it('never writes a full access key id', () => {
    // Act
    const csv = renderCsv(sampleReport());

    // Assess
    for (const id of FULL_KEY_IDS) expect(csv).not.toContain(id);
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    // Prepare
    const report = withData({
      title: '=HYPERLINK("https://evil.example","x")',
      owner: '+1 555',
      detail: ' -2+3',
    });

    // Act
    const rows = records(renderCsv(report));
    const row = rows[1] ?? [];
    const principal = rows.find((r) => r[CSV_COLUMNS.indexOf('principal')] === "'@ci-runner");

    // Assess
    expect(row[CSV_COLUMNS.indexOf('title')]).toBe('\'=HYPERLINK("https://evil.example","x")');
    expect(row[CSV_COLUMNS.indexOf('owner')]).toBe("'+1 555");
    expect(row[CSV_COLUMNS.indexOf('detail')]).toBe("' -2+3");
    expect(principal).toBeDefined();
  });

  it('quotes by RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('@x,y')).toBe('"\'@x,y"');
  });

  it('writes only the header when there is no finding', () => {
    expect(renderCsv(emptyReport())).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('keeps the column count and the text for any user name and title (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (name, title) => {
          // Prepare
          const report = withData({ principal: { type: 'IAMUser', name, arn: null }, title });

          // Act
          const rows = records(renderCsv(report));
          const row = rows[1] ?? [];

          // Assess
          expect(rows).toHaveLength(sampleReport().findings.length + 1);
          for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
          const shownName = row[CSV_COLUMNS.indexOf('principal')] ?? '';
          expect(shownName.replace(/^'(?=\s*[=+\-@]|[\t\r])/, '')).toBe(
            name
              .replace(/\r\n?|\n/g, ' ')
              .replace(
                /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
                (id) => `${id.slice(0, 4)}…${id.slice(-4)}`,
              ),
          );
          expect(shownName).not.toMatch(/^\s*[=+\-@]/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
