import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the CLI bundle could not be built, or null when dist/credhealth.mjs is fresh. */
    cliBuildError: string | null;
  }
}

/**
 * Vitest global setup: builds the CLI bundle the end-to-end tests spawn, once per run.
 * A failed build does not stop the run (tests of other parts still run); the CLI tests read
 * `cliBuildError` and fail with esbuild's message.
 */
export default function setup(project: TestProject): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  const failed = build.status !== 0;
  project.provide(
    'cliBuildError',
    failed ? `npm run build failed:\n${build.stderr}${build.stdout}` : null,
  );
}
