import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { parseCredentialReport } from '../../lambdas/core/credential-report.js';
import { createIncidentCorrelator } from '../../lambdas/core/incidents/correlator.js';
import { buildInventory } from '../../lambdas/core/inventory-builder.js';
import {
  digestCloudTrailRecords,
  expandDigestedRecords,
} from '../../lambdas/sources/files/cloudtrail-digest.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';

/**
 * One measured CloudTrail case, run in a fresh process so that its peak memory is its own:
 * `node cloudtrail-case.mjs <bare|audit> <dir> [workers]`. Prints one JSON line.
 *
 * - `bare`: the floor of the platform: read, gunzip and JSON.parse every file, one after the
 *   other in one thread, and count the records. Nothing is correlated.
 * - `audit`: the offline audit (`runAudit` over the export directory), with `workers` reader
 *   threads (0: everything in this thread).
 * - `correlate`: the incident correlator alone: each file is read and parsed untimed, then only
 *   `addCloudTrailRecord` over its records is timed; `digested` does the same over the records
 *   as the worker pipeline hands them over (`wallMs` is then the correlator's time only).
 */

const NOW = new Date('2026-11-20T12:00:00Z');

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries
    .map(String)
    .filter((name) => /\.json(\.gz)?$/.test(name))
    .map((name) => join(root, name))
    .sort();
}

async function bare(dir: string): Promise<{ events: number; digest: string }> {
  let events = 0;
  for (const file of await listFiles(join(dir, 'cloudtrail'))) {
    const document = JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as {
      Records: unknown[];
    };
    events += document.Records.length;
  }
  return { events, digest: '' };
}

async function audit(dir: string, workers: number): Promise<{ events: number; digest: string }> {
  const report = await runAudit(createExportDirSources(dir, { workers }), {
    config: DEFAULT_CONFIG,
    now: NOW,
    generatedAt: NOW,
  });
  const trail = report.sources.find((source) => source.name === 'cloudtrail');
  const digest = createHash('sha256').update(JSON.stringify(report)).digest('hex').slice(0, 16);
  return { events: trail?.itemsRead ?? 0, digest };
}

async function correlate(
  dir: string,
  digested: boolean,
): Promise<{ events: number; digest: string; timedMs: number }> {
  const rows = parseCredentialReport(await readFile(join(dir, 'credential-report.csv'), 'utf8'));
  const keys = JSON.parse(await readFile(join(dir, 'access-keys.json'), 'utf8')) as {
    AccessKeyMetadata: [];
  };
  const { inventory } = buildInventory({
    rows,
    accessKeys: keys.AccessKeyMetadata,
    users: null,
    accountSummary: null,
    reportGeneratedAt: null,
    accountId: '111122223333',
  });
  const window = { start: new Date(NOW.getTime() - 86_400_000), end: NOW };
  const correlator = createIncidentCorrelator({
    inventory,
    config: DEFAULT_CONFIG,
    window,
    accountId: inventory.accountId,
  });
  let events = 0;
  let timedMs = 0;
  for (const file of await listFiles(join(dir, 'cloudtrail'))) {
    const parsed = (
      JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as { Records: unknown[] }
    ).Records;
    const records = digested ? [...expandDigestedRecords(digestCloudTrailRecords(parsed))] : parsed;
    const started = performance.now();
    for (const record of records) correlator.addCloudTrailRecord(record);
    timedMs += performance.now() - started;
    events += records.length;
  }
  const started = performance.now();
  const incidents = correlator.finish();
  timedMs += performance.now() - started;
  const digest = createHash('sha256').update(JSON.stringify(incidents)).digest('hex').slice(0, 16);
  return { events, digest, timedMs };
}

const [kind = '', dir = '', workersText = '0'] = process.argv.slice(2);
const started = performance.now();
const cpu = process.cpuUsage();
// Time the main thread was busy (not waiting for I/O or the reader threads): with enough free
// cores for the readers, this is about how long the audit would take.
const loop = performance.eventLoopUtilization();
const result =
  kind === 'bare'
    ? await bare(dir)
    : kind === 'correlate'
      ? await correlate(dir, workersText === 'digested')
      : await audit(dir, Number(workersText));
const wallMs = 'timedMs' in result ? result.timedMs : performance.now() - started;
const used = process.cpuUsage(cpu);
const mainBusyMs = performance.eventLoopUtilization(loop).active;
process.stdout.write(
  `${JSON.stringify({
    kind,
    workers: kind === 'audit' ? Number(workersText) : 0,
    events: result.events,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    mainBusyMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    reportDigest: result.digest,
  })}\n`,
);
