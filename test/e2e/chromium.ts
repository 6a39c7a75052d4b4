import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Chromium the browser tests drive; `CHROMIUM` overrides Debian's path. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run, or null when Chromium is installed. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} not found: run scripts/chromium.sh (apt-get install chromium) or set CHROMIUM=/path/to/chromium`;
}

/** What one headless run printed. */
export interface ChromiumRun {
  readonly stdout: string;
  /** Console messages of the page: uncaught errors, CSP violations, console.* calls. */
  readonly console: readonly string[];
  readonly stderr: string;
}

// No network, no updates, no first-run UI: the page is a local file and must need nothing else.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--hide-scrollbars',
  '--enable-logging=stderr',
  '--v=0',
];

// A run takes a few seconds; Chromium starting on a loaded CI machine can take far longer.
const RUN_TIMEOUT_MS = 120_000;

/**
 * Runs headless Chromium once on a URL with extra flags (`--dump-dom`, `--screenshot=…`), in a
 * throw-away profile. Chromium writes the page's console to stderr as `INFO:CONSOLE` lines
 * (`--enable-logging=stderr`); they are collected in `console`.
 *
 * @throws Error when Chromium exits non-zero or runs longer than 120 s.
 */
export async function runChromium(url: string, flags: readonly string[]): Promise<ChromiumRun> {
  const profile = mkdtempSync(join(tmpdir(), 'credhealth-chromium-'));
  try {
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...flags, url], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk;
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`chromium did not finish within ${RUN_TIMEOUT_MS} ms\n${err}`));
      }, RUN_TIMEOUT_MS);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (exit) => {
        clearTimeout(timer);
        resolve({ code: exit, stdout: out, stderr: err });
      });
    });
    if (code !== 0) throw new Error(`chromium exited with ${code}\n${stderr}`);
    const consoleLines = stderr.split('\n').filter((line) => /:CONSOLE[:(\]]/.test(line));
    return { stdout, console: consoleLines, stderr };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Width and height of a PNG, from its IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = bytes.subarray(0, 8).toString('hex');
  if (signature !== '89504e470d0a1a0a') throw new Error('not a PNG file');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
