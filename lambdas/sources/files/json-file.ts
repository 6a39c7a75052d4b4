import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gunzipSync, type ZlibOptions } from 'node:zlib';
import { InputFormatError } from '../../core/errors.js';
import { withoutJsonExcerpt } from '../../core/redact.js';

const gunzipAsync = promisify(gunzip);

/**
 * Largest file (and largest decompressed gzip) read. CloudTrail delivers files of a few MB; a
 * bigger one is a mistake or a decompression bomb, and V8 cannot hold a string past ~512 MB.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Reads a file as text: gunzips it when it starts with the gzip magic bytes (whatever its name:
 * some downloads keep `.gz` on a file a proxy already decompressed), and decodes UTF-8 or, when a
 * byte-order mark says so, UTF-16 (what Windows PowerShell's `>` writes).
 *
 * @throws InputFormatError with a short reason (no file name) when the file is too large or
 *   not valid gzip; Node's own error (with `code`) when it cannot be read at all.
 */
export async function readTextFile(path: string): Promise<string> {
  const info = await stat(path);
  // A FIFO or device named `*.json` would block or never end: only regular files are read.
  if (!info.isFile())
    throw new InputFormatError(
      info.isDirectory() ? 'is a directory, not a file' : 'not a regular file',
    );
  if (info.size > MAX_FILE_BYTES) {
    throw new InputFormatError(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  }
  const bytes = await readFile(path);
  return decodeText(await gunzipIfCompressed(bytes));
}

/**
 * {@link readTextFile} for a thread that has nothing else to do (a reader worker): the same
 * checks and errors, without handing each step to the libuv thread pool and waiting for it.
 */
export function readTextFileSync(path: string): string {
  const info = statSync(path);
  if (!info.isFile())
    throw new InputFormatError(
      info.isDirectory() ? 'is a directory, not a file' : 'not a regular file',
    );
  if (info.size > MAX_FILE_BYTES) {
    throw new InputFormatError(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  }
  const bytes = readFileSync(path);
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return decodeText(bytes);
  try {
    return decodeText(gunzipSync(bytes, gunzipOptions(bytes)));
  } catch (error) {
    throw new InputFormatError(`not valid gzip (${shortMessage(error)})`, { cause: error });
  }
}

async function gunzipIfCompressed(bytes: Buffer): Promise<Buffer> {
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    return await gunzipAsync(bytes, gunzipOptions(bytes));
  } catch (error) {
    throw new InputFormatError(`not valid gzip (${shortMessage(error)})`, { cause: error });
  }
}

/** Output sizes up to which the gzip trailer's size is trusted to size the output buffer. */
const MAX_HINTED_BYTES = 64 * 1024 * 1024;

/**
 * The gzip trailer ends with the size of the (last member's) uncompressed data. Sizing zlib's
 * output buffer by it makes the output in one piece instead of 16 KB chunks joined at the end,
 * which halves the time of a gunzip. The hint only sizes a buffer: a wrong one (several
 * members, a damaged trailer) just makes more chunks, and an implausible one is not used.
 */
function gunzipOptions(bytes: Buffer): ZlibOptions {
  const hinted = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : 0;
  const plausible = hinted >= bytes.length && hinted < MAX_HINTED_BYTES;
  return plausible
    ? { maxOutputLength: MAX_FILE_BYTES, chunkSize: hinted + 1 }
    : { maxOutputLength: MAX_FILE_BYTES };
}

/** Decodes UTF-8 (with or without a BOM) or BOM-marked UTF-16. */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return bytes.subarray(2).toString('utf16le');
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Parses one JSON document, or several written one after another: what a shell loop such as
 * `for u in …; do aws iam list-access-keys --user-name "$u"; done > access-keys.json` produces.
 *
 * @throws InputFormatError (`empty file`, `not JSON (…)`) with a reason that names no file.
 * @example parseJsonDocuments('{"a":1}\n{"a":2}') // [{ a: 1 }, { a: 2 }]
 */
export function parseJsonDocuments(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new InputFormatError('empty file');
  try {
    return [JSON.parse(trimmed)];
  } catch (error) {
    const parts = splitConcatenatedJson(trimmed);
    if (parts === null) throw new InputFormatError(`not JSON (${shortMessage(error)})`);
    return parts.map((part) => {
      try {
        return JSON.parse(part) as unknown;
      } catch (partError) {
        throw new InputFormatError(`not JSON (${shortMessage(partError)})`);
      }
    });
  }
}

/**
 * Splits `{…}{…}` / `[…]\n[…]` into its top-level values, or null when the text is not such a
 * sequence (then the first parse error is the one worth reporting).
 */
function splitConcatenatedJson(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 0) {
      if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
      if (ch !== '{' && ch !== '[') return null;
      start = i;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth += 1;
    else if (ch === '}' || ch === ']') {
      depth -= 1;
      if (depth === 0) parts.push(text.slice(start, i + 1));
    }
  }
  return depth === 0 && parts.length > 1 ? parts : null;
}

/** Whether a parsed JSON value is a plain object. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An error's message on one short line, for status details. */
export function shortMessage(error: unknown): string {
  // Parse errors quote the start of the file, which may be a secret: never repeat it.
  const text = withoutJsonExcerpt(error instanceof Error ? error.message : String(error));
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** The reason a file could not be read, from Node's error code when there is one. */
export function readFailureReason(error: unknown): string {
  if (error instanceof InputFormatError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'ENOENT') return 'disappeared while being read';
  return `cannot be read (${shortMessage(error)})`;
}
