import { parse } from 'csv-parse/sync';

/**
 * The csv-parse options the credential report is read with. The fast path of
 * `CsvRecordReader` reproduces exactly what csv-parse returns with these, and hands every case
 * it does not handle itself to csv-parse with these.
 */
export const CSV_PARSE_OPTIONS = { bom: true, info: true, skip_empty_lines: true } as const;

/** What `parse(csv, CSV_PARSE_OPTIONS)` returns for each record. */
interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

const QUOTE = 34; // "
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/**
 * Records with a quote read one by one before the reader checks whether they are the rule
 * (more than one record in 8), and then leaves the whole text to csv-parse.
 */
const QUOTED_RECORDS_ALONE = 256;

/** Not found, as a position after any real one, so `next < end` needs no -1 test. */
const NONE = Number.POSITIVE_INFINITY;

/**
 * Reads a CSV text record by record, giving the same records, fields and line numbers as
 * csv-parse with `CSV_PARSE_OPTIONS`, and failing with the same CsvError where csv-parse fails.
 *
 * Why: the IAM credential report is machine-written CSV where a quote is rare (a user name with
 * a comma needs one), and csv-parse, which reads the text byte by byte, costs about as much as
 * everything else the key scan does with the report. A line without a quote or stray carriage
 * return is split on commas here; a record with a quote is handed to csv-parse alone (unless
 * quoted records turn out to be the rule: then csv-parse reads the whole text); anything
 * else odd (a field count that differs from the header's, a lone `\r`, an `\n` inside a CRLF
 * file, a lone UTF-16 surrogate, which csv-parse's UTF-8 round trip would replace) makes the
 * reader parse the whole text with csv-parse and go on from its records, so csv-parse decides
 * every case that is not plain, errors and their messages included.
 *
 * One record at a time, read in place: `next()` moves to it, `field(i)` cuts a field out of the
 * text, and `locate(i)` tells where a field is so that a caller can compare or read it without
 * making a string of it (most fields of the report are `N/A`, `true`, `false` or a timestamp).
 * Nothing but the text, the position and the current record's field bounds is held.
 *
 * @example
 * const reader = new CsvRecordReader('user,arn\nalice,arn:aws:iam::123456789012:user/alice\n');
 * reader.next(); // true
 * reader.fields(); // ['user', 'arn']
 * reader.line; // 1
 */
export class CsvRecordReader {
  private readonly text: string;
  private pos = 0;
  /** The line `pos` is on, counted as csv-parse counts them. */
  private lineAtPos = 1;
  /** Field count of the first record; csv-parse requires it of every other. */
  private expected = -1;
  private recordsRead = 0;
  /** Records with a quote handed to csv-parse one by one so far. */
  private quotedRecords = 0;
  /** The record delimiter csv-parse would discover: the first line end outside quotes. */
  private delimiter: '\n' | '\r\n' | null = null;
  private nextQuote = -1;
  private nextCr = -1;
  /** Set once csv-parse has read the whole text; records then come from here. */
  private fallback: readonly ParsedRecord[] | null = null;

  /** False when the text is left to csv-parse from the start. */
  private readonly plain: boolean;

  /** Line the current record ends on (the first line is 1), as csv-parse's `info.lines`. */
  public line = 0;
  /** Number of fields of the current record. */
  public fieldCount = 0;
  /** Where the field last passed to `locate` starts and ends in the string it returned. */
  public fieldStart = 0;
  public fieldEnd = 0;
  /** Field bounds of the current record when it was split here, in `text`. */
  private starts = new Int32Array(32);
  private ends = new Int32Array(32);
  /** The fields of the current record when csv-parse read it; null when split here. */
  private parsed: readonly string[] | null = null;

  public constructor(text: string) {
    this.text = text;
    this.plain = isWellFormed(text);
    if (text.charCodeAt(0) === BOM) this.pos = 1;
  }

  /**
   * Moves to the next record; false after the last one.
   *
   * @throws CsvError (from csv-parse) where csv-parse would throw for this text.
   */
  public next(): boolean {
    if (this.fallback !== null) return this.fromFallback();
    if (!this.plain) return this.useCsvParse();
    const { text } = this;
    const length = text.length;
    while (this.pos < length) {
      const start = this.pos;
      const newline = text.indexOf('\n', start);
      const lineEnd = newline < 0 ? length : newline;
      if (this.quoteAt(start) < lineEnd) return this.quotedRecord();
      let end = lineEnd;
      if (this.crAt(start) < lineEnd) {
        // Only as the first half of a CRLF record delimiter; any other \r is csv-parse's to read.
        if (newline < 0 || this.nextCr !== newline - 1 || this.delimiter === '\n') {
          return this.useCsvParse();
        }
        this.delimiter = '\r\n';
        end = newline - 1;
      } else if (newline >= 0) {
        // In a CRLF file a bare \n is part of a field for csv-parse.
        if (this.delimiter === '\r\n') return this.useCsvParse();
        this.delimiter = '\n';
      }
      const line = this.lineAtPos;
      this.pos = newline < 0 ? length : newline + 1;
      this.lineAtPos += 1;
      if (end === start) continue; // skip_empty_lines
      const count = this.split(start, end);
      if (this.expected < 0) this.expected = count;
      else if (count !== this.expected) return this.useCsvParse();
      this.recordsRead += 1;
      this.line = line;
      this.fieldCount = count;
      this.parsed = null;
      return true;
    }
    return false;
  }

  /** Field `index` of the current record ('' past the last). */
  public field(index: number): string {
    if (this.parsed !== null) return this.parsed[index] ?? '';
    if (index >= this.fieldCount) return '';
    return this.text.slice(this.starts[index] ?? 0, this.ends[index] ?? 0);
  }

  /** Every field of the current record. */
  public fields(): string[] {
    return Array.from({ length: this.fieldCount }, (_, index) => this.field(index));
  }

  /**
   * The string that holds field `index` of the current record; the field is the part from
   * `fieldStart` to `fieldEnd`. Reading it there makes no new string.
   */
  public locate(index: number): string {
    if (this.parsed !== null || index >= this.fieldCount) {
      const value = this.field(index);
      this.fieldStart = 0;
      this.fieldEnd = value.length;
      return value;
    }
    this.fieldStart = this.starts[index] ?? 0;
    this.fieldEnd = this.ends[index] ?? 0;
    return this.text;
  }

  /** Records the comma-separated fields from `start` to `end` (no quote in between). */
  private split(start: number, end: number): number {
    const { text } = this;
    let count = 0;
    let from = start;
    for (;;) {
      if (count === this.starts.length) this.grow();
      let comma = text.indexOf(',', from);
      if (comma < 0 || comma > end) comma = end;
      this.starts[count] = from;
      this.ends[count] = comma;
      count += 1;
      if (comma === end) return count;
      from = comma + 1;
    }
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  private quoteAt(from: number): number {
    if (this.nextQuote < from) this.nextQuote = positionOf(this.text, '"', from);
    return this.nextQuote;
  }

  private crAt(from: number): number {
    if (this.nextCr < from) this.nextCr = positionOf(this.text, '\r', from);
    return this.nextCr;
  }

  /**
   * A record with a quote: find where it ends (the first line end outside quotes) and let
   * csv-parse read it alone. Whatever csv-parse does not read as exactly one record of the
   * expected length is decided by csv-parse over the whole text.
   */
  private quotedRecord(): boolean {
    // csv-parse costs some 30 µs a call: when quotes are the rule (a report saved again by a
    // tool that quotes every field), one call over the whole text is cheaper.
    this.quotedRecords += 1;
    if (this.quotedRecords > QUOTED_RECORDS_ALONE && this.quotedRecords * 8 > this.recordsRead) {
      return this.useCsvParse();
    }
    const { text } = this;
    const start = this.pos;
    let inQuotes = false;
    let end = start;
    for (; end < text.length; end += 1) {
      const code = text.charCodeAt(end);
      if (code === QUOTE) inQuotes = !inQuotes;
      else if (!inQuotes && (code === LF || code === CR)) break;
    }
    let after = end;
    if (end < text.length) {
      const delimiter = text.charCodeAt(end) === CR ? '\r\n' : '\n';
      if (!text.startsWith(delimiter, end)) return this.useCsvParse(); // a lone \r ends a line
      if (this.delimiter !== null && this.delimiter !== delimiter) return this.useCsvParse();
      this.delimiter = delimiter;
      after = end + delimiter.length;
    }
    let parsed: ParsedRecord[];
    try {
      parsed = parse(text.slice(start, after), {
        ...CSV_PARSE_OPTIONS,
        bom: false,
        ...(this.delimiter === null ? {} : { record_delimiter: this.delimiter }),
      }) as unknown as ParsedRecord[];
    } catch {
      return this.useCsvParse();
    }
    const only = parsed.length === 1 ? parsed[0] : undefined;
    if (!only || (this.expected >= 0 && only.record.length !== this.expected)) {
      return this.useCsvParse();
    }
    if (this.expected < 0) this.expected = only.record.length;
    const line = this.lineAtPos + only.info.lines - 1;
    this.pos = after;
    this.lineAtPos = line + 1;
    this.recordsRead += 1;
    return this.use(only.record, line);
  }

  /** Reads the whole text with csv-parse (throwing its error) and goes on from its records. */
  private useCsvParse(): boolean {
    this.fallback = parse(this.text, CSV_PARSE_OPTIONS) as unknown as ParsedRecord[];
    return this.fromFallback();
  }

  private fromFallback(): boolean {
    const parsed = this.fallback?.[this.recordsRead];
    if (!parsed) return false;
    this.recordsRead += 1;
    return this.use(parsed.record, parsed.info.lines);
  }

  private use(fields: readonly string[], line: number): boolean {
    this.parsed = fields;
    this.fieldCount = fields.length;
    this.line = line;
    return true;
  }
}

function positionOf(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? NONE : at;
}

/**
 * csv-parse reads the text as UTF-8 bytes, which turns a lone surrogate into U+FFFD; such a text
 * is left to it.
 */
function isWellFormed(text: string): boolean {
  const withCheck = text as string & { isWellFormed?: () => boolean };
  if (typeof withCheck.isWellFormed === 'function') return withCheck.isWellFormed();
  return !/[\uD800-\uDFFF]/.test(text);
}
