import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCases } from './bundle.js';
import { benchCloudTrail, type CloudTrailResults } from './cloudtrail-bench.js';
import { benchColdStarts, type ColdStart } from './cold-start.js';
import {
  benchCredentialReport,
  type CredentialReportCost,
  renderCredentialReport,
} from './credential-report-bench.js';
import { benchScanCost, renderScanCost, type ScanCost } from './iam-calls.js';
import { formatNumber, formatRatio } from './stats.js';

/**
 * `npm run bench`: every benchmark of BENCHMARKS.md in one run, a table on stdout and the
 * figures in bench/results.json (both git-ignored, like the generated trails in bench/out/).
 *
 *   npm run bench              # 100k and 1M CloudTrail events, everything else
 *   npm run bench -- --quick   # 100k events only, fewer rounds (a minute or two)
 *   npm run bench -- --only cloudtrail,iam,report,cold
 *   npm run bench -- --render  # the tables of the last run, from bench/results.json
 *
 * Every time is printed next to a baseline measured in the same run, as a ratio: the machines
 * this runs on are shared and noisy, so an absolute time alone says little.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const SEED = 20261120;

interface Args {
  readonly onlyGiven: boolean;
  readonly quick: boolean;
  readonly only: ReadonlySet<string>;
  readonly workers: number;
}

function parseArgs(argv: readonly string[]): Args {
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = new Set(
    onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : ['cloudtrail', 'iam', 'report', 'cold'],
  );
  const workersAt = argv.indexOf('--workers');
  const workers = workersAt >= 0 ? Number(argv[workersAt + 1]) : 2;
  return { onlyGiven: onlyAt >= 0, quick, only, workers };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--render')) {
    // Prints the tables of the last run again (bench/results.json), without measuring.
    const saved = JSON.parse(await readFile(join(ROOT, 'bench', 'results.json'), 'utf8'));
    process.stdout.write(renderTables(saved as AllResults));
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const machine = {
    node: process.version,
    cpus: cpus().length,
    availableParallelism: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1e9),
    loadAverageAtStart: loadavg().map((n) => Number(n.toFixed(2))),
  };
  log(
    `credential-health benchmarks (${machine.node}, ${machine.cpus} CPUs, load ${machine.loadAverageAtStart.join(' ')})`,
  );

  const cloudTrail: CloudTrailResults[] = [];
  if (args.only.has('cloudtrail')) {
    log('CloudTrail throughput');
    const scripts = await bundleCases(ROOT, join(OUT, 'bundle'));
    const caseScript = scripts['cloudtrail-case'] ?? '';
    const sizes = args.quick
      ? [{ size: 100_000, rounds: 3, jqRounds: 1, correlatorAlone: true }]
      : [
          { size: 100_000, rounds: 5, jqRounds: 1, correlatorAlone: true },
          { size: 1_000_000, rounds: 3, jqRounds: 1, correlatorAlone: false },
        ];
    for (const { size, rounds, jqRounds, correlatorAlone } of sizes) {
      cloudTrail.push(
        await benchCloudTrail({
          root: ROOT,
          outDir: OUT,
          caseScript,
          size,
          seed: SEED,
          rounds,
          workers: args.workers,
          jqRounds,
          correlatorAlone,
          log,
        }),
      );
    }
  }

  let scanCost: ScanCost[] = [];
  if (args.only.has('iam')) {
    log('IAM scan cost (API calls)');
    scanCost = await benchScanCost([100, 1_000, 10_000]);
  }

  let credentialReport: CredentialReportCost | null = null;
  if (args.only.has('report')) {
    log('Credential report of 50,000 users (CPU time)');
    credentialReport = benchCredentialReport(50_000, args.quick ? 2 : 3);
  }

  let coldStarts: ColdStart[] = [];
  if (args.only.has('cold')) {
    log('Lambda bundles and init time');
    coldStarts = await benchColdStarts({
      root: ROOT,
      outDir: OUT,
      rounds: args.quick ? 5 : 9,
      log,
    });
  }

  const totalSeconds = (performance.now() - started) / 1000;
  const results = {
    generatedAt: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: loadavg().map((n) => Number(n.toFixed(2))) },
    totalSeconds,
    cloudTrail,
    scanCost,
    credentialReport,
    coldStarts,
  };
  // With --only, the parts not run keep the figures of the last run.
  const merged = args.onlyGiven ? await mergeWithPrevious(results, args.only) : results;
  await writeFile(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(merged, null, 2)}\n`);
  formatWithBiome(join(ROOT, 'bench', 'results.json'));
  process.stdout.write(renderTables(merged));
  log(`done in ${totalSeconds.toFixed(0)} s; figures in bench/results.json`);
}

/**
 * `npm run lint` checks every JSON file Biome is not told to skip, this one included: it is
 * written in Biome's own format so that a bench run never fails the lint.
 */
function formatWithBiome(file: string): void {
  spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', file], {
    stdio: 'ignore',
  });
}

const PARTS = {
  cloudtrail: 'cloudTrail',
  iam: 'scanCost',
  report: 'credentialReport',
  cold: 'coldStarts',
} as const;

async function mergeWithPrevious(
  results: AllResults,
  only: ReadonlySet<string>,
): Promise<AllResults> {
  let previous: Record<string, unknown>;
  try {
    previous = JSON.parse(await readFile(join(ROOT, 'bench', 'results.json'), 'utf8'));
  } catch {
    return results;
  }
  const merged: Record<string, unknown> = { ...results };
  for (const [part, key] of Object.entries(PARTS)) {
    if (!only.has(part) && key in previous) merged[key] = previous[key];
  }
  return merged as unknown as AllResults;
}

interface AllResults {
  readonly machine: Record<string, unknown>;
  readonly totalSeconds: number;
  readonly cloudTrail: readonly CloudTrailResults[];
  readonly scanCost: readonly ScanCost[];
  readonly credentialReport: CredentialReportCost | null;
  readonly coldStarts: readonly ColdStart[];
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

function renderTables(results: AllResults): string {
  const parts: string[] = [];
  for (const trail of results.cloudTrail) {
    parts.push(
      `\nCloudTrail, ${formatNumber(trail.size)} events in ${trail.files} files (${(trail.gzBytes / 1e6).toFixed(0)} MB gzipped); ` +
        `reports identical with and without workers: ${trail.reportsIdentical ? 'yes' : 'NO'}\n`,
    );
    parts.push(
      table(
        [
          'case',
          'median s',
          'best s',
          'main busy s',
          'events/s',
          'speed × bare',
          'best ÷ best bare',
          'CPU × bare',
          'peak RSS MB',
          'runs',
        ],
        trail.cases.map((c) => [
          c.label,
          formatNumber(c.medianWallMs / 1000, 2),
          formatNumber(c.bestWallMs / 1000, 2),
          c.label.startsWith('correlator') || !Number.isFinite(c.medianMainBusyMs ?? Number.NaN)
            ? 'n/a'
            : formatNumber(c.medianMainBusyMs / 1000, 2),
          formatNumber(c.eventsPerSecond),
          formatRatio(c.ratioToBare),
          formatRatio((trail.cases[0]?.bestWallMs ?? Number.NaN) / c.bestWallMs),
          formatRatio(c.cpuRatioToBare),
          c.peakRssMb === null ? 'n/a' : formatNumber(c.peakRssMb),
          String(c.runs),
        ]),
      ),
    );
    if (!trail.jq.startsWith('measured')) parts.push(`\n${trail.jq}`);
  }
  parts.push(renderScanCost(results.scanCost, table));
  const report = results.credentialReport;
  if (report) parts.push(renderCredentialReport(report, table));
  if (results.coldStarts.length > 0) {
    parts.push('\n\nLambda bundles (NodejsFunction options, minified) and module init\n');
    parts.push(
      table(
        [
          'function',
          'bundle KB',
          'init ms',
          'unbundled SDK import ms',
          'init × unbundled',
          'largest input',
        ],
        results.coldStarts.map((c) =>
          c.error
            ? [c.handler, 'n/a', 'n/a', 'n/a', 'n/a', c.error.slice(0, 60)]
            : [
                c.handler,
                formatNumber(c.bundleBytes / 1024),
                formatNumber(c.bundleInitMs),
                formatNumber(c.unbundledInitMs),
                formatRatio(c.initRatio),
                `${c.topInputs[0]?.path ?? ''} ${formatNumber((c.topInputs[0]?.bytes ?? 0) / 1024)} KB`,
              ],
        ),
      ),
    );
  }
  parts.push(`\n\ntotal: ${results.totalSeconds.toFixed(0)} s\n`);
  return parts.join('');
}

await main();
