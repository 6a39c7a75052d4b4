import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambdas/core/report.js';
import { FIXTURES, NOW, requireBuiltCli, runCredhealth, STACK_TRACE } from './spawn-cli.js';

const risky = join(FIXTURES, 'risky');
const clean = join(FIXTURES, 'clean');
const damaged = join(FIXTURES, 'damaged');
let scratch: string;

beforeAll(async () => {
  requireBuiltCli();
  scratch = await mkdtemp(join(tmpdir(), 'credhealth-cli-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function auditJson(dir: string, ...extra: string[]): Promise<Report> {
  const run = await runCredhealth([
    'audit',
    '--from-dir',
    dir,
    '--now',
    NOW,
    '--format',
    'json',
    ...extra,
  ]);
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

/** One line on stderr, in the agreed form, and no stack trace. */
function expectOneErrorLine(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(/^credhealth: error: .+\n$/);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(STACK_TRACE);
}

describe('credhealth --help and --version', () => {
  it('prints help with the commands and exit codes, exit 0', async () => {
    // Act
    const run = await runCredhealth(['--help']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('audit [options]');
    expect(run.stdout).toContain('Exit codes:');
  });

  it('prints the version, exit 0', async () => {
    // Act
    const run = await runCredhealth(['--version']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints help on stderr and exits 2 without a command', async () => {
    // Act
    const run = await runCredhealth([]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: credhealth');
  });
});

describe('credhealth audit --from-dir', () => {
  it('audits every exported file into a schema-1 JSON report', async () => {
    // Act
    const report = await auditJson(risky);
    // Assess
    expect(report.schemaVersion).toBe(1);
    expect(report.now).toMatch(/^2026-11-20T12:00:00(\.000)?Z$/);
    expect(report.account).toEqual({ id: '123456789012', alias: 'risky-demo' });
    const byName = Object.fromEntries(report.sources.map((s) => [s.name, s]));
    expect(byName['iam-credential-report']?.status).toBe('ok');
    expect(byName['iam-access-keys']?.status).toBe('ok');
    expect(byName['iam-users']?.status).toBe('ok');
    expect(byName['iam-account-summary']?.status).toBe('ok');
    expect(byName.cloudtrail).toMatchObject({ status: 'ok', itemsRead: 3 });
    expect(byName['workload-logs']).toMatchObject({ status: 'ok', itemsRead: 12 });
    expect(report.findings.map((f) => f.check)).toContain('root-access-key');
    const aliceKey = report.findings.find(
      (f) => f.principal.name === 'alice' && f.accessKey !== null,
    );
    expect(aliceKey?.accessKey?.id).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(report.incidents.map((i) => i.kind)).toContain('root-activity');
  });

  it('reads the generation time from credential-report.json', async () => {
    // Act
    const report = await auditJson(clean);
    // Assess
    expect(report.credentialReport.generatedAt).toMatch(/^2026-11-20T10:00:00(\.000)?Z$/);
    expect(report.account).toEqual({ id: '123456789012', alias: 'clean-demo' });
  });

  it('uses --lookback for the incident window', async () => {
    // Act
    const report = await auditJson(clean, '--lookback', '7d');
    // Assess
    expect(report.window?.start).toMatch(/^2026-11-13T12:00:00(\.000)?Z$/);
  });

  it.each([
    ['text', (out: string) => out.includes('risky-demo') || out.includes('123456789012')],
    ['markdown', (out: string) => out.startsWith('#')],
    ['csv', (out: string) => out.split('\n').filter(Boolean).length > 1 && out.includes(',')],
    ['html', (out: string) => /^<!doctype html>/i.test(out)],
  ])(
    'renders --format %s to stdout, exit 0, no colour when not a terminal',
    async (format, looksRight) => {
      // Act
      const run = await runCredhealth([
        'audit',
        '--from-dir',
        risky,
        '--now',
        NOW,
        '--format',
        format,
      ]);
      // Assess
      expect(run.code, run.stderr).toBe(0);
      expect(looksRight(run.stdout)).toBe(true);
      expect(run.stdout).not.toContain('\u001b[');
      expect(run.stderr).toBe('');
    },
  );

  it('writes --output FILE, prints one note on stderr and nothing on stdout', async () => {
    // Prepare
    const output = join(scratch, 'nested', 'report.json');
    // Act
    const run = await runCredhealth([
      'audit',
      '--from-dir',
      risky,
      '--now',
      NOW,
      '--format',
      'json',
      '--output',
      output,
    ]);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^credhealth: wrote the json report to .*report\.json \(\d+ findings?, \d+ incidents?\)\n$/,
    );
    const written = JSON.parse(await readFile(output, 'utf8')) as Report;
    expect(written.schemaVersion).toBe(1);
  });

  it('exits 2 when --output cannot be written', async () => {
    // Prepare
    const blocker = join(scratch, 'a-file');
    await writeFile(blocker, 'x');
    // Act
    const run = await runCredhealth([
      'audit',
      '--from-dir',
      clean,
      '--now',
      NOW,
      '--output',
      join(blocker, 'report.txt'),
    ]);
    // Assess
    expect(run.code).toBe(2);
    expectOneErrorLine(run.stderr, /cannot write .*report\.txt/);
  });
});

describe('--fail-on', () => {
  it('exits 1 when a finding is at or above the severity, after printing the report', async () => {
    // Act
    const run = await runCredhealth([
      'audit',
      '--from-dir',
      risky,
      '--now',
      NOW,
      '--format',
      'json',
      '--fail-on',
      'critical',
    ]);
    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 1 });
    expect(run.stderr).toMatch(/at or above critical \(--fail-on critical\)/);
  });

  it('exits 0 when nothing reaches the severity', async () => {
    // Act
    const run = await runCredhealth([
      'audit',
      '--from-dir',
      clean,
      '--now',
      NOW,
      '--fail-on',
      'low',
    ]);
    // Assess
    expect(run.code, run.stdout).toBe(0);
  });

  it('exits 2 for a severity that does not exist', async () => {
    // Act
    const run = await runCredhealth(['audit', '--from-dir', clean, '--fail-on', 'severe']);
    // Assess
    expect(run.code).toBe(2);
    expectOneErrorLine(run.stderr, /--fail-on.*severe.*critical, high, medium, low, info/);
  });
});

describe('--config', () => {
  it('applies a valid config file', async () => {
    // Prepare
    const config = join(scratch, 'disable-root-key.json');
    await writeFile(config, JSON.stringify({ checks: { disabled: ['root-access-key'] } }));
    // Act
    const report = await auditJson(risky, '--config', config);
    // Assess
    expect(report.findings.map((f) => f.check)).not.toContain('root-access-key');
  });

  it.each([
    ['an unknown key', { thresholds: { maxKeyAge: 90 } }, /unknown key "maxKeyAge"/],
    ['a wrong value', { thresholds: { maxKeyAgeDays: 0 } }, /thresholds\.maxKeyAgeDays: .*got 0/],
  ])('exits 2 with one line for %s', async (_name, content, message) => {
    // Prepare
    const config = join(scratch, `config-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(config, JSON.stringify(content));
    // Act
    const run = await runCredhealth(['audit', '--from-dir', clean, '--config', config]);
    // Assess
    expect(run.code).toBe(2);
    expectOneErrorLine(run.stderr, message);
  });

  it('exits 2 when the config file is missing or not JSON', async () => {
    // Prepare
    const notJson = join(scratch, 'not-json.json');
    await writeFile(notJson, 'thresholds: {}');
    // Act
    const missing = await runCredhealth([
      'audit',
      '--from-dir',
      clean,
      '--config',
      join(scratch, 'nope.json'),
    ]);
    const broken = await runCredhealth(['audit', '--from-dir', clean, '--config', notJson]);
    // Assess
    expect(missing.code).toBe(2);
    expectOneErrorLine(missing.stderr, /cannot read config file .*nope\.json: no such file/);
    expect(broken.code).toBe(2);
    expectOneErrorLine(broken.stderr, /config file .*not-json\.json is not JSON/);
  });
});

describe('bad usage: exit 2, one line', () => {
  it.each([
    [['audit', '--now', 'yesterday'], /--now.*yesterday.*ISO-8601/],
    [['audit', '--now', '2026-11-20T12:00:00'], /time zone/],
    [['audit', '--now', '2026-02-30T12:00:00Z'], /Not a real date/],
    [['audit', '--lookback', '3 days'], /--lookback.*30m, 24h or 7d/],
    [['audit', '--lookback', '0h'], /longer than zero/],
    [['audit', '--format', 'pdf'], /--format.*pdf.*text, json, markdown, csv, html/],
    [['audit', '--frmat', 'json'], /unknown option '--frmat'.*Did you mean --format/],
    [['audit', '--role-arn', 'admin'], /IAM role ARN/],
    [['audit', '--publish', 'my-topic'], /SNS topic ARN/],
    [['audit', '--cloudtrail', 'athena'], /auto, lookup, s3/],
    [
      ['audit', '--from-dir', 'x', '--cloudtrail', 'lookup'],
      /--cloudtrail applies to a live audit/,
    ],
    [['audit', '--from-dir', 'x', 'extra'], /too many arguments/],
    [['scan'], /unknown command 'scan'/],
    [['invoke'], /required option '--function <name>'/],
  ])('credhealth %j', async (args, message) => {
    // Act
    const run = await runCredhealth(args);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expectOneErrorLine(run.stderr, message);
  });

  it('never prints the Slack webhook URL it refuses', async () => {
    // Act
    const run = await runCredhealth(['audit', '--from-dir', clean], {
      CREDHEALTH_SLACK_WEBHOOK: 'http://hooks.example.com/services/T000/B000/EXAMPLEKEY',
    });
    // Assess
    expect(run.code).toBe(2);
    expectOneErrorLine(run.stderr, /CREDHEALTH_SLACK_WEBHOOK\) is not an https:\/\/ URL/);
    expect(run.stderr).not.toContain('EXAMPLEKEY');
  });

  it('exits 2 when the credential report is not a credential report (InputFormatError)', async () => {
    // Prepare
    const dir = join(scratch, 'not-a-report');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'credential-report.csv'), 'name,age\nbob,3\n');
    // Act
    const run = await runCredhealth(['audit', '--from-dir', dir, '--now', NOW]);
    // Assess
    expect(run.code).toBe(2);
    expectOneErrorLine(run.stderr, /credential report/i);
  });
});

describe('sources that cannot be read', () => {
  it('exits 3 when the directory does not exist', async () => {
    // Act
    const run = await runCredhealth([
      'audit',
      '--from-dir',
      join(scratch, 'missing-dir'),
      '--now',
      NOW,
    ]);
    // Assess
    expect(run.code).toBe(3);
    expectOneErrorLine(run.stderr, /missing-dir does not exist/);
  });

  it('exits 3 when there is no credential report', async () => {
    // Act
    const run = await runCredhealth([
      'audit',
      '--from-dir',
      join(FIXTURES, 'no-report'),
      '--now',
      NOW,
    ]);
    // Assess
    expect(run.code).toBe(3);
    expectOneErrorLine(run.stderr, /no credential report in .*no-report/);
  });

  it('exits 0 with damaged optional files, and the report says which sources are degraded', async () => {
    // Act
    const run = await runCredhealth([
      'audit',
      '--from-dir',
      damaged,
      '--now',
      NOW,
      '--format',
      'json',
    ]);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const byName = Object.fromEntries(report.sources.map((s) => [s.name, s]));
    expect(byName['iam-access-keys']).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining('access-keys.json: not JSON'),
    });
    expect(byName['iam-users']).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining('users.json'),
    });
    expect(byName.cloudtrail).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining('truncated.json.gz: not valid gzip'),
    });
    expect(run.stderr).toMatch(/^credhealth: warning: source cloudtrail is degraded: /m);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('modes not built into this CLI yet', () => {
  it('live audit fails in one line without reaching AWS', async () => {
    // Act
    const run = await runCredhealth(['audit', '--region', 'eu-west-1']);
    // Assess
    expect([2, 3]).toContain(run.code);
    expect(run.stderr).toMatch(/^credhealth: error: .+\n$/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('invoke fails in one line', async () => {
    // Act
    const run = await runCredhealth(['invoke', '--function', 'credhealth-audit']);
    // Assess
    expect([2, 3]).toContain(run.code);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
