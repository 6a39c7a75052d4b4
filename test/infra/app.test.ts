import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const outdirs: string[] = [];

/** Runs bin/app.ts the way the CDK CLI does (CDK_OUTDIR, CDK_CONTEXT_JSON), bundling off. */
function runApp(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'credhealth-app-'));
  outdirs.push(outdir);
  const result = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    [join(ROOT, 'bin', 'app.ts')],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
      },
    },
  );
  return { ...result, outdir };
}

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('bin/app.ts', () => {
  it('synthesizes the stack from -c context, with the cdk-nag plugin finding nothing', () => {
    const { status, stderr, outdir } = runApp({
      notifyEmails: 'sec@example.com',
      maxKeyAgeDays: '60',
    });
    expect(stderr).not.toMatch(/AwsSolutions-/);
    expect(status).toBe(0);
    expect(readdirSync(outdir)).toContain('CredentialHealth.template.json');
    const template = readFileSync(join(outdir, 'CredentialHealth.template.json'), 'utf8');
    expect(template).toContain('sec@example.com');
    expect(template).toContain('\\"maxKeyAgeDays\\":60');
  });

  it('fails when the context is wrong, naming every key and value', () => {
    const { status, stderr } = runApp({ maxKeyAgeDays: 'ninety', cloudTrail: 'athena' });
    expect(status).not.toBe(0);
    expect(stderr).toContain('context maxKeyAgeDays must be a whole number, got "ninety"');
    expect(stderr).toContain('context cloudTrail must be auto, lookup or s3, got "athena"');
  });

  it('fails when the props are wrong, before anything is built', () => {
    const { status, stderr } = runApp({ reminderLeadDays: '120' });
    expect(status).not.toBe(0);
    expect(stderr).toContain('reminderLeadDays must be less than maxKeyAgeDays (90), got 120');
  });
});
