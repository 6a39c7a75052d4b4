import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  type DigestedRecords,
  digestCloudTrailRecords,
  expandDigestedRecords,
} from './cloudtrail-digest.js';
import { extractCloudTrailRecords } from './cloudtrail-file.js';
import { readTextFileSync } from './json-file.js';
import {
  type FileOutcome,
  type FileReader,
  type ListedFile,
  readRecordFile,
  readRecordFileInThread,
} from './json-file-stream.js';

/**
 * Reads CloudTrail files ahead in worker threads: each worker reads, gunzips, parses and
 * digests whole files (see `cloudtrail-digest.ts`) while the main thread correlates the file
 * before. Files come back in path order whatever order they were finished in, so the report is
 * the same as when they are read in the main thread. At most `2 × workers` files are in flight
 * (read-ahead is bounded: a slow consumer stops the workers, memory stays flat).
 *
 * This module is its own worker entry: it is loaded by a dynamic `import()` only, so a bundle
 * puts it in a chunk of its own, and `new Worker(import.meta.url)` starts that chunk (or, from
 * source, this `.ts` file with the tsx loader).
 */

/** Set in `workerData` of the threads this module starts. */
const WORKER_MARK = 'credhealth-cloudtrail-worker';

/**
 * Heap of each reader thread. A worker holds one parsed file at a time (a few tens of MB of
 * objects, all alive until the file is digested). Its young generation is as big as V8's
 * default for the main thread (16 MB semi-spaces): a smaller one (12 MB, semi-spaces of 4)
 * kept the peak memory ~35 MB lower at 1M events but copied every parsed file through the
 * scavenger several times, about a fifth more CPU for the whole audit. A file too big for the
 * old generation makes the worker fail, and the main thread reads it instead.
 */
const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 192 };

/** Files each worker may hold finished or in progress before the consumer takes them. */
const FILES_PER_WORKER = 2;

interface Job {
  readonly id: number;
  readonly file: ListedFile;
}

type WorkerOutcome =
  | {
      readonly kind: 'read';
      readonly digest: DigestedRecords;
      readonly skipped: readonly string[];
      readonly warnings: readonly string[];
    }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'failed'; readonly reason: string }
  /** The worker could not digest what it read: the main thread reads the file itself. */
  | { readonly kind: 'retry' };

interface Reply {
  readonly id: number;
  readonly outcome: WorkerOutcome;
}

/**
 * A {@link FileReader} for CloudTrail files that reads with `workers` threads. A worker that
 * fails (cannot start, crashes) is not fatal: its files, and every later one, are read in the
 * main thread instead, with the same result.
 */
export function createWorkerFileReader(
  workers: number,
  options: WorkerReaderOptions = {},
): FileReader<unknown> {
  return (files) => readWithWorkers(files, Math.max(1, Math.floor(workers)), options);
}

export interface WorkerReaderOptions {
  /** Told when a worker fails and the rest is read in the main thread (for diagnostics). */
  readonly onWorkerFailure?: (error: unknown) => void;
  /** Starts one reader thread. Tests replace it to see a thread fail; the default runs this module. */
  readonly startWorker?: () => Worker;
}

async function* readWithWorkers(
  files: readonly ListedFile[],
  workerCount: number,
  options: WorkerReaderOptions,
): AsyncGenerator<FileOutcome<unknown>> {
  let pool: WorkerPool;
  try {
    pool = new WorkerPool(
      Math.min(workerCount, files.length),
      options.startWorker ?? startWorker,
      options.onWorkerFailure,
    );
  } catch (error) {
    // No thread could be started (no tsx loader from source, a platform without workers):
    // the files are read here, as without workers.
    options.onWorkerFailure?.(error);
    for (const file of files) yield await readRecordFileInThread(file, extractCloudTrailRecords);
    return;
  }
  let next = 0;
  const readAhead = () => {
    while (next < files.length && pool.inFlight < pool.size * FILES_PER_WORKER && !pool.broken) {
      const file = files[next];
      if (file) pool.submit({ id: next, file });
      next += 1;
    }
  };
  try {
    for (const [index, file] of files.entries()) {
      readAhead();
      const outcome = index < next ? await pool.take(index) : null;
      readAhead();
      // null: the pool broke down before this file was done; it is read here instead, exactly
      // as without workers.
      yield outcome && outcome.kind !== 'retry'
        ? toFileOutcome(outcome)
        : await readRecordFileInThread(file, extractCloudTrailRecords);
    }
  } finally {
    await pool.close();
  }
}

function toFileOutcome(outcome: Exclude<WorkerOutcome, { kind: 'retry' }>): FileOutcome<unknown> {
  if (outcome.kind !== 'read') return outcome;
  return {
    kind: 'read',
    records: expandDigestedRecords(outcome.digest),
    count: outcome.digest.count,
    skipped: outcome.skipped,
    warnings: outcome.warnings,
  };
}

/** Fixed worker threads fed jobs round-robin; outcomes are kept by job id until taken. */
class WorkerPool {
  readonly #workers: Worker[] = [];
  readonly #done = new Map<number, WorkerOutcome>();
  readonly #waiting = new Map<number, (outcome: WorkerOutcome | null) => void>();
  /** Job ids sent and not yet taken. */
  readonly #pending = new Set<number>();
  #turn = 0;
  #broken = false;

  public constructor(
    public readonly size: number,
    private readonly startThread: () => Worker,
    private readonly onFailure?: (error: unknown) => void,
  ) {
    try {
      for (let i = 0; i < size; i += 1) this.#workers.push(this.#start());
    } catch (error) {
      for (const worker of this.#workers) void worker.terminate();
      throw error;
    }
  }

  public get inFlight(): number {
    return this.#pending.size;
  }

  /** A worker failed: no more jobs are sent, outcomes already back are still good. */
  public get broken(): boolean {
    return this.#broken;
  }

  public submit(job: Job): void {
    const worker = this.#workers[this.#turn % this.#workers.length];
    this.#turn += 1;
    this.#pending.add(job.id);
    // Held alive only while it owes an answer (see `#settle`).
    worker?.ref();
    worker?.postMessage(job);
  }

  /** The outcome of job `id`, or null when the pool broke before it was done. */
  public take(id: number): Promise<WorkerOutcome | null> {
    const done = this.#done.get(id);
    if (done || this.#broken) {
      this.#settle(id);
      return Promise.resolve(done ?? null);
    }
    return new Promise((resolve) => this.#waiting.set(id, resolve));
  }

  public async close(): Promise<void> {
    this.#broken = true;
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #settle(id: number): void {
    this.#done.delete(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) for (const worker of this.#workers) worker.unref();
  }

  #start(): Worker {
    const worker = this.startThread();
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.#waiting.get(reply.id);
      if (waiting) {
        this.#waiting.delete(reply.id);
        this.#settle(reply.id);
        waiting(reply.outcome);
      } else {
        this.#done.set(reply.id, reply.outcome);
      }
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) this.#fail(new Error(`a reader thread exited with code ${code}`));
    });
    return worker;
  }

  #fail(error: unknown): void {
    if (this.#broken) return;
    this.#broken = true;
    this.onFailure?.(error);
    for (const [id, resolve] of this.#waiting) {
      this.#settle(id);
      resolve(null);
    }
    this.#waiting.clear();
    for (const worker of this.#workers) void worker.terminate();
  }
}

/**
 * Starts a thread running this module. From a bundle (`.mjs`) that is the chunk itself. From
 * source (`.ts`, under vitest or tsx) the thread first registers the tsx loader: loader hooks
 * of the parent thread do not reach a worker's entry on Node 20.
 */
function startWorker(): Worker {
  const options = {
    workerData: { [WORKER_MARK]: true },
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof')),
    resourceLimits: WORKER_HEAP_LIMITS,
  };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(import.meta.url), options);
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsxApi = pathToFileURL(tsxPackage.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The worker side: one job at a time, in the order received. */
function serve(): void {
  const port = parentPort;
  if (!port) return;
  let queue = Promise.resolve();
  port.on('message', (job: Job) => {
    queue = queue.then(async () => {
      const outcome = await readDigested(job.file);
      const transfer = outcome.kind === 'read' ? [outcome.digest.table.buffer] : [];
      port.postMessage({ id: job.id, outcome } satisfies Reply, transfer as ArrayBuffer[]);
    });
  });
}

async function readDigested(file: ListedFile): Promise<WorkerOutcome> {
  const outcome = await readRecordFile(file, extractCloudTrailRecords, readTextFileSync);
  if (outcome.kind !== 'read') return outcome;
  try {
    return {
      kind: 'read',
      digest: digestCloudTrailRecords(outcome.records),
      skipped: outcome.skipped,
      warnings: outcome.warnings,
    };
  } catch {
    return { kind: 'retry' };
  }
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_MARK] === true) {
  serve();
}
