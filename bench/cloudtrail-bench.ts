import { spawn, spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTrail } from './cloudtrail-generator.js';
import { median } from './stats.js';

/**
 * Part 1: CloudTrail throughput. Every measured case runs in a fresh `node` process (its own
 * peak RSS), the cases of one size are interleaved and repeated (the machine is shared and
 * noisy: medians, and ratios against the bare loop measured in the same round).
 */

export interface CaseRun {
  readonly kind: string;
  readonly workers: number;
  readonly events: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Wall time the main thread's event loop was busy (inflated when the cores are shared). */
  readonly mainBusyMs?: number;
  readonly maxRssMb: number | null;
  readonly reportDigest: string;
}

export interface CaseSummary {
  readonly label: string;
  readonly events: number;
  readonly runs: number;
  readonly medianWallMs: number;
  /** The fastest run: noise only ever adds time, so this is the least disturbed one. */
  readonly bestWallMs: number;
  readonly eventsPerSecond: number;
  /** Median of the per-round ratio of this case's events/s to the bare loop's. */
  readonly ratioToBare: number;
  readonly medianCpuMs: number;
  readonly cpuRatioToBare: number;
  /** Median wall time the main thread was busy: the audit's time if readers had free cores. */
  readonly medianMainBusyMs: number;
  readonly peakRssMb: number | null;
}

export interface CloudTrailResults {
  readonly size: number;
  readonly files: number;
  readonly gzBytes: number;
  readonly generation: { readonly cached: boolean; readonly ms: number };
  readonly cases: readonly CaseSummary[];
  /** The audit's JSON report was the same (sha-256) in every audit run, with and without workers. */
  readonly reportsIdentical: boolean;
  readonly jq: string;
}

interface CaseSpec {
  readonly label: string;
  readonly args: readonly string[];
}

export async function benchCloudTrail(options: {
  readonly root: string;
  readonly outDir: string;
  readonly caseScript: string;
  readonly size: number;
  readonly seed: number;
  readonly rounds: number;
  readonly workers: number;
  readonly jqRounds: number;
  /** Also time the correlator alone (its share of the audit's time). */
  readonly correlatorAlone: boolean;
  readonly log: (line: string) => void;
}): Promise<CloudTrailResults> {
  const generationStart = performance.now();
  const trail = await generateTrail(options.outDir, options.size, options.seed);
  const generationMs = performance.now() - generationStart;
  options.log(
    `  trail of ${options.size} events: ${trail.files} files, ${(trail.bytes / 1e6).toFixed(1)} MB gzipped (${trail.cached ? 'cached' : `generated in ${(generationMs / 1000).toFixed(1)} s`})`,
  );
  const specs: CaseSpec[] = [
    { label: 'bare loop: gunzip + JSON.parse (1 thread)', args: ['bare', trail.dir] },
    { label: 'audit, 1 thread', args: ['audit', trail.dir, '0'] },
    {
      label: `audit, ${options.workers} reader worker${options.workers === 1 ? '' : 's'}`,
      args: ['audit', trail.dir, String(options.workers)],
    },
  ];
  if (options.correlatorAlone) {
    specs.push(
      {
        label: 'correlator alone, raw records (timed part only)',
        args: ['correlate', trail.dir, 'raw'],
      },
      {
        label: 'correlator alone, digested records (timed part only)',
        args: ['correlate', trail.dir, 'digested'],
      },
    );
  }
  const runs = new Map<string, CaseRun[]>(specs.map((spec) => [spec.label, []]));
  const ratios = new Map<string, number[]>(specs.map((spec) => [spec.label, []]));
  const cpuRatios = new Map<string, number[]>(specs.map((spec) => [spec.label, []]));
  for (let round = 0; round < options.rounds; round += 1) {
    // Rotated so that no case always runs first (or right after the heaviest one).
    const order = specs.map((_, i) => specs[(i + round) % specs.length] as CaseSpec);
    const results = new Map<string, CaseRun>();
    for (const spec of order) {
      const run = await runCase(options.caseScript, spec.args, options.root);
      results.set(spec.label, run);
      runs.get(spec.label)?.push(run);
      options.log(
        `  round ${round + 1}: ${spec.label}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.maxRssMb?.toFixed(0)} MB`,
      );
    }
    const bare = results.get(specs[0]?.label ?? '');
    for (const spec of specs) {
      const run = results.get(spec.label);
      if (!bare || !run) continue;
      ratios.get(spec.label)?.push(bare.wallMs / run.wallMs);
      // The correlator cases parse untimed: their CPU is not comparable.
      cpuRatios
        .get(spec.label)
        ?.push(run.kind === 'correlate' ? Number.NaN : run.cpuMs / bare.cpuMs);
    }
  }
  const cases: CaseSummary[] = specs.map((spec) => {
    const list = runs.get(spec.label) ?? [];
    const wall = median(list.map((run) => run.wallMs));
    const rss = list.map((run) => run.maxRssMb).filter((v): v is number => v !== null);
    return {
      label: spec.label,
      events: list[0]?.events ?? 0,
      runs: list.length,
      medianWallMs: wall,
      bestWallMs: Math.min(...list.map((run) => run.wallMs)),
      eventsPerSecond: (list[0]?.events ?? 0) / (wall / 1000),
      ratioToBare: median(ratios.get(spec.label) ?? []),
      medianCpuMs:
        list[0]?.kind === 'correlate' ? Number.NaN : median(list.map((run) => run.cpuMs)),
      cpuRatioToBare: median(cpuRatios.get(spec.label) ?? []),
      medianMainBusyMs: median(list.map((run) => run.mainBusyMs ?? Number.NaN)),
      peakRssMb: rss.length > 0 && list[0]?.kind !== 'correlate' ? Math.max(...rss) : null,
    };
  });
  const digests = new Set(
    [...runs.values()]
      .flat()
      .filter((run) => run.kind === 'audit')
      .map((run) => run.reportDigest),
  );

  let jq = 'jq not installed: skipped';
  if (spawnSync('sh', ['-c', 'command -v jq'], { encoding: 'utf8' }).status === 0) {
    const bareWall = cases[0]?.medianWallMs ?? Number.NaN;
    const jqRuns: CaseRun[] = [];
    for (let round = 0; round < options.jqRounds; round += 1) {
      jqRuns.push(await runJq(trail.dir, options.size));
    }
    const wall = median(jqRuns.map((run) => run.wallMs));
    const rss = jqRuns.map((run) => run.maxRssMb).filter((v): v is number => v !== null);
    cases.push({
      label: 'jq: gzip -dc, then .Records length (1 thread each)',
      events: options.size,
      runs: jqRuns.length,
      medianWallMs: wall,
      bestWallMs: Math.min(...jqRuns.map((run) => run.wallMs)),
      eventsPerSecond: options.size / (wall / 1000),
      ratioToBare: bareWall / wall,
      medianCpuMs: median(jqRuns.map((run) => run.cpuMs)),
      cpuRatioToBare:
        median(jqRuns.map((run) => run.cpuMs)) / (cases[0]?.medianCpuMs ?? Number.NaN),
      medianMainBusyMs: Number.NaN,
      peakRssMb: rss.length > 0 ? Math.max(...rss) : null,
    });
    jq = `measured (${jqRuns.length} run${jqRuns.length === 1 ? '' : 's'}; its ratio is against the median bare loop, not the same round)`;
  }
  return {
    size: options.size,
    files: trail.files,
    gzBytes: trail.bytes,
    generation: { cached: trail.cached, ms: generationMs },
    cases,
    reportsIdentical: digests.size === 1,
    jq,
  };
}

function runCase(script: string, args: readonly string[], cwd: string): Promise<CaseRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${args.join(' ')} exited with ${code}: ${err.slice(0, 2000)}`));
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as CaseRun);
    });
  });
}

/**
 * jq over the same files: `gzip -dc` of every file piped into one `jq` process. Peak memory and
 * CPU come from GNU time when it is there (jq's own; gzip runs beside it on the other core).
 */
async function runJq(dir: string, events: number): Promise<CaseRun> {
  const files = (await readdir(join(dir, 'cloudtrail'), { recursive: true }))
    .map(String)
    .filter((name) => name.endsWith('.json.gz'))
    .map((name) => join(dir, 'cloudtrail', name))
    .sort();
  const listFile = join(dir, 'files.txt');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(listFile, `${files.join('\n')}\n`);
  const hasTime = spawnSync('sh', ['-c', 'test -x /usr/bin/time'], {}).status === 0;
  const jq = hasTime
    ? `/usr/bin/time -f 'TIME %M %U %S' jq -c '.Records | length'`
    : `jq -c '.Records | length'`;
  const command = `xargs gzip -dc < '${listFile}' | ${jq} > /dev/null`;
  const started = performance.now();
  const result = spawnSync('sh', ['-c', command], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`jq failed: ${result.stderr}`);
  const match = /TIME (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr);
  return {
    kind: 'jq',
    workers: 0,
    events,
    wallMs,
    cpuMs: match ? (Number(match[2]) + Number(match[3])) * 1000 : Number.NaN,
    maxRssMb: match ? Number(match[1]) / 1024 : null,
    reportDigest: '',
  };
}
