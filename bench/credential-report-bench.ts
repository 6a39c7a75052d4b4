import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { createSyntheticAccount } from './iam-account.js';
import { formatNumber, formatRatio, median } from './stats.js';

/**
 * Part 2b: a credential report of `users` users parsed (`parseCredentialReport`), joined into
 * the inventory (`buildInventory`, with every key id and tag as a live scan has them) and
 * checked (`runChecks`), in CPU time (`process.cpuUsage`, GC threads included), against
 * csv-parse alone over the same text with the same options.
 *
 * Every measurement runs in a fresh `node` process (bench/cases/credential-report-case.ts,
 * bundled like the CloudTrail cases): three timed runs after one untimed run, each after a full
 * GC, so no case pays for another's garbage; the cases alternate round by round; medians and
 * bests over every timed run. Peak RSS
 * is read the same way from a single cold run per case and size (what one key scan does),
 * against the RSS of the process just before it, with the inputs already loaded.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out', 'credential-report');

type CaseName = 'csv-parse' | 'parse' | 'full';

/** Peak memory of one cold run, in MB. */
export interface CaseMemory {
  /** RSS just before the run, inputs (report text, key list, users) loaded and collected. */
  readonly rssBeforeMb: number;
  /** Peak RSS of the process (`maxRSS`), the run included. */
  readonly peakMb: number;
  /** `peakMb - rssBeforeMb`: what the run added at its peak. */
  readonly addedMb: number;
  /** RSS after a full GC, with what the run returned still held. */
  readonly heldMb: number;
}

export interface CredentialReportMemory {
  readonly users: number;
  readonly csvBytes: number;
  readonly csvParse: CaseMemory;
  readonly full: CaseMemory;
}

export interface CredentialReportCost {
  readonly users: number;
  readonly csvBytes: number;
  readonly rounds: number;
  readonly findings: number;
  /** Median CPU ms of parse + inventory + checks. */
  readonly fullCpuMs: number;
  /** Median CPU ms of parse alone (our parser: the line splitter plus reading every value). */
  readonly parseCpuMs: number;
  /** Median CPU ms of csv-parse alone. */
  readonly csvParseCpuMs: number;
  readonly fullToCsvParse: number;
  /** Fastest run of each (noise only ever adds time). */
  readonly bestFullCpuMs: number;
  readonly bestParseCpuMs: number;
  readonly bestCsvParseCpuMs: number;
  /** Peak RSS of csv-parse alone and of parse + inventory + checks, per report size. */
  readonly memory: readonly CredentialReportMemory[];
}

interface Inputs {
  readonly dir: string;
  readonly csvBytes: number;
}

function writeInputs(users: number): Inputs {
  const account = createSyntheticAccount(users, 11, NOW);
  const dir = join(OUT, String(users));
  mkdirSync(dir, { recursive: true });
  const accessKeys = account.users.flatMap((user) =>
    user.keys.map((key) => ({
      UserName: user.name,
      AccessKeyId: key.id,
      Status: key.active ? 'Active' : 'Inactive',
      CreateDate: key.created.toISOString(),
    })),
  );
  const details = account.users.map((user) => ({
    UserName: user.name,
    Arn: user.arn,
    Tags: [...user.tags],
  }));
  writeFileSync(join(dir, 'report.csv'), account.csv);
  writeFileSync(join(dir, 'access-keys.json'), JSON.stringify(accessKeys));
  writeFileSync(join(dir, 'users.json'), JSON.stringify(details));
  return { dir, csvBytes: Buffer.byteLength(account.csv) };
}

function bundleCase(): string {
  const outfile = join(OUT, 'credential-report-case.mjs');
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: ['bench/cases/credential-report-case.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

function runCase(
  script: string,
  mode: 'cpu' | 'memory',
  name: CaseName,
  dir: string,
): Record<string, number | number[]> {
  const result = spawnSync(process.execPath, ['--expose-gc', script, mode, name, dir], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) {
    throw new Error(
      `credential-report case ${mode} ${name} failed: ${result.stderr.slice(0, 2000)}`,
    );
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<
    string,
    number | number[]
  >;
}

function memoryOf(script: string, name: CaseName, dir: string): CaseMemory {
  const out = runCase(script, 'memory', name, dir);
  const number = (key: string): number => {
    const value = out[key];
    return typeof value === 'number' ? value : Number.NaN;
  };
  const rssBeforeMb = number('rssBeforeMb');
  const peakMb = number('peakMb');
  return { rssBeforeMb, peakMb, addedMb: peakMb - rssBeforeMb, heldMb: number('heldMb') };
}

/**
 * Measures CPU time at `users` users (`rounds` rounds of the three cases, alternated) and peak
 * RSS at each of `memoryUsers`.
 */
export function benchCredentialReport(
  users: number,
  rounds: number,
  memoryUsers: readonly number[] = [50_000, 100_000],
): CredentialReportCost {
  const script = bundleCase();
  const inputs = writeInputs(users);
  const times: Record<CaseName, number[]> = { 'csv-parse': [], parse: [], full: [] };
  let findings = 0;
  const order: CaseName[] = ['csv-parse', 'parse', 'full'];
  for (let round = 0; round < rounds; round += 1) {
    // The order rotates each round, so no case always runs after the same neighbour.
    for (let i = 0; i < order.length; i += 1) {
      const name = order[(round + i) % order.length] ?? 'full';
      const out = runCase(script, 'cpu', name, inputs.dir);
      const { cpuMs } = out;
      times[name].push(...(Array.isArray(cpuMs) ? cpuMs : [Number.NaN]));
      if (name === 'full' && typeof out.findings === 'number') findings = out.findings;
    }
  }
  const memory = memoryUsers.map((size): CredentialReportMemory => {
    const sized = size === users ? inputs : writeInputs(size);
    return {
      users: size,
      csvBytes: sized.csvBytes,
      csvParse: memoryOf(script, 'csv-parse', sized.dir),
      full: memoryOf(script, 'full', sized.dir),
    };
  });
  const fullCpuMs = median(times.full);
  const csvParseCpuMs = median(times['csv-parse']);
  return {
    users,
    csvBytes: inputs.csvBytes,
    rounds,
    findings,
    fullCpuMs,
    parseCpuMs: median(times.parse),
    csvParseCpuMs,
    fullToCsvParse: fullCpuMs / csvParseCpuMs,
    bestFullCpuMs: Math.min(...times.full),
    bestParseCpuMs: Math.min(...times.parse),
    bestCsvParseCpuMs: Math.min(...times['csv-parse']),
    memory,
  };
}

/** The two tables of this part, for bench/run.ts. */
export function renderCredentialReport(
  report: CredentialReportCost,
  table: (header: readonly string[], rows: readonly (readonly string[])[]) => string,
): string {
  const parts = [
    `\n\nCredential report of ${formatNumber(report.users)} users (${(report.csvBytes / 1e6).toFixed(1)} MB, ${formatNumber(report.findings)} findings), CPU time (${report.rounds} fresh processes per step, 3 timed runs each)\n`,
    table(
      ['step', 'CPU ms (median)', '× csv-parse', 'best ms', 'best ÷ best csv-parse'],
      (
        [
          ['csv-parse alone (baseline)', report.csvParseCpuMs, report.bestCsvParseCpuMs],
          ['parseCredentialReport', report.parseCpuMs, report.bestParseCpuMs],
          ['parse + inventory + 12 checks', report.fullCpuMs, report.bestFullCpuMs],
        ] as const
      ).map(([step, medianMs, bestMs]) => [
        step,
        formatNumber(medianMs),
        formatRatio(medianMs / report.csvParseCpuMs),
        formatNumber(bestMs ?? Number.NaN),
        formatRatio((bestMs ?? Number.NaN) / (report.bestCsvParseCpuMs ?? Number.NaN)),
      ]),
    ),
  ];
  const memory = report.memory ?? [];
  if (memory.length > 0) {
    parts.push('\n\nCredential report: peak RSS of one cold run (MB; inputs already loaded)\n');
    parts.push(
      table(
        ['users', 'CSV MB', 'case', 'RSS before', 'peak RSS', 'added at peak', 'held after'],
        memory.flatMap((m) =>
          (
            [
              ['csv-parse alone', m.csvParse],
              ['parse + inventory + 12 checks', m.full],
            ] as const
          ).map(([name, c]) => [
            formatNumber(m.users),
            (m.csvBytes / 1e6).toFixed(1),
            name,
            formatNumber(c.rssBeforeMb),
            formatNumber(c.peakMb),
            formatNumber(c.addedMb),
            formatNumber(c.heldMb),
          ]),
        ),
      ),
    );
  }
  return parts.join('');
}
