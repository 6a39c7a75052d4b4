// Bundles the `credhealth` CLI: bin/credhealth.ts → dist/credhealth.mjs (+ dist/chunks/ for
// code loaded on demand). Run by `npm run build`, by `prepare` (so `npm ci` leaves a working
// `npx credhealth`) and by the test setup.
//
// Dependencies stay external (`packages: 'external'`): the CLI runs from a checkout or an
// install where node_modules is present, the bundle stays small and fast to build, and no
// `require` shim is needed for CommonJS packages. `splitting` keeps the dynamic imports of
// live.ts, publish.ts and invoke.ts (the AWS SDK users) in their own chunks, so an offline
// audit never loads the SDK.
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
const chunkDir = join(outdir, 'chunks');
/** Older chunks are no longer referenced; a younger one may still be loading in another run. */
const STALE_CHUNK_MS = 60_000;

/**
 * Builds the bundle; resolves to esbuild's result, rejects with its errors.
 *
 * Each file is written under a temporary name and renamed into place, so a CLI started while
 * another build runs (parallel test runs) never imports a half-written file. Chunk names carry
 * a content hash, so a new build does not overwrite a chunk an older entry file still uses.
 */
export async function buildCli() {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: { credhealth: 'bin/credhealth.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  });
  const written = new Set();
  // Chunks first, the entry last: the entry must never point at a chunk not yet in place.
  const isChunk = (file) => file.path.startsWith(chunkDir);
  const files = [
    ...result.outputFiles.filter(isChunk),
    ...result.outputFiles.filter((f) => !isChunk(f)),
  ];
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
    written.add(file.path);
  }
  await pruneStaleChunks(written);
  return result;
}

async function pruneStaleChunks(keep) {
  const names = await readdir(chunkDir).catch(() => []);
  for (const name of names) {
    const path = join(chunkDir, name);
    if (keep.has(path)) continue;
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_CHUNK_MS) await rm(path, { force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `prepare` passes --if-possible: an install without dev dependencies (`npm ci --omit=dev`)
  // has no esbuild, and must not fail for want of a CLI bundle it will not use.
  const ifPossible = process.argv.includes('--if-possible');
  try {
    await import('esbuild');
  } catch {
    process.stderr.write(
      'build-cli: esbuild is not installed (a dev dependency): the CLI was not built\n',
    );
    process.exitCode = ifPossible ? 0 : 1;
  }
  if (process.exitCode === undefined) {
    try {
      await buildCli();
    } catch {
      // esbuild has already printed its errors.
      process.exitCode = 1;
    }
  }
}
