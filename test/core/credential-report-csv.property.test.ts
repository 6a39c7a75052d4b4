import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_REPORT_COLUMNS } from '../../lambdas/core/credential-report.js';
import { CSV_PARSE_OPTIONS, CsvRecordReader } from '../../lambdas/core/credential-report-csv.js';

type Outcome =
  | { readonly records: readonly { readonly fields: string[]; readonly line: number }[] }
  | { readonly error: string };

/** What the reader makes of a text: every record and its line, or the error it throws. */
function viaReader(text: string): Outcome {
  try {
    const reader = new CsvRecordReader(text);
    const records: { fields: string[]; line: number }[] = [];
    while (reader.next()) {
      const fields = reader.fields();
      // The in-place view must agree with the strings, field by field.
      fields.forEach((field, index) => {
        const source = reader.locate(index);
        expect(source.slice(reader.fieldStart, reader.fieldEnd)).toBe(field);
      });
      records.push({ fields, line: reader.line });
    }
    return { records };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** What csv-parse makes of it with the same options. */
function viaCsvParse(text: string): Outcome {
  try {
    const parsed = parse(text, CSV_PARSE_OPTIONS) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return { records: parsed.map(({ record, info }) => ({ fields: record, line: info.lines })) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const HEADER = CREDENTIAL_REPORT_COLUMNS.join(',');
const ROW =
  'alice,arn:aws:iam::123456789012:user/alice,2024-05-01T10:00:00+00:00,true,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

/** A field as a CSV writer puts it: quoted when it holds a comma, quote or line break. */
function written(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const plainValue = fc.constantFrom(
  'N/A',
  'true',
  'false',
  'us-east-1',
  '2026-11-20T12:00:00+00:00',
);
const oddValue = fc.string({
  unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é', '\uFEFF', '\uD800', '😀'),
  maxLength: 6,
});
/** A well-written field (quoted when it must be), or now and then a raw one that may be damage. */
const field = fc.oneof(
  { arbitrary: plainValue, weight: 6 },
  { arbitrary: oddValue.map(written), weight: 3 },
  { arbitrary: oddValue, weight: 1 },
);
const lineEnd = fc.constantFrom('\n', '\n', '\r\n', '\r\n', '\r');
/** Mostly `width` fields, as csv-parse requires; sometimes one more or one less. */
const row = (width: number) =>
  fc.oneof(
    { arbitrary: fc.array(field, { minLength: width, maxLength: width }), weight: 4 },
    {
      arbitrary: fc.array(field, { minLength: Math.max(0, width - 1), maxLength: width + 1 }),
      weight: 1,
    },
  );

/** A report-like text: a header, rows of about its width, blank lines, one line end or a mix. */
const report = fc
  .record({
    bom: fc.boolean(),
    width: fc.integer({ min: 1, max: 6 }),
    header: fc.boolean(),
    mixed: fc.boolean(),
    end: lineEnd,
    trailing: fc.boolean(),
  })
  .chain(({ bom, width, header, mixed, end, trailing }) =>
    fc
      .array(fc.tuple(fc.oneof(row(width), fc.constant([] as string[])), lineEnd), {
        maxLength: 8,
      })
      .map((rows) => {
        const lines = rows.map(([fields, own]) => `${fields.join(',')}${mixed ? own : end}`);
        const first = header ? `${HEADER}${end}` : '';
        const text = `${first}${lines.join('')}`;
        return `${bom ? '\uFEFF' : ''}${trailing ? text : text.replace(/[\r\n]+$/, '')}`;
      }),
  );

/** Any text made of the pieces that matter to a CSV reader. */
const pieces = fc
  .array(
    fc.constantFrom(
      ',',
      '"',
      '""',
      '\n',
      '\r',
      '\r\n',
      ' ',
      'a',
      'N/A',
      '\uFEFF',
      '\uD800',
      ROW,
      `\n${ROW}`,
      `\r\n${ROW}`,
      '"q,u"',
      '"x\ny"',
      '"a\r\nb"',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('CsvRecordReader agrees with csv-parse', () => {
  it('on report-like texts: the same records, fields and lines, or the same error', () => {
    fc.assert(
      fc.property(report, (text) => {
        expect(viaReader(text)).toEqual(viaCsvParse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('on any text made of commas, quotes, line ends, byte-order marks and surrogates', () => {
    fc.assert(
      fc.property(pieces, (text) => {
        expect(viaReader(text)).toEqual(viaCsvParse(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('on a real credential report with quoted user names among plain lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(ROW, ROW.replace('alice', '"ali,ce"'), ROW.replace('alice', '"a\nb"')),
          {
            maxLength: 12,
          },
        ),
        fc.constantFrom('\n', '\r\n'),
        (rows, end) => {
          const text = `${HEADER}${end}${rows.join(end)}${end}`;
          expect(viaReader(text)).toEqual(viaCsvParse(text));
        },
      ),
    );
  });
});
