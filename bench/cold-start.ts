import { spawnSync } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { median } from './stats.js';

/**
 * Part 3: each Lambda's bundle, built with the options the CDK `NodejsFunction` of
 * lib/constructs/health-check-function.ts uses (ESM, node22, minified, SDK bundled, the
 * createRequire banner, a source map without the sources' text), its size, and its module init
 * time: the median over fresh `node` processes of `await import(bundle)`, against importing the
 * same AWS SDK and Powertools packages unbundled from node_modules, in the same rounds. Wall
 * time and CPU time (all threads of the process) are both measured; CPU time is far less
 * disturbed by the neighbours on a shared machine. The bundle is also timed without
 * `--enable-source-maps`, to show what the construct's source maps cost at init.
 */

export const HANDLERS = ['key-scan', 'trail-watch', 'audit', 'slack-notify'] as const;

/**
 * What the construct sets (its NODE_OPTIONS is passed as a flag, see `timeImport`), plus
 * placeholders for what the stack sets: enough for init to pass.
 */
const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  POWERTOOLS_SERVICE_NAME: 'credential-health',
  POWERTOOLS_METRICS_NAMESPACE: 'CredentialHealth',
  CREDHEALTH_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:credential-health',
  CREDHEALTH_LEDGER_TABLE: 'credential-health-ledger',
  CREDHEALTH_AUDIT_CONFIG: '{}',
  CREDHEALTH_CLOUDTRAIL_MODE: 'lookup',
  CREDHEALTH_SLACK_WEBHOOK_SECRET_ID:
    'arn:aws:secretsmanager:us-east-1:111122223333:secret:slack-AbCdEf',
};

export interface ColdStart {
  readonly handler: string;
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  /** Largest inputs of the bundle, by bytes in the output. */
  readonly topInputs: readonly { readonly path: string; readonly bytes: number }[];
  /** Packages of node_modules in the bundle that the baseline imports. */
  readonly packages: readonly string[];
  /** Bytes of the bundle by where they come from (AWS SDK, Powertools, our code, the rest). */
  readonly breakdown: Readonly<Record<BundleShare, number>>;
  readonly rounds: number;
  /** Wall time of `import(bundle)` with `--enable-source-maps`, as the construct runs it. */
  readonly bundleInitMs: number;
  readonly unbundledInitMs: number;
  /** bundle ÷ unbundled (median of per-round ratios). */
  readonly initRatio: number;
  /** CPU time (user + system, all threads) of the same imports. */
  readonly bundleInitCpuMs: number;
  readonly unbundledInitCpuMs: number;
  /** bundle ÷ unbundled in CPU time (median of per-round ratios). */
  readonly initCpuRatio: number;
  /** The bundle without `--enable-source-maps`: what the source map costs at init. */
  readonly bundleNoMapsInitMs: number;
  readonly bundleNoMapsInitCpuMs: number;
  readonly error?: string;
}

/** Where a bundle's bytes come from. */
export type BundleShare = 'awsSdk' | 'powertools' | 'ours' | 'other';

/**
 * The `NodejsFunction` bundling options of health-check-function.ts, as esbuild options (the
 * tests of what a bundle holds use them too).
 */
export function lambdaBuildOptions(root: string, entry: string, outfile: string) {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    // The construct's `sourcesContent: false`: mappings only, no copy of the sources.
    sourcesContent: false,
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    metafile: true,
    logLevel: 'silent' as const,
  };
}

/**
 * Packages (`@aws-sdk/client-iam`, `@aws-lambda-powertools/logger`) the bundle's code comes from:
 * those with bytes in the output. esbuild lists every file it resolved as an input, also those
 * tree-shaking dropped entirely (a client kind no handler names), which are not in the bundle.
 */
function rootPackages(output: Metafile['outputs'][string] | undefined): string[] {
  const names = new Set<string>();
  for (const [input, info] of Object.entries(output?.inputs ?? {})) {
    if (info.bytesInOutput === 0) continue;
    const match =
      /node_modules\/((?:@aws-sdk\/client-[^/]+)|(?:@aws-sdk\/lib-dynamodb)|(?:@aws-lambda-powertools\/[^/]+))\//.exec(
        input,
      );
    if (match?.[1]) names.add(match[1]);
  }
  return [...names].sort();
}

interface ImportTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function timeImport(runner: string, target: string, cwd: string, sourceMaps = true): ImportTime {
  // The construct sets NODE_OPTIONS=--enable-source-maps: the bundle's map is then read at load.
  const flags = sourceMaps ? ['--enable-source-maps'] : [];
  const result = spawnSync(process.execPath, [...flags, runner, target], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV },
  });
  if (result.status !== 0) throw new Error(result.stderr.split('\n').slice(0, 6).join(' '));
  const [wallMs, cpuMs] = result.stdout.trim().split(' ').map(Number);
  return { wallMs: wallMs ?? Number.NaN, cpuMs: cpuMs ?? Number.NaN };
}

export async function benchColdStarts(options: {
  readonly root: string;
  readonly outDir: string;
  readonly rounds: number;
  readonly log: (line: string) => void;
}): Promise<ColdStart[]> {
  const dir = join(options.outDir, 'lambdas');
  await mkdir(dir, { recursive: true });
  // One runner for both: the wall and CPU time from just before `import()` to when it resolved.
  const runner = join(dir, 'time-import.mjs');
  await writeFile(
    runner,
    [
      'const target = process.argv[2];',
      'const cpu = process.cpuUsage();',
      'const started = performance.now();',
      "if (target.startsWith('packages:')) {",
      "  await Promise.all(target.slice('packages:'.length).split(',').map((name) => import(name)));",
      '} else {',
      '  await import(target);',
      '}',
      'const wall = performance.now() - started;',
      'const used = process.cpuUsage(cpu);',
      "process.stdout.write(wall + ' ' + (used.user + used.system) / 1000);",
      '',
    ].join('\n'),
  );
  const results: ColdStart[] = [];
  for (const handler of HANDLERS) {
    const entry = join('lambdas', handler, 'handler.ts');
    const outfile = join(dir, handler, 'index.mjs');
    try {
      await stat(join(options.root, entry));
    } catch {
      results.push(emptyResult(handler, `${entry} does not exist yet`));
      continue;
    }
    try {
      const { metafile } = await build(lambdaBuildOptions(options.root, entry, outfile));
      if (!metafile) throw new Error('esbuild gave no metafile');
      const bundleBytes = (await stat(outfile)).size;
      const sourceMapBytes = (await stat(`${outfile}.map`)).size;
      const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
      const topInputs = Object.entries(output?.inputs ?? {})
        .map(([path, info]) => ({ path: groupOf(path), bytes: info.bytesInOutput }))
        .reduce<Map<string, number>>(
          (sums, { path, bytes }) => sums.set(path, (sums.get(path) ?? 0) + bytes),
          new Map(),
        );
      const packages = rootPackages(output);
      // The baseline is resolved from the project root, where node_modules is.
      const baselineRunner = join(options.root, 'bench', 'out', 'time-import-baseline.mjs');
      await writeFile(
        baselineRunner,
        await import('node:fs/promises').then((fs) => fs.readFile(runner, 'utf8')),
      );
      const measure = {
        base: () => timeImport(baselineRunner, `packages:${packages.join(',')}`, options.root),
        bundle: () => timeImport(runner, pathToFileURL(outfile).href, options.root),
        noMaps: () => timeImport(runner, pathToFileURL(outfile).href, options.root, false),
      };
      const order = ['base', 'bundle', 'noMaps'] as const;
      const times: Record<(typeof order)[number], ImportTime[]> = {
        base: [],
        bundle: [],
        noMaps: [],
      };
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      for (let round = 0; round < options.rounds; round += 1) {
        // The order rotates each round, so no case always runs right after another.
        for (let i = 0; i < order.length; i += 1) {
          const which = order[(round + i) % order.length] ?? 'base';
          times[which].push(measure[which]());
        }
        const bundle = times.bundle[round];
        const base = times.base[round];
        if (bundle && base) {
          ratios.push(bundle.wallMs / base.wallMs);
          cpuRatios.push(bundle.cpuMs / base.cpuMs);
        }
      }
      const wall = (list: readonly ImportTime[]) => median(list.map((t) => t.wallMs));
      const cpu = (list: readonly ImportTime[]) => median(list.map((t) => t.cpuMs));
      const result: ColdStart = {
        handler,
        bundleBytes,
        sourceMapBytes,
        topInputs: [...topInputs]
          .map(([path, bytes]) => ({ path, bytes }))
          .sort((a, b) => b.bytes - a.bytes)
          .slice(0, 5),
        packages,
        breakdown: breakdownOf(output?.inputs ?? {}),
        rounds: options.rounds,
        bundleInitMs: wall(times.bundle),
        unbundledInitMs: wall(times.base),
        initRatio: median(ratios),
        bundleInitCpuMs: cpu(times.bundle),
        unbundledInitCpuMs: cpu(times.base),
        initCpuRatio: median(cpuRatios),
        bundleNoMapsInitMs: wall(times.noMaps),
        bundleNoMapsInitCpuMs: cpu(times.noMaps),
      };
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
      options.log(
        `  ${handler}: ${kb(bundleBytes)} (map ${kb(sourceMapBytes)}; SDK ${kb(result.breakdown.awsSdk)}, Powertools ${kb(result.breakdown.powertools)}, ours ${kb(result.breakdown.ours)}, other ${kb(result.breakdown.other)}), init ${result.bundleInitMs.toFixed(0)} ms vs ${result.unbundledInitMs.toFixed(0)} ms unbundled = ${result.initRatio.toFixed(2)}× (CPU ${result.bundleInitCpuMs.toFixed(0)} vs ${result.unbundledInitCpuMs.toFixed(0)} ms = ${result.initCpuRatio.toFixed(2)}×; without source maps ${result.bundleNoMapsInitMs.toFixed(0)} ms, CPU ${result.bundleNoMapsInitCpuMs.toFixed(0)} ms) (${relative(options.root, outfile)})`,
      );
      results.push(result);
    } catch (error) {
      results.push(
        emptyResult(handler, error instanceof Error ? error.message.slice(0, 500) : String(error)),
      );
    }
  }
  return results;
}

/** Bytes in the output by {@link BundleShare}. */
function breakdownOf(
  inputs: Readonly<Record<string, { readonly bytesInOutput: number }>>,
): Record<BundleShare, number> {
  const shares: Record<BundleShare, number> = { awsSdk: 0, powertools: 0, ours: 0, other: 0 };
  for (const [path, info] of Object.entries(inputs)) {
    const group = groupOf(path);
    const share: BundleShare = /^@(aws-sdk|smithy|aws)\//.test(group)
      ? 'awsSdk'
      : group.startsWith('@aws-lambda-powertools/')
        ? 'powertools'
        : group.startsWith('lambdas/')
          ? 'ours'
          : 'other';
    shares[share] += info.bytesInOutput;
  }
  return shares;
}

/** `node_modules/@smithy/core/dist-es/x.js` → `@smithy/core`; our code → `lambdas/<dir>`. */
function groupOf(path: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg?.[1]) return pkg[1];
  const ours = /^(lambdas\/[^/]+)/.exec(path);
  return ours?.[1] ?? path;
}

function emptyResult(handler: string, error: string): ColdStart {
  return {
    handler,
    bundleBytes: 0,
    sourceMapBytes: 0,
    topInputs: [],
    packages: [],
    breakdown: { awsSdk: 0, powertools: 0, ours: 0, other: 0 },
    rounds: 0,
    bundleInitMs: Number.NaN,
    unbundledInitMs: Number.NaN,
    initRatio: Number.NaN,
    bundleInitCpuMs: Number.NaN,
    unbundledInitCpuMs: Number.NaN,
    initCpuRatio: Number.NaN,
    bundleNoMapsInitMs: Number.NaN,
    bundleNoMapsInitCpuMs: Number.NaN,
    error,
  };
}
