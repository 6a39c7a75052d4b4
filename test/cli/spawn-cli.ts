import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'export-dirs');
export const NOW = '2026-11-20T12:00:00Z';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails the test with esbuild's message when the global setup could not build the CLI. */
export function requireBuiltCli(): void {
  const error = inject('cliBuildError');
  if (error !== null) throw new Error(error);
}

/**
 * Runs `node bin/credhealth.mjs ARGS` as a user would. The environment points every AWS SDK at
 * a closed local port with fake credentials, so nothing can reach a real account.
 */
export function runCredhealth(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'credhealth.mjs'), ...args],
      {
        cwd: ROOT,
        env: { ...base, ...env },
        encoding: 'utf8',
        timeout: 20_000,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What a stack trace looks like on stderr: `    at fn (file:1:2)`. */
export const STACK_TRACE = /^\s+at .+[:(]/m;
