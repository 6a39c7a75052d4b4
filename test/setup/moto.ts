import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:PORT` of the moto server, or null when it could not start. */
    motoEndpoint: string | null;
    /** Why moto is not running, or null. */
    motoError: string | null;
  }
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MOTO_SERVER = join(ROOT, '.venv-tools', 'bin', 'moto_server');
const PYTHON = join(ROOT, '.venv-tools', 'bin', 'python');
/** moto_server with one request handled at a time: conditional writes atomic, as in AWS. */
const SERIAL_SERVER = join(ROOT, 'test', 'setup', 'moto-server.py');
const START_TIMEOUT_MS = 120_000;
/** Tries with a new port when another process took the one picked (it is free when picked). */
const PORT_ATTEMPTS = 5;

/**
 * Vitest global setup: starts moto in server mode on 127.0.0.1 and a port the OS picks, for the
 * tests that talk to AWS over HTTP, and stops it when the run ends. Creates .venv-tools first
 * when it is missing. A moto that cannot start does not stop the run: the integration tests read
 * `motoError` and fail with it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let child: ChildProcess | undefined;
  try {
    if (!existsSync(MOTO_SERVER)) {
      const install = spawnSync('bash', [join(ROOT, 'scripts', 'python-tools.sh')], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      if (install.status !== 0)
        throw new Error(`scripts/python-tools.sh failed:\n${install.stderr}${install.stdout}`);
    }
    const started = await startOnFreePort();
    child = started.child;
    const endpoint = started.endpoint;
    project.provide('motoEndpoint', endpoint);
    project.provide('motoError', null);
  } catch (error) {
    child?.kill('SIGTERM');
    child = undefined;
    project.provide('motoEndpoint', null);
    project.provide('motoError', error instanceof Error ? error.message : String(error));
  }
  return async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  };
}

/**
 * moto on a port the OS said was free. Between that answer and moto's bind another process
 * may take the port (moto then exits with "Address already in use"): try again on a new one.
 */
async function startOnFreePort(): Promise<{ child: ChildProcess; endpoint: string }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn(PYTHON, [SERIAL_SERVER, '-H', '127.0.0.1', '-p', String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString('utf8')}`.slice(-4_000);
    });
    try {
      await waitUntilUp(endpoint, child, () => stderr);
      return { child, endpoint };
    } catch (error) {
      child.kill('SIGTERM');
      if (attempt >= PORT_ATTEMPTS || !/address already in use|is in use/i.test(stderr))
        throw error;
    }
  }
}

/** A port nobody listens on now, from the OS. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

async function waitUntilUp(
  endpoint: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  // Only our own server's "Running on" line proves the port is ours: another test run's moto
  // on this machine may answer there too (it took the port first, and this one failed to bind).
  const bound = `Running on ${endpoint}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited with ${child.exitCode}: ${stderr()}`);
    if (stderr().includes(bound)) {
      try {
        const response = await fetch(`${endpoint}/moto-api/`);
        if (response.ok) return;
      } catch {
        // Not answering yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s: ${stderr()}`,
  );
}
