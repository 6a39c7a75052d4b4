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
 * How long one run may take before it is killed. A run takes 1 to 5 s, but starting Node and
 * loading the SDK on a loaded CI machine (two vCPUs, two test workers, moto) can take many
 * times that; a run that hangs still fails, with a note on stderr saying it was killed.
 */
export const CLI_RUN_TIMEOUT_MS = 90_000;

/**
 * A HOME that does not exist: the SDK finds no ~/.aws there, on a developer's machine as on a
 * fresh CI machine, so a local profile can neither help nor break a run.
 */
const NO_HOME = join(ROOT, 'test', 'fixtures', 'no-such-home');

/**
 * Runs `node bin/credhealth.mjs ARGS` as a user would. The environment points every AWS SDK at
 * a closed local port with fake credentials, so nothing can reach a real account; nothing of
 * the caller's environment (TZ, LANG, CI, ~/.aws) reaches the run but PATH.
 */
export function runCredhealth(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: NO_HOME,
    AWS_CONFIG_FILE: join(NO_HOME, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(NO_HOME, '.aws', 'credentials'),
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
        timeout: CLI_RUN_TIMEOUT_MS,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        const killed =
          error?.killed === true
            ? `\n[spawn-cli: killed by ${error.signal ?? 'a signal'} after ${CLI_RUN_TIMEOUT_MS} ms]\n`
            : '';
        resolve({ code, stdout, stderr: `${stderr}${killed}` });
      },
    );
  });
}

/** What a stack trace looks like on stderr: `    at fn (file:1:2)`. */
export const STACK_TRACE = /^\s+at .+[:(]/m;
