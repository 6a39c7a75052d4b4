import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, requireBuiltCli } from './spawn-cli.js';

const run = promisify(execFile);

/** Every file the entry loads before any dynamic import: the entry and its static chunks. */
async function staticGraph(entry: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    const text = await readFile(file, 'utf8');
    seen.set(file, text);
    for (const match of text.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["'](\.[^"']+)["'];?$/gms)) {
      const specifier = match[1];
      if (specifier !== undefined) pending.push(join(dirname(file), specifier));
    }
  }
  return seen;
}

describe('the CLI bundle', () => {
  beforeAll(() => {
    requireBuiltCli();
  });

  it('does not load the AWS SDK for an offline audit (it is only in dynamically imported chunks)', async () => {
    // Act
    const graph = await staticGraph(join(ROOT, 'dist', 'credhealth.mjs'));
    // Assess
    expect(graph.size).toBeGreaterThan(1);
    const withSdk = [...graph]
      .filter(([, text]) => /from\s+["']@aws-sdk\//.test(text))
      .map(([file]) => file);
    expect(withSdk).toEqual([]);
  });

  it('bin/credhealth.mjs says in one line to build when dist/ is missing', async () => {
    // Prepare
    const home = await mkdtemp(join(tmpdir(), 'credhealth-shim-'));
    await mkdir(join(home, 'bin'));
    await copyFile(join(ROOT, 'bin', 'credhealth.mjs'), join(home, 'bin', 'credhealth.mjs'));
    // Act
    const result = await run(process.execPath, [
      join(home, 'bin', 'credhealth.mjs'),
      '--help',
    ]).catch((error: { code: number; stderr: string; stdout: string }) => error);
    await rm(home, { recursive: true, force: true });
    // Assess
    expect('code' in result ? result.code : 0).toBe(70);
    expect(result.stderr).toBe(
      'credhealth: error: the CLI is not built; run `npm run build` in the credential-health checkout\n',
    );
  });
});
