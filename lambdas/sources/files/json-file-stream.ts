import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { SourceStatus } from '../../core/report.js';
import type { RecordStream } from '../../core/sources.js';
import { parseJsonDocuments, readFailureReason, readTextFile } from './json-file.js';

/** What one parsed JSON document of a file gives. */
export interface ExtractedRecords<T> {
  readonly records: readonly T[];
  /** Reasons for records left out of an otherwise good file (`Events[3]: …`). */
  readonly skipped: readonly string[];
  /** Why what was read may be incomplete (a Logs Insights query still `Running`). */
  readonly warnings: readonly string[];
  /** Set when the file is of a known kind that holds no records (a CloudTrail digest file). */
  readonly ignored?: string;
}

/** A file to read: its path, and its path inside the stream's root (for messages). */
export interface ListedFile {
  readonly path: string;
  readonly relativePath: string;
}

/** What reading one file gave: its records, or why it has none. */
export type FileOutcome<T, Records extends Iterable<T> = Iterable<T>> =
  | {
      readonly kind: 'read';
      /** Iterated once, in order; may be produced lazily (decoded as it is read). */
      readonly records: Records;
      /** How many items `records` gives (the stream counts a file's records when it hands them over). */
      readonly count: number;
      readonly skipped: readonly string[];
      readonly warnings: readonly string[];
    }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Reads files and gives one outcome per file, in the order of `files` whatever order the work
 * was done in. The default reads each file in the calling thread when its turn comes;
 * `cloudtrail-workers.ts` reads ahead in worker threads.
 */
export type FileReader<T> = (files: readonly ListedFile[]) => AsyncIterable<FileOutcome<T>>;

/**
 * Turns one parsed JSON document into records, in an array of the extractor's own making (the
 * in-thread reader empties it as it hands the records out).
 * Throws `InputFormatError` with a short reason when the document has the wrong shape.
 */
export type RecordExtractor<T> = (document: unknown, relativePath: string) => ExtractedRecords<T>;

export interface JsonFileStreamOptions<T> {
  /** The stream's (and the report source's) name, e.g. `cloudtrail`. */
  readonly name: string;
  /** Directory read recursively. */
  readonly root: string;
  /** Prefix for `onFile` names: the directory's path inside the export directory. */
  readonly displayPrefix: string;
  /** What the user should put in `root` to get this source, for the `missing` detail. */
  readonly missingHint: string;
  readonly extract: RecordExtractor<T>;
  /** Called before each file is read, with its 1-based index and the number of files. */
  readonly onFile?: (name: string, index: number, total: number) => void;
  /**
   * How the files are read. Default: one at a time in this thread, each when its turn comes.
   * Whatever reads them, the records and the status must be the same.
   */
  readonly readFiles?: FileReader<T>;
}

/** How many reasons a status detail quotes before it says "and N more". */
const REASONS_QUOTED = 3;
const FILE_PATTERN = /\.json(\.gz)?$/i;

/**
 * A record stream over every `*.json` and `*.json.gz` file under a directory, read one file at a
 * time in path order: memory holds one file's records however many files there are. A damaged
 * file (bad gzip, bad JSON, wrong shape) is skipped and counted; it never ends the stream.
 */
export function createJsonFileStream<T>(options: JsonFileStreamOptions<T>): RecordStream<T> {
  const tally = {
    listed: false,
    missing: null as string | null,
    listingError: null as string | null,
    files: 0,
    filesRead: 0,
    filesIgnored: 0,
    records: 0,
    recordsSkipped: 0,
    fileReasons: [] as string[],
    recordReasons: [] as string[],
    warnings: [] as string[],
  };

  /** The records of each file that was read, in path order; the tally says what the rest were. */
  async function* readFiles(): AsyncGenerator<{
    readonly records: Iterable<T>;
    readonly count: number;
  }> {
    const listing = await listJsonFiles(options.root);
    tally.listed = true;
    if (listing.kind === 'missing') {
      tally.missing = `${options.root} not found: ${options.missingHint}`;
      return;
    }
    if (listing.kind === 'error') {
      tally.listingError = listing.reason;
      return;
    }
    tally.files = listing.files.length;
    if (listing.files.length === 0) {
      tally.missing = `${options.root} holds no *.json or *.json.gz files: ${options.missingHint}`;
      return;
    }
    const files = listing.files.map((path) => ({
      path,
      relativePath: relative(options.root, path).split(sep).join('/'),
    }));
    const outcomes = (options.readFiles ?? readInThread(options.extract))(files)[
      Symbol.asyncIterator
    ]();
    try {
      for (const [index, { relativePath }] of files.entries()) {
        // Before the outcome is awaited: in-thread, that is before the file is read.
        options.onFile?.(`${options.displayPrefix}/${relativePath}`, index + 1, files.length);
        const next = await outcomes.next();
        if (next.done) break;
        const outcome = next.value;
        if (outcome.kind === 'failed') {
          note(tally.fileReasons, `${relativePath}: ${outcome.reason}`);
          continue;
        }
        if (outcome.kind === 'ignored') {
          tally.filesIgnored += 1;
          continue;
        }
        tally.recordsSkipped += outcome.skipped.length;
        for (const reason of outcome.skipped)
          note(tally.recordReasons, `${relativePath}: ${reason}`);
        for (const warning of outcome.warnings) note(tally.warnings, `${relativePath}: ${warning}`);
        tally.filesRead += 1;
        // Yielded after the whole file parsed, so a file is either counted as read or as skipped.
        if (outcome.count > 0) yield outcome;
      }
    } finally {
      // Stops read-ahead (worker threads) when the consumer stops early or a file throws.
      await outcomes.return?.();
    }
  }

  async function* records(): AsyncGenerator<T> {
    for await (const file of readFiles()) {
      for (const record of file.records) {
        tally.records += 1;
        yield record;
      }
    }
  }

  /** One file's records a batch: one await per file for the consumer instead of per record. */
  async function* batches(): AsyncGenerator<Iterable<T>> {
    for await (const file of readFiles()) {
      tally.records += file.count;
      yield file.records;
    }
  }

  function status(): SourceStatus {
    const base = { name: options.name };
    if (!tally.listed) {
      return { ...base, status: 'missing', detail: `${options.root} was not read` };
    }
    if (tally.listingError !== null) {
      return { ...base, status: 'degraded', detail: `${options.root} ${tally.listingError}` };
    }
    if (tally.missing !== null) return { ...base, status: 'missing', detail: tally.missing };
    const filesSkipped = tally.files - tally.filesRead - tally.filesIgnored;
    const parts = [
      `read ${tally.filesRead} of ${plural(tally.files, 'file')} (${plural(tally.records, 'record')}) under ${options.root}`,
    ];
    if (tally.filesIgnored > 0)
      parts.push(`ignored ${plural(tally.filesIgnored, 'file')} without records`);
    if (filesSkipped > 0) {
      parts.push(
        `skipped ${plural(filesSkipped, 'damaged file')}: ${quote(tally.fileReasons, filesSkipped)}`,
      );
    }
    if (tally.recordsSkipped > 0) {
      parts.push(
        `skipped ${plural(tally.recordsSkipped, 'record')}: ${quote(tally.recordReasons, tally.recordsSkipped)}`,
      );
    }
    if (tally.warnings.length > 0)
      parts.push(`may be incomplete: ${quote(tally.warnings, tally.warnings.length)}`);
    const degraded = filesSkipped > 0 || tally.recordsSkipped > 0 || tally.warnings.length > 0;
    return {
      ...base,
      status: degraded ? 'degraded' : 'ok',
      detail: parts.join('; '),
      itemsRead: tally.records,
      ...(filesSkipped + tally.recordsSkipped > 0
        ? { itemsSkipped: filesSkipped + tally.recordsSkipped }
        : {}),
    };
  }

  return { name: options.name, records, batches, status };
}

/** The default {@link FileReader}: each file read in this thread when the consumer gets to it. */
function readInThread<T>(extract: RecordExtractor<T>): FileReader<T> {
  return async function* read(files) {
    for (const file of files) yield await readRecordFileInThread(file, extract);
  };
}

/**
 * {@link readRecordFile} for a consumer in this thread: the outcome's records are let go one by
 * one as they are handed out (see {@link ReleasingIterator}), so they can be iterated once only.
 */
export async function readRecordFileInThread<T>(
  file: ListedFile,
  extract: RecordExtractor<T>,
): Promise<FileOutcome<T>> {
  const outcome = await readRecordFile(file, extract);
  return outcome.kind === 'read'
    ? { ...outcome, records: new ReleasingIterator(outcome.records) }
    : outcome;
}

/**
 * Iterates a file's records once and lets go of each as it hands it out. A parsed file's
 * records stay young in V8's heap only if they die young: held by the array until the whole
 * file was consumed, every record outlives the scavenges that run meanwhile and is copied into
 * the old generation (most of a million records), and V8 sizes the old generation at up to
 * four times what survives its last full collection. Released one by one, the records already
 * consumed die in the young generation: fewer bytes promoted, fewer full collections, and a
 * lower peak.
 */
class ReleasingIterator<T> implements IterableIterator<T> {
  readonly #records: (T | undefined)[];
  #next = 0;

  /** `records`: made by this file's extraction and held by nothing else; it is emptied. */
  public constructor(records: readonly T[]) {
    this.#records = records as (T | undefined)[];
  }

  public next(): IteratorResult<T> {
    const index = this.#next;
    if (index >= this.#records.length) return { done: true, value: undefined };
    const record = this.#records[index] as T;
    this.#records[index] = undefined;
    this.#next = index + 1;
    return { done: false, value: record };
  }

  public [Symbol.iterator](): this {
    return this;
  }
}

/**
 * Reads, gunzips and parses one file and extracts its records. Never throws: a damaged file
 * (bad gzip, bad JSON, wrong shape, unreadable) gives a `failed` outcome with the reason.
 * Shared by the in-thread reader and the worker threads, so both tell the same story.
 */
export async function readRecordFile<T>(
  file: ListedFile,
  extract: RecordExtractor<T>,
  readText: (path: string) => string | Promise<string> = readTextFile,
): Promise<FileOutcome<T, readonly T[]>> {
  try {
    const documents = parseJsonDocuments(await readText(file.path));
    const extracted = documents.map((document) => extract(document, file.relativePath));
    const ignored = extracted.find((part) => part.ignored !== undefined);
    if (ignored && extracted.every((part) => part.records.length === 0)) return { kind: 'ignored' };
    const [only] = extracted;
    if (only && extracted.length === 1) {
      // The usual file: one document, whose records need no copying.
      const { records, skipped, warnings } = only;
      return { kind: 'read', records, count: records.length, skipped, warnings };
    }
    const records: T[] = [];
    const skipped: string[] = [];
    const warnings: string[] = [];
    for (const part of extracted) {
      for (const record of part.records) records.push(record);
      skipped.push(...part.skipped);
      warnings.push(...part.warnings);
    }
    return { kind: 'read', records, count: records.length, skipped, warnings };
  } catch (error) {
    return { kind: 'failed', reason: readFailureReason(error) };
  }
}

/** Keeps the first few reasons only: a status detail is one sentence, not a log. */
function note(reasons: string[], reason: string): void {
  if (reasons.length < REASONS_QUOTED) reasons.push(reason);
}

function quote(reasons: readonly string[], total: number): string {
  const more = total - reasons.length;
  return more > 0 ? `${reasons.join(', ')} and ${more} more` : reasons.join(', ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

type Listing =
  | { readonly kind: 'files'; readonly files: string[] }
  | { readonly kind: 'missing' }
  | { readonly kind: 'error'; readonly reason: string };

/**
 * Every `*.json` / `*.json.gz` under `root`, sorted so the order (and so the report) does not
 * depend on the file system. Only paths are held, never contents. Symbolic links to
 * directories are not followed, so a link cycle cannot make the walk endless.
 */
async function listJsonFiles(root: string): Promise<Listing> {
  try {
    const info = await stat(root);
    if (!info.isDirectory()) return { kind: 'error', reason: 'is not a directory' };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'error', reason: readFailureReason(error) };
  }
  const files: string[] = [];
  const pending = [root];
  try {
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
      const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) pending.push(path);
        else if (FILE_PATTERN.test(entry.name) && (entry.isFile() || entry.isSymbolicLink()))
          files.push(path);
      }
    }
  } catch (error) {
    return { kind: 'error', reason: readFailureReason(error) };
  }
  files.sort();
  return { kind: 'files', files };
}
