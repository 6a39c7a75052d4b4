import * as csvParse from 'csv-parse/sync';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CsvRecordReader } from '../../lambdas/core/credential-report-csv.js';

// A spy around the real csv-parse: which texts the reader hands to it is what these tests assess.
vi.mock('csv-parse/sync', async (importOriginal) => {
  const actual = await importOriginal<typeof import('csv-parse/sync')>();
  return { ...actual, parse: vi.fn(actual.parse) };
});
const parseSpy = vi.mocked(csvParse.parse);

function readAll(text: string): { fields: string[]; line: number }[] {
  const reader = new CsvRecordReader(text);
  const records: { fields: string[]; line: number }[] = [];
  while (reader.next()) records.push({ fields: reader.fields(), line: reader.line });
  return records;
}

describe('CsvRecordReader', () => {
  beforeEach(() => {
    parseSpy.mockClear();
  });

  it('splits plain lines itself, without csv-parse', () => {
    // Act
    const records = readAll('\uFEFFuser,arn\r\nalice,arn:1\r\n\r\nbob,arn:2\r\n');
    // Assess
    expect(records).toEqual([
      { fields: ['user', 'arn'], line: 1 },
      { fields: ['alice', 'arn:1'], line: 2 },
      { fields: ['bob', 'arn:2'], line: 4 },
    ]);
    expect(parseSpy).not.toHaveBeenCalled();
  });

  it('hands a record with a quote to csv-parse alone, and counts the lines it spans', () => {
    // Act
    const records = readAll('user,arn\nalice,arn:1\n"a,\nb",arn:2\ncarol,arn:3\n');
    // Assess
    expect(records).toEqual([
      { fields: ['user', 'arn'], line: 1 },
      { fields: ['alice', 'arn:1'], line: 2 },
      { fields: ['a,\nb', 'arn:2'], line: 4 },
      { fields: ['carol', 'arn:3'], line: 5 },
    ]);
    expect(parseSpy).toHaveBeenCalledTimes(1);
    expect(parseSpy.mock.calls[0]?.[0]).toBe('"a,\nb",arn:2\n');
  });

  it('leaves the whole text to csv-parse at a field count that differs, and fails as it does', () => {
    // Prepare
    const reader = new CsvRecordReader('user,arn\nalice,arn:1\nbob\n');
    // Act
    const first = [reader.next(), reader.next()];
    // Assess
    expect(first).toEqual([true, true]);
    expect(() => reader.next()).toThrow('Invalid Record Length: expect 2, got 1 on line 3');
    expect(parseSpy).toHaveBeenCalledTimes(1);
  });

  it('leaves a lone carriage return to csv-parse, which reads it as part of a field', () => {
    // Act
    const records = readAll('user,arn\nal\rice,arn:1\n');
    // Assess
    expect(records).toEqual([
      { fields: ['user', 'arn'], line: 1 },
      { fields: ['al\rice', 'arn:1'], line: 3 },
    ]);
    expect(parseSpy).toHaveBeenCalledTimes(1);
  });

  it('leaves the whole text to csv-parse when most records have quotes, with the same result', () => {
    // Prepare
    const rows = Array.from({ length: 400 }, (_, i) => `"user-${i}","arn:${i}"`);
    const text = `user,arn\n${rows.join('\n')}\n`;
    // Act
    const records = readAll(text);
    // Assess
    expect(records).toHaveLength(401);
    expect(records[400]).toEqual({ fields: ['user-399', 'arn:399'], line: 401 });
    expect(parseSpy).toHaveBeenCalledTimes(257);
    expect(parseSpy.mock.calls.at(-1)?.[0]).toBe(text);
  });

  it('gives a field in place: the text it is in and where', () => {
    // Prepare
    const reader = new CsvRecordReader('user,arn\nalice,N/A\n');
    reader.next();
    reader.next();
    // Act
    const source = reader.locate(1);
    // Assess
    expect(source.slice(reader.fieldStart, reader.fieldEnd)).toBe('N/A');
    expect(reader.field(1)).toBe('N/A');
    expect(reader.field(5)).toBe('');
  });
});
