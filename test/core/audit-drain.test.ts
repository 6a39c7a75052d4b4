import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AuditOptions, runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Report } from '../../lambdas/core/report.js';
import type { AuditSources, RecordStream } from '../../lambdas/core/sources.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';

/**
 * How the audit drains its record streams: a batch at a time when the stream offers batches
 * (`RecordStream.batches`, exported files), record by record otherwise (live sources), with the
 * same report, progress and accounting either way.
 */

const RISKY = join(import.meta.dirname, '..', 'fixtures', 'export-dirs', 'risky');
const NOW = new Date('2026-11-20T12:00:00Z');

const audit = (sources: AuditSources, options: Partial<AuditOptions> = {}): Promise<Report> =>
  runAudit(sources, { config: DEFAULT_CONFIG, now: NOW, generatedAt: NOW, ...options });

/** The exported files with each stream replaced by `wrap(stream)`. */
function withStreams(
  wrap: <T>(stream: RecordStream<T>) => RecordStream<T>,
  sources: AuditSources = createExportDirSources(RISKY),
): AuditSources {
  return {
    ...sources,
    cloudTrail: (window) => wrap(sources.cloudTrail(window)),
    workloadLogs: (window) => wrap(sources.workloadLogs(window)),
  };
}

/** The same stream without `batches`: what a live source looks like to the audit. */
function recordByRecord<T>(stream: RecordStream<T>): RecordStream<T> {
  return { name: stream.name, records: () => stream.records(), status: () => stream.status() };
}

describe('runAudit draining record streams', () => {
  it('takes batches when a stream has them, and never asks it for single records', async () => {
    // Prepare
    const asked: string[] = [];
    const sources = withStreams(
      <T>(stream: RecordStream<T>): RecordStream<T> => ({
        name: stream.name,
        records: () => {
          asked.push(`records ${stream.name}`);
          return stream.records();
        },
        batches: () => {
          asked.push(`batches ${stream.name}`);
          if (!stream.batches) throw new Error(`${stream.name} has no batches()`);
          return stream.batches();
        },
        status: () => stream.status(),
      }),
    );
    // Act
    await audit(sources);
    // Assess
    expect(asked).toEqual(['batches cloudtrail', 'batches workload-logs']);
  });

  it('gives the same report and the same progress from batches as record by record', async () => {
    // Prepare
    const progress = { batched: [] as string[], perRecord: [] as string[] };
    // Act
    const batched = await audit(createExportDirSources(RISKY), {
      onProgress: (stream, records) => progress.batched.push(`${stream} ${records}`),
    });
    const perRecord = await audit(withStreams(recordByRecord), {
      onProgress: (stream, records) => progress.perRecord.push(`${stream} ${records}`),
    });
    // Assess
    expect(batched).toEqual(perRecord);
    expect(batched.incidents.length).toBeGreaterThan(0);
    const trail = batched.sources.find((s) => s.name === 'cloudtrail');
    expect(progress.batched).toContain(`cloudtrail ${trail?.itemsRead}`);
    expect(progress.batched).toEqual(progress.perRecord);
  });

  it('says how many records were taken when a batch fails part way', async () => {
    // Prepare
    const record = { eventName: 'GetObject', eventTime: '2026-11-20T10:00:00Z' };
    const failing = <T>(stream: RecordStream<T>): RecordStream<T> => ({
      ...recordByRecord(stream),
      async *batches() {
        yield [record, record] as T[];
        yield (function* partly() {
          yield record as T;
          throw new Error('disk gone');
        })();
      },
    });
    // Act
    const report = await audit(withStreams(failing));
    // Assess
    const trail = report.sources.find((s) => s.name === 'cloudtrail');
    expect(trail).toMatchObject({ status: 'degraded' });
    expect(trail?.detail).toMatch(/^stopped after 3 records: Error: disk gone; /);
  });
});
