import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTrail } from '../../../bench/cloudtrail-generator.js';
import { runAudit } from '../../../lambdas/core/audit.js';
import {
  type CloudTrailEvent,
  normalizeCloudTrailRecord,
} from '../../../lambdas/core/cloudtrail-event.js';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config.js';
import { readsRequestDetail } from '../../../lambdas/core/incidents/cloudtrail-signals.js';
import type { AuditSources } from '../../../lambdas/core/sources.js';
import {
  digestCloudTrailRecords,
  expandDigestedRecords,
} from '../../../lambdas/sources/files/cloudtrail-digest.js';
import { createExportDirSources } from '../../../lambdas/sources/files/export-dir-sources.js';
import { batchesOf, collect, createTempExportDir, type TempExportDir } from './temp-export-dir.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const DEMO = join(import.meta.dirname, '..', '..', '..', 'examples', 'demo-account');
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'cloudtrail');

async function auditJson(dir: string, workers: number): Promise<string> {
  const report = await runAudit(createExportDirSources(dir, { workers }), {
    config: DEFAULT_CONFIG,
    now: NOW,
    generatedAt: NOW,
  });
  return JSON.stringify(report, null, 1);
}

/** Every record of every fixture and demo file: the shapes the correlator is tested on. */
async function knownRecords(): Promise<unknown[]> {
  const records: unknown[] = [];
  for (const name of await readdir(FIXTURES)) {
    const document = JSON.parse(await readFile(join(FIXTURES, name), 'utf8')) as {
      Records?: unknown[];
      Events?: { CloudTrailEvent?: string }[];
    };
    records.push(...(document.Records ?? []));
    // LookupEvents items are read as they come (the normalizer unwraps CloudTrailEvent).
    records.push(...(document.Events ?? []));
  }
  return records;
}

/**
 * The event as a reader thread sends it: request and response objects only where the
 * correlator reads them (`readsRequestDetail`).
 */
function asSent(raw: unknown): CloudTrailEvent | null {
  const event = normalizeCloudTrailRecord(raw);
  if (!event || readsRequestDetail(event)) return event;
  return { ...event, requestParameters: null, responseElements: null };
}

let dir: TempExportDir;
beforeEach(async () => {
  dir = await createTempExportDir();
});
afterEach(async () => {
  await dir.remove();
});

describe('reading CloudTrail files with worker threads', () => {
  it('gives the same JSON report as reading them in one thread (demo account)', async () => {
    // Prepare
    await cp(DEMO, dir.path, { recursive: true });
    // Act
    const inThread = await auditJson(dir.path, 0);
    const withWorkers = await auditJson(dir.path, 2);
    // Assess
    expect(JSON.parse(inThread).incidents.length).toBeGreaterThan(0);
    expect(withWorkers).toBe(inThread);
  });

  it('gives the same JSON report for a generated trail with damaged and empty files among good ones', async () => {
    // Prepare: 12k records in several files, plus files the reader must skip the same way.
    const trail = await generateTrail(dir.path, 12_000, 7);
    await dir.write(
      'trail-12000-7/cloudtrail/AWSLogs/0-truncated.json.gz',
      gzipSync('{"Records":[{}]}').subarray(0, 12),
    );
    await dir.write('trail-12000-7/cloudtrail/AWSLogs/1-not-json.json', '{"Records": [');
    await dir.write('trail-12000-7/cloudtrail/AWSLogs/2-digest.json', {
      digestEndTime: '2026-11-20T10:00:00Z',
      logFiles: [],
    });
    await dir.write('trail-12000-7/cloudtrail/AWSLogs/3-odd.json', {
      Records: [1, { eventName: 'X' }, { eventTime: 'no' }],
    });
    // Act
    const inThread = await auditJson(trail.dir, 0);
    const oneWorker = await auditJson(trail.dir, 1);
    const twoWorkers = await auditJson(trail.dir, 2);
    // Assess
    const report = JSON.parse(inThread);
    expect(report.incidents.length).toBeGreaterThan(5);
    expect(report.sources.find((s: { name: string }) => s.name === 'cloudtrail')).toMatchObject({
      status: 'degraded',
      itemsRead: 12_002,
    });
    expect(oneWorker).toBe(inThread);
    expect(twoWorkers).toBe(inThread);
  });

  it('calls onFile once per file, in path order, as without workers', async () => {
    // Prepare
    await dir.write('cloudtrail/b.json.gz', {
      Records: [{ eventName: 'B', eventTime: '2026-11-20T10:00:00Z' }],
    });
    await dir.write('cloudtrail/a.json', {
      Records: [{ eventName: 'A', eventTime: '2026-11-20T10:00:00Z' }],
    });
    await dir.write('cloudtrail/c.json', 'not json');
    const seen: string[] = [];
    const sources = createExportDirSources(dir.path, {
      workers: 2,
      onFile: (name, index, total) => seen.push(`${index}/${total} ${name}`),
    });
    const stream = sources.cloudTrail({ start: new Date(0), end: NOW });
    // Act
    const records = await collect(stream.records());
    // Assess
    expect(seen).toEqual([
      '1/3 cloudtrail/a.json',
      '2/3 cloudtrail/b.json.gz',
      '3/3 cloudtrail/c.json',
    ]);
    expect(records.map((r) => (r as { eventName: string }).eventName)).toEqual(['A', 'B']);
    expect(stream.status()).toMatchObject({ status: 'degraded', itemsRead: 2, itemsSkipped: 1 });
  });
});

describe('a file at a time (RecordStream.batches)', () => {
  it('gives the same report as record by record, with and without workers', async () => {
    // Prepare
    const trail = await generateTrail(dir.path, 4_000, 11);
    const recordByRecord = (workers: number): AuditSources => {
      const sources = createExportDirSources(trail.dir, { workers });
      return {
        ...sources,
        cloudTrail: (window) => {
          const stream = sources.cloudTrail(window);
          return { name: stream.name, records: () => stream.records(), status: stream.status };
        },
      };
    };
    const audit = async (sources: AuditSources) =>
      JSON.stringify(
        await runAudit(sources, { config: DEFAULT_CONFIG, now: NOW, generatedAt: NOW }),
        null,
        1,
      );
    // Act
    const batched = await auditJson(trail.dir, 0);
    const batchedWithWorkers = await auditJson(trail.dir, 2);
    const perRecord = await audit(recordByRecord(0));
    const perRecordWithWorkers = await audit(recordByRecord(2));
    // Assess
    expect(JSON.parse(batched).incidents.length).toBeGreaterThan(0);
    expect(batched).toBe(perRecord);
    expect(perRecordWithWorkers).toBe(perRecord);
    expect(batchedWithWorkers).toBe(batched);
  });

  it('hands over the files read by worker threads one batch each, in path order, after onFile', async () => {
    // Prepare
    for (const name of ['c', 'a', 'b']) {
      await dir.write(`cloudtrail/${name}.json.gz`, {
        Records: [
          { eventName: name.toUpperCase(), eventTime: '2026-11-20T10:00:00Z' },
          { eventName: `${name.toUpperCase()}2`, eventTime: '2026-11-20T10:00:01Z' },
        ],
      });
    }
    await dir.write('cloudtrail/d.json', 'not json');
    const seen: string[] = [];
    const stream = createExportDirSources(dir.path, {
      workers: 2,
      onFile: (name, index) => seen.push(`${index} ${name}`),
    }).cloudTrail({ start: new Date(0), end: NOW });
    const batches: string[][] = [];
    // Act
    for await (const batch of batchesOf(stream)) {
      batches.push([
        seen.length.toString(),
        ...[...batch].map((e) => (e as CloudTrailEvent).eventName),
      ]);
    }
    // Assess
    expect(batches).toEqual([
      ['1', 'A', 'A2'],
      ['2', 'B', 'B2'],
      ['3', 'C', 'C2'],
    ]);
    expect(seen).toHaveLength(4);
    expect(stream.status()).toMatchObject({ status: 'degraded', itemsRead: 6, itemsSkipped: 1 });
  });
});

describe('digested CloudTrail records', () => {
  it('read back to the same events as the records they were made from (fixtures and demo)', async () => {
    // Prepare
    const records = await knownRecords();
    // Act
    const back = [...expandDigestedRecords(digestCloudTrailRecords(records))];
    // Assess
    expect(records.length).toBeGreaterThan(20);
    expect(back).toEqual(records.map(asSent));
    // The normalizer (and so the correlator) takes them as they are, without reading them again.
    for (const event of back) expect(normalizeCloudTrailRecord(event)).toBe(event);
  });

  it('read back to the same events for arbitrary record-like input', () => {
    const text = fc.oneof(
      fc.constant(null),
      fc.constant(''),
      fc.constant('  x  '),
      fc.string({ maxLength: 12 }),
      fc.integer(),
    );
    const record = fc.record(
      {
        eventName: text,
        eventTime: fc.oneof(
          fc
            .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString()),
          fc.constant('Jul 18, 2023, 4:07:39 PM'),
          fc.integer({ min: -5, max: 7_258_118_400_001 }),
          text,
        ),
        eventSource: fc.oneof(text, fc.constant('iam.amazonaws.com')),
        errorCode: text,
        sourceIPAddress: text,
        userIdentity: fc.oneof(
          fc.constant(null),
          fc.record(
            {
              type: text,
              arn: text,
              accessKeyId: text,
              invokedBy: text,
              sessionContext: fc.record({ sessionIssuer: fc.record({ arn: text }) }),
            },
            { requiredKeys: [] },
          ),
        ),
        requestParameters: fc.oneof(
          fc.constant(null),
          fc.dictionary(fc.string({ maxLength: 6 }), text),
        ),
        responseElements: fc.oneof(
          fc.constant(null),
          fc.record({
            ConsoleLogin: text,
            credentials: fc.record({ accessKeyId: text, expiration: text }, { requiredKeys: [] }),
          }),
        ),
        detail: fc.oneof(
          fc.constant(undefined),
          fc.record({ eventName: text, eventTime: fc.constant('2026-11-20T10:00:00Z') }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(record, text), { maxLength: 8 }), (records) => {
        const back = [...expandDigestedRecords(digestCloudTrailRecords(records))];
        expect(back).toEqual(records.map(asSent));
      }),
    );
  });
});

describe('the worker file reader', () => {
  it('reads in worker threads (no fallback) and returns outcomes in file order', async () => {
    // Prepare: files of very different sizes, so workers finish out of order.
    const big = Array.from({ length: 3_000 }, (_, i) => ({
      eventName: `Big${i}`,
      eventTime: '2026-11-20T10:00:00Z',
    }));
    await dir.write('cloudtrail/1.json.gz', { Records: big });
    await dir.write('cloudtrail/2.json', {
      Records: [{ eventName: 'Small', eventTime: '2026-11-20T10:00:00Z' }],
    });
    await dir.write('cloudtrail/3.json', 'not json');
    await dir.write('cloudtrail/4.json.gz', { Records: big.slice(0, 10) });
    const files = ['1.json.gz', '2.json', '3.json', '4.json.gz'].map((name) => ({
      path: join(dir.path, 'cloudtrail', name),
      relativePath: name,
    }));
    const failures: unknown[] = [];
    const { createWorkerFileReader } = await import(
      '../../../lambdas/sources/files/cloudtrail-workers.js'
    );
    // Act
    const outcomes = await collect(
      createWorkerFileReader(2, { onWorkerFailure: (e) => failures.push(e) })(files),
    );
    // Assess
    expect(failures).toEqual([]);
    expect(outcomes.map((o) => o.kind)).toEqual(['read', 'read', 'failed', 'read']);
    const counts = outcomes.map((o) => (o.kind === 'read' ? [...o.records].length : 0));
    expect(counts).toEqual([3_000, 1, 0, 10]);
  });
});

describe('when reader threads fail', () => {
  async function threeFiles(): Promise<{ path: string; relativePath: string }[]> {
    await dir.write('cloudtrail/1.json', {
      Records: [{ eventName: 'One', eventTime: '2026-11-20T10:00:00Z' }],
    });
    await dir.write('cloudtrail/2.json', 'not json');
    await dir.write('cloudtrail/3.json.gz', {
      Records: [{ eventName: 'Three', eventTime: '2026-11-20T10:00:00Z' }],
    });
    return ['1.json', '2.json', '3.json.gz'].map((name) => ({
      path: join(dir.path, 'cloudtrail', name),
      relativePath: name,
    }));
  }

  it('reads every file in the main thread when a thread dies, with the same outcomes', async () => {
    // Prepare: threads that exit at once, before answering anything.
    const files = await threeFiles();
    const failures: unknown[] = [];
    const { Worker } = await import('node:worker_threads');
    const { createWorkerFileReader } = await import(
      '../../../lambdas/sources/files/cloudtrail-workers.js'
    );
    const reader = createWorkerFileReader(2, {
      onWorkerFailure: (error) => failures.push(error),
      startWorker: () => new Worker('process.exit(3)', { eval: true }),
    });
    // Act
    const outcomes = await collect(reader(files));
    // Assess
    expect(failures).toHaveLength(1);
    expect(outcomes.map((o) => o.kind)).toEqual(['read', 'failed', 'read']);
    expect(outcomes.flatMap((o) => (o.kind === 'read' ? [...o.records] : []))).toEqual([
      { eventName: 'One', eventTime: '2026-11-20T10:00:00Z' },
      { eventName: 'Three', eventTime: '2026-11-20T10:00:00Z' },
    ]);
  });

  it('reads every file in the main thread when no thread can be started', async () => {
    // Prepare
    const files = await threeFiles();
    const failures: unknown[] = [];
    const { createWorkerFileReader } = await import(
      '../../../lambdas/sources/files/cloudtrail-workers.js'
    );
    const reader = createWorkerFileReader(2, {
      onWorkerFailure: (error) => failures.push(error),
      startWorker: () => {
        throw new Error('no threads here');
      },
    });
    // Act
    const outcomes = await collect(reader(files));
    // Assess
    expect(failures).toEqual([new Error('no threads here')]);
    expect(outcomes.map((o) => o.kind)).toEqual(['read', 'failed', 'read']);
  });
});
