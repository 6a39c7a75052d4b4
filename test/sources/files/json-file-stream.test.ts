import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportDirSources } from '../../../lambdas/sources/files/export-dir-sources.js';
import { batchesOf, collect, createTempExportDir, type TempExportDir } from './temp-export-dir.js';

const WINDOW = { start: new Date('2026-11-19T12:00:00Z'), end: new Date('2026-11-20T12:00:00Z') };

let dir: TempExportDir;
beforeEach(async () => {
  dir = await createTempExportDir();
});
afterEach(async () => {
  await dir.remove();
});

describe('CloudTrail files', () => {
  it('reads delivered log files (plain and gzip) and lookup-events output, in path order', async () => {
    // Prepare
    await dir.write('cloudtrail/2026/11/20/b.json.gz', {
      Records: [{ eventID: 'b1' }, { eventID: 'b2' }],
    });
    await dir.write('cloudtrail/2026/11/20/a.json', { Records: [{ eventID: 'a1' }] });
    await dir.write('cloudtrail/lookup.json', {
      Events: [
        {
          EventId: 'c1',
          CloudTrailEvent: JSON.stringify({ eventID: 'c1', errorCode: 'AccessDenied' }),
        },
      ],
      NextToken: 'x',
    });
    const stream = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    const records = await collect(stream.records());
    // Assess
    expect(records).toEqual([
      { eventID: 'a1' },
      { eventID: 'b1' },
      { eventID: 'b2' },
      { eventID: 'c1', errorCode: 'AccessDenied' },
    ]);
    expect(stream.status()).toEqual({
      name: 'cloudtrail',
      status: 'ok',
      detail: `read 3 of 3 files (4 records) under ${join(dir.path, 'cloudtrail')}`,
      itemsRead: 4,
    });
  });

  it('skips a damaged file, counts it, names it, and still reads the others', async () => {
    // Prepare
    const good = gzipSync(JSON.stringify({ Records: [{ eventID: 'ok' }] }));
    await dir.write('cloudtrail/1-truncated.json.gz', good.subarray(0, good.length - 8));
    await dir.write('cloudtrail/2-not-json.json', '{"Records": [');
    await dir.write('cloudtrail/3-shape.json', { records: [] });
    await dir.write('cloudtrail/4-good.json.gz', good);
    const stream = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    const records = await collect(stream.records());
    // Assess
    expect(records).toEqual([{ eventID: 'ok' }]);
    const status = stream.status();
    expect(status).toMatchObject({ status: 'degraded', itemsRead: 1, itemsSkipped: 3 });
    expect(status.detail).toContain('read 1 of 4 files');
    expect(status.detail).toContain('1-truncated.json.gz: not valid gzip');
    expect(status.detail).toContain('2-not-json.json: not JSON');
    expect(status.detail).toContain('3-shape.json: neither a CloudTrail log file');
  });

  it('quotes the first three reasons only', async () => {
    // Prepare
    for (const n of [1, 2, 3, 4, 5]) await dir.write(`cloudtrail/bad-${n}.json`, 'x');
    const stream = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    await collect(stream.records());
    // Assess
    expect(stream.status().detail).toMatch(/bad-3\.json: not JSON \(.*\) and 2 more$/);
    expect(stream.status().detail).not.toContain('bad-4');
  });

  it('skips lookup-events entries whose CloudTrailEvent is missing or not JSON', async () => {
    // Prepare
    await dir.write('cloudtrail/lookup.json', {
      Events: [
        { CloudTrailEvent: '{"eventID":"good"}' },
        { CloudTrailEvent: '{oops' },
        { EventId: 'x' },
        { CloudTrailEvent: '[1]' },
      ],
    });
    const stream = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    const records = await collect(stream.records());
    // Assess
    expect(records).toEqual([{ eventID: 'good' }]);
    expect(stream.status()).toMatchObject({ status: 'degraded', itemsRead: 1, itemsSkipped: 3 });
    expect(stream.status().detail).toContain('Events[1].CloudTrailEvent is not JSON');
    expect(stream.status().detail).toContain('Events[2] has no CloudTrailEvent string');
  });

  it('ignores CloudTrail digest files and files that are not JSON exports', async () => {
    // Prepare
    await dir.write('cloudtrail/CloudTrail-Digest/d.json.gz', {
      awsAccountId: '123456789012',
      digestEndTime: '2026-11-20T10:00:00Z',
      logFiles: [],
    });
    await dir.write('cloudtrail/notes.txt', 'not read');
    await dir.write('cloudtrail/r.json', { Records: [{ eventID: 'r' }] });
    const stream = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    const records = await collect(stream.records());
    // Assess
    expect(records).toEqual([{ eventID: 'r' }]);
    expect(stream.status()).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('ignored 1 file without records'),
    });
  });

  it('is missing when the directory holds no export files', async () => {
    // Prepare
    await dir.write('cloudtrail/readme.txt', 'x');
    const stream = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    await collect(stream.records());
    // Assess
    expect(stream.status()).toMatchObject({
      status: 'missing',
      detail: expect.stringContaining('holds no *.json or *.json.gz files'),
    });
  });

  it('is degraded when "cloudtrail" is a file', async () => {
    // Prepare
    await dir.write('cloudtrail', 'x');
    const stream = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    await collect(stream.records());
    // Assess
    expect(stream.status()).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining('is not a directory'),
    });
  });

  it('does not follow a symbolic link back up the tree', async () => {
    // Prepare
    await dir.write('cloudtrail/a.json', { Records: [{ eventID: 'a' }] });
    await symlink(join(dir.path, 'cloudtrail'), join(dir.path, 'cloudtrail', 'loop'));
    const stream = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    const records = await collect(stream.records());
    // Assess
    expect(records).toEqual([{ eventID: 'a' }]);
  });
});

describe('many files', () => {
  it('reads one file at a time: a file is opened only after the previous one is consumed', async () => {
    // Prepare
    const files = 120;
    for (let n = 0; n < files; n += 1) {
      const name = `cloudtrail/${String(n).padStart(4, '0')}.json${n % 2 === 0 ? '.gz' : ''}`;
      await dir.write(name, {
        Records: Array.from({ length: 25 }, (_, i) => ({ file: n + 1, i })),
      });
    }
    let opened = 0;
    const totals = new Set<number>();
    const stream = createExportDirSources(dir.path, {
      onFile: (_name, index, total) => {
        opened = index;
        totals.add(total);
      },
    }).cloudTrail(WINDOW);
    let mismatches = 0;
    let count = 0;
    // Act
    for await (const record of stream.records()) {
      count += 1;
      if ((record as { file: number }).file !== opened) mismatches += 1;
    }
    // Assess
    expect(count).toBe(files * 25);
    expect(mismatches).toBe(0);
    expect([...totals]).toEqual([files]);
    expect(stream.status()).toMatchObject({ status: 'ok', itemsRead: files * 25 });
  });
});

describe('workload log files', () => {
  it('reads Logs Insights rows, taking the group from @log without the account', async () => {
    // Prepare
    await dir.write('logs/q.json', {
      results: [
        [
          { field: '@timestamp', value: '2026-11-20 09:00:01.123' },
          { field: '@log', value: '123456789012:/aws/lambda/billing' },
          { field: '@logStream', value: '2026/11/20/[$LATEST]abc' },
          { field: '@message', value: 'ExpiredTokenException' },
          { field: '@ptr', value: 'CmAK' },
        ],
        [{ field: '@timestamp', value: '2026-11-20 09:00:02.000' }],
      ],
      status: 'Complete',
    });
    const stream = createExportDirSources(dir.path).workloadLogs(WINDOW);
    // Act
    const entries = await collect(stream.records());
    // Assess
    expect(entries).toEqual([
      {
        timestamp: '2026-11-20 09:00:01.123',
        logGroup: '/aws/lambda/billing',
        logStream: '2026/11/20/[$LATEST]abc',
        message: 'ExpiredTokenException',
      },
    ]);
    expect(stream.status()).toMatchObject({
      status: 'degraded',
      itemsSkipped: 1,
      detail: expect.stringContaining('results[1] has no @message'),
    });
  });

  it('is degraded when the Logs Insights query had not completed', async () => {
    // Prepare
    await dir.write('logs/q.json.gz', {
      results: [[{ field: '@message', value: 'm' }]],
      status: 'Running',
    });
    const stream = createExportDirSources(dir.path).workloadLogs(WINDOW);
    // Act
    const entries = await collect(stream.records());
    // Assess
    expect(entries).toEqual([{ timestamp: null, logGroup: 'q', logStream: null, message: 'm' }]);
    expect(stream.status()).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining('query status is Running'),
    });
  });

  it.each([
    [
      'a logGroupName field on the document',
      'logs/anything.json',
      { logGroupName: '/ecs/etl' },
      '/ecs/etl',
    ],
    ['the nested path', 'logs/ecs/etl.json.gz', {}, '/ecs/etl'],
    ['an escaped file name', 'logs/%2Fecs%2Fetl.json', {}, '/ecs/etl'],
    ['a flat file name', 'logs/etl-api.json', {}, 'etl-api'],
  ])(
    'names the log group of filter-log-events output from %s',
    async (_name, file, extra, group) => {
      // Prepare
      await dir.write(file, {
        ...extra,
        events: [
          { logStreamName: 's', timestamp: 1795165200000, message: 'Unable to locate credentials' },
        ],
      });
      const stream = createExportDirSources(dir.path).workloadLogs(WINDOW);
      // Act
      const entries = await collect(stream.records());
      // Assess
      expect(entries).toEqual([
        {
          timestamp: 1795165200000,
          logGroup: group,
          logStream: 's',
          message: 'Unable to locate credentials',
        },
      ]);
    },
  );

  it('prefers a logGroupName on the event (filter-log-events over several groups, merged)', async () => {
    // Prepare
    await dir.write('logs/merged.json', {
      events: [{ logGroupName: '/a', message: 'x', timestamp: 1 }, { message: 'y' }],
    });
    const stream = createExportDirSources(dir.path).workloadLogs(WINDOW);
    // Act
    const entries = await collect(stream.records());
    // Assess
    expect(entries.map((e) => [e.logGroup, e.timestamp])).toEqual([
      ['/a', 1],
      ['merged', null],
    ]);
  });

  it('skips a log file of the wrong shape and events without a message', async () => {
    // Prepare
    await dir.write('logs/a.json', { rows: [] });
    await dir.write('logs/b.json', { events: [{ timestamp: 1 }, 'text', { message: 'ok' }] });
    const stream = createExportDirSources(dir.path).workloadLogs(WINDOW);
    // Act
    const entries = await collect(stream.records());
    // Assess
    expect(entries.map((e) => e.message)).toEqual(['ok']);
    expect(stream.status()).toMatchObject({ status: 'degraded', itemsRead: 1, itemsSkipped: 3 });
    expect(stream.status().detail).toContain('a.json: neither get-query-results output');
  });
});

describe('batches', () => {
  /** A directory with good, damaged, ignored and empty files and a record that is skipped. */
  async function writeMixedTrail(): Promise<void> {
    await dir.write('cloudtrail/1.json.gz', { Records: [{ eventID: 'a' }, 7, { eventID: 'b' }] });
    await dir.write('cloudtrail/2-broken.json', '{"Records": [');
    await dir.write('cloudtrail/3-empty.json', { Records: [] });
    await dir.write('cloudtrail/CloudTrail-Digest/4.json', { digestEndTime: 'x', logFiles: [] });
    await dir.write('cloudtrail/5.json', { Records: [{ eventID: 'c' }] });
    await dir.write('logs/q.json', { events: [{ message: 'm1' }, { message: 'm2' }] });
  }

  it('hands each file with records over as one batch, with the records and status of records()', async () => {
    // Prepare
    await writeMixedTrail();
    const batched = createExportDirSources(dir.path).cloudTrail(WINDOW);
    const perRecord = createExportDirSources(dir.path).cloudTrail(WINDOW);
    // Act
    const batches = (await collect(batchesOf(batched))).map((batch) => [...batch]);
    const records = await collect(perRecord.records());
    // Assess
    expect(batches).toEqual([[{ eventID: 'a' }, { eventID: 'b' }], [{ eventID: 'c' }]]);
    expect(batches.flat()).toEqual(records);
    expect(batched.status()).toEqual(perRecord.status());
    expect(batched.status()).toMatchObject({ status: 'degraded', itemsRead: 3, itemsSkipped: 2 });
  });

  it('lets go of each record as it hands it out, so a batch gives its records once', async () => {
    // Prepare
    await dir.write('cloudtrail/1.json', { Records: [{ eventID: 'a' }, { eventID: 'b' }] });
    const stream = createExportDirSources(dir.path, { workers: 0 }).cloudTrail(WINDOW);
    // Act
    const [batch] = await collect(batchesOf(stream));
    const first = batch ? [...batch] : [];
    const again = batch ? [...batch] : [];
    // Assess
    expect(first).toEqual([{ eventID: 'a' }, { eventID: 'b' }]);
    expect(again).toEqual([]);
  });

  it('gives workload log entries in batches too', async () => {
    // Prepare
    await writeMixedTrail();
    const batched = createExportDirSources(dir.path).workloadLogs(WINDOW);
    // Act
    const batches = (await collect(batchesOf(batched))).map((batch) => [...batch]);
    // Assess
    expect(batches.map((batch) => batch.map((e) => e.message))).toEqual([['m1', 'm2']]);
    expect(batched.status()).toMatchObject({ status: 'ok', itemsRead: 2 });
  });

  it('opens a file only after the batch before it was taken, so onFile still tracks progress', async () => {
    // Prepare
    const files = 30;
    for (let n = 0; n < files; n += 1) {
      await dir.write(`cloudtrail/${String(n).padStart(3, '0')}.json`, {
        Records: Array.from({ length: 4 }, (_, i) => ({ file: n + 1, i })),
      });
    }
    let opened = 0;
    const stream = createExportDirSources(dir.path, {
      onFile: (_name, index) => {
        opened = index;
      },
    }).cloudTrail(WINDOW);
    const seenWith: number[] = [];
    // Act
    for await (const batch of batchesOf(stream)) {
      for (const record of batch) {
        if ((record as { file: number }).file !== opened) seenWith.push(opened);
      }
    }
    // Assess
    expect(opened).toBe(files);
    expect(seenWith).toEqual([]);
    expect(stream.status()).toMatchObject({ status: 'ok', itemsRead: files * 4 });
  });
});
