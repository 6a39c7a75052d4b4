import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputFormatError } from '../../../lambdas/core/errors.js';
import {
  decodeText,
  parseJsonDocuments,
  readTextFile,
  readTextFileSync,
} from '../../../lambdas/sources/files/json-file.js';
import { createTempExportDir, type TempExportDir } from './temp-export-dir.js';

describe('parseJsonDocuments', () => {
  it('parses one document', () => {
    // Act / Assess
    expect(parseJsonDocuments(' {"a": [1, {"b": "}"}]}\n')).toEqual([{ a: [1, { b: '}' }] }]);
  });

  it('parses documents written one after another, braces inside strings included', () => {
    // Prepare
    const text = '{"s": "a } \\" {"}\n[1, [2]]{"t": "]"}';
    // Act / Assess
    expect(parseJsonDocuments(text)).toEqual([{ s: 'a } " {' }, [1, [2]], { t: ']' }]);
  });

  it.each([
    ['', /empty file/],
    ['   \n', /empty file/],
    ['{"a": 1', /not JSON/],
    ['{"a": 1} trailing', /not JSON/],
    ['{"a": 1}{"b": }', /not JSON/],
    ['42 43', /not JSON/],
  ])('refuses %j with an InputFormatError', (text, message) => {
    // Act / Assess
    expect(() => parseJsonDocuments(text)).toThrow(InputFormatError);
    expect(() => parseJsonDocuments(text)).toThrow(message);
  });
});

describe('decodeText', () => {
  it.each([
    ['UTF-8', Buffer.from('{"é":1}', 'utf8')],
    [
      'UTF-8 with a BOM',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"é":1}', 'utf8')]),
    ],
    [
      'UTF-16LE with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"é":1}', 'utf16le')]),
    ],
    [
      'UTF-16BE with a BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"é":1}', 'utf16le').swap16()]),
    ],
  ])('decodes %s', (_name, bytes) => {
    // Act / Assess
    expect(decodeText(bytes)).toBe('{"é":1}');
  });
});

describe('reading gzip files (the output is sized from the gzip trailer)', () => {
  let dir: TempExportDir;
  beforeEach(async () => {
    dir = await createTempExportDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('reads a file of several gzip members, whose trailer gives only the size of the last', async () => {
    // Prepare
    const text = `{"Records":[${'{"eventName":"ListUsers"},'.repeat(2_000)}{}]}`;
    const file = await dir.write(
      'two-members.json.gz',
      Buffer.concat([gzipSync(text.slice(0, 30_000)), gzipSync(text.slice(30_000))]),
    );

    // Act / Assess
    expect(await readTextFile(file)).toBe(text);
    expect(readTextFileSync(file)).toBe(text);
  });

  it('refuses a gzip file whose trailer claims another size, whether it reads it in one piece or not', async () => {
    // Prepare
    const bytes = gzipSync('{"Records":[]}');
    for (const claimed of [1, 200]) {
      const lying = Buffer.from(bytes);
      lying.writeUInt32LE(claimed, lying.length - 4);
      const file = await dir.write(`claims-${claimed}.json.gz`, lying);

      // Act / Assess
      await expect(readTextFile(file)).rejects.toThrow(/not valid gzip/);
      expect(() => readTextFileSync(file)).toThrow(/not valid gzip/);
    }
  });
});
