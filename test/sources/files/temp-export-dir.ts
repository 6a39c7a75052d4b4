import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RecordStream } from '../../../lambdas/core/sources.js';

/** A throw-away export directory for one test; `files` paths are relative to it. */
export interface TempExportDir {
  readonly path: string;
  /** Writes text, or an object as JSON (gzipped when the name ends in `.gz`). */
  write(name: string, content: string | Buffer | object): Promise<string>;
  remove(): Promise<void>;
}

export async function createTempExportDir(): Promise<TempExportDir> {
  const path = await mkdtemp(join(tmpdir(), 'credhealth-export-'));
  return {
    path,
    async write(name, content) {
      const file = join(path, name);
      await mkdir(dirname(file), { recursive: true });
      const bytes =
        typeof content === 'string' || Buffer.isBuffer(content)
          ? content
          : Buffer.from(JSON.stringify(content));
      await writeFile(
        file,
        name.endsWith('.gz') && !Buffer.isBuffer(content) ? gzipSync(bytes) : bytes,
      );
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** A stream's batches (`RecordStream.batches`); fails the test when it has none. */
export function batchesOf<T>(stream: RecordStream<T>): AsyncIterable<Iterable<T>> {
  if (!stream.batches) throw new Error(`${stream.name} has no batches()`);
  return stream.batches();
}

/** Every record of a stream, in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export const CSV_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
export const CSV_ROOT_ROW =
  '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
export const CREDENTIAL_REPORT_CSV = `${CSV_HEADER}\n${CSV_ROOT_ROW}\n`;
