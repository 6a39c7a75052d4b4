import { spawnSync } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { median } from './stats.js';

/**
 * Part 3: each Lambda's bundle, built with the options the CDK `NodejsFunction` of
 * lib/constructs/health-check-function.ts uses (ESM, node22, minified, SDK bundled, the
 * createRequire banner), its size, and its module init time: the median over fresh `node`
 * processes of `await import(bundle)`, against importing the same AWS SDK and Powertools
 * packages unbundled from node_modules, in the same rounds.
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
  readonly rounds: number;
  readonly bundleInitMs: number;
  readonly unbundledInitMs: number;
  /** bundle ÷ unbundled (median of per-round ratios). */
  readonly initRatio: number;
  readonly error?: string;
}

/** The `NodejsFunction` bundling options of health-check-function.ts, as esbuild options. */
function lambdaBuildOptions(root: string, entry: string, outfile: string) {
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
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    metafile: true,
    logLevel: 'silent' as const,
  };
}

/** Packages (`@aws-sdk/client-iam`, `@aws-lambda-powertools/logger`) the bundle's inputs come from. */
function rootPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match =
      /node_modules\/((?:@aws-sdk\/client-[^/]+)|(?:@aws-sdk\/lib-dynamodb)|(?:@aws-lambda-powertools\/[^/]+))\//.exec(
        input,
      );
    if (match?.[1]) names.add(match[1]);
  }
  return [...names].sort();
}

function timeImport(runner: string, target: string, cwd: string): number {
  // The construct sets NODE_OPTIONS=--enable-source-maps: the bundle's map is then read at load.
  const result = spawnSync(process.execPath, ['--enable-source-maps', runner, target], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV },
  });
  if (result.status !== 0) throw new Error(result.stderr.split('\n').slice(0, 6).join(' '));
  return Number(result.stdout.trim());
}

export async function benchColdStarts(options: {
  readonly root: string;
  readonly outDir: string;
  readonly rounds: number;
  readonly log: (line: string) => void;
}): Promise<ColdStart[]> {
  const dir = join(options.outDir, 'lambdas');
  await mkdir(dir, { recursive: true });
  // One runner for both: the time from just before `import()` to when it resolved.
  const runner = join(dir, 'time-import.mjs');
  await writeFile(
    runner,
    [
      'const target = process.argv[2];',
      'const started = performance.now();',
      "if (target.startsWith('packages:')) {",
      "  await Promise.all(target.slice('packages:'.length).split(',').map((name) => import(name)));",
      '} else {',
      '  await import(target);',
      '}',
      'process.stdout.write(String(performance.now() - started));',
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
      const packages = rootPackages(metafile);
      // The baseline is resolved from the project root, where node_modules is.
      const baselineRunner = join(options.root, 'bench', 'out', 'time-import-baseline.mjs');
      await writeFile(
        baselineRunner,
        await import('node:fs/promises').then((fs) => fs.readFile(runner, 'utf8')),
      );
      const bundleTimes: number[] = [];
      const baseTimes: number[] = [];
      const ratios: number[] = [];
      for (let round = 0; round < options.rounds; round += 1) {
        // Alternating which goes first in a round.
        const first = round % 2 === 0;
        const base1 = first
          ? Number.NaN
          : timeImport(baselineRunner, `packages:${packages.join(',')}`, options.root);
        const bundle = timeImport(runner, pathToFileURL(outfile).href, options.root);
        const base = first
          ? timeImport(baselineRunner, `packages:${packages.join(',')}`, options.root)
          : base1;
        bundleTimes.push(bundle);
        baseTimes.push(base);
        ratios.push(bundle / base);
      }
      const result: ColdStart = {
        handler,
        bundleBytes,
        sourceMapBytes,
        topInputs: [...topInputs]
          .map(([path, bytes]) => ({ path, bytes }))
          .sort((a, b) => b.bytes - a.bytes)
          .slice(0, 5),
        packages,
        rounds: options.rounds,
        bundleInitMs: median(bundleTimes),
        unbundledInitMs: median(baseTimes),
        initRatio: median(ratios),
      };
      options.log(
        `  ${handler}: ${(bundleBytes / 1024).toFixed(0)} KB, init ${result.bundleInitMs.toFixed(0)} ms vs ${result.unbundledInitMs.toFixed(0)} ms unbundled (${relative(options.root, outfile)})`,
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
    rounds: 0,
    bundleInitMs: Number.NaN,
    unbundledInitMs: Number.NaN,
    initRatio: Number.NaN,
    error,
  };
}
