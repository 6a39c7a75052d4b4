import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the measured cases the way the CLI is bundled (scripts/build-cli.mjs: ESM, code
 * splitting, dependencies external), so the benchmark runs the code users run, worker chunk
 * included, with no TypeScript loader in the process.
 */
export async function bundleCases(root: string, outdir: string): Promise<Record<string, string>> {
  const entries = { 'cloudtrail-case': 'bench/cases/cloudtrail-case.ts' };
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return Object.fromEntries(
    Object.keys(entries).map((name) => [name, join(outdir, `${name}.mjs`)]),
  );
}
