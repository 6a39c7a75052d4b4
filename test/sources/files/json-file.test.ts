import { describe, expect, it } from 'vitest';
import { InputFormatError } from '../../../lambdas/core/errors.js';
import { decodeText, parseJsonDocuments } from '../../../lambdas/sources/files/json-file.js';

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
