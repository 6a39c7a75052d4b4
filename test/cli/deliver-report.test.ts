import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliverReport } from '../../lambdas/cli/deliver-report.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Report } from '../../lambdas/core/report.js';
import { fakeIo } from './fake-io.js';
import { ROOT } from './spawn-cli.js';

let report: Report;
beforeAll(async () => {
  report = JSON.parse(
    await readFile(join(ROOT, 'test', 'fixtures', 'reports', 'sample-report.json'), 'utf8'),
  ) as Report;
});

const ANSI = '\u001b[';

describe('deliverReport', () => {
  it('colours text on a terminal', async () => {
    // Prepare
    const { io, stdout } = fakeIo({ stdoutTTY: true });
    // Act
    await deliverReport(report, { format: 'text', config: DEFAULT_CONFIG }, io);
    // Assess
    expect(stdout.text).toContain(ANSI);
  });

  it.each([
    ['NO_COLOR is set', true, { NO_COLOR: '1' }],
    ['stdout is not a terminal', false, {}],
  ])('does not colour text when %s', async (_name, stdoutTTY, env) => {
    // Prepare
    const { io, stdout } = fakeIo({ stdoutTTY, env });
    // Act
    await deliverReport(report, { format: 'text', config: DEFAULT_CONFIG }, io);
    // Assess
    expect(stdout.text.length).toBeGreaterThan(0);
    expect(stdout.text).not.toContain(ANSI);
  });

  it('treats --output - as stdout', async () => {
    // Prepare
    const { io, stdout, stderr } = fakeIo();
    // Act
    await deliverReport(report, { format: 'json', output: '-', config: DEFAULT_CONFIG }, io);
    // Assess
    expect(JSON.parse(stdout.text)).toMatchObject({ schemaVersion: 1 });
    expect(stderr.text).not.toContain('wrote');
  });

  it('warns on stderr about each degraded source', async () => {
    // Prepare
    const { io, stderr } = fakeIo();
    // Act
    await deliverReport(report, { format: 'json', config: DEFAULT_CONFIG }, io);
    // Assess
    expect(stderr.text).toBe(
      'credhealth: warning: source cloudtrail is degraded: Read 1204 records from 23 files; skipped 1 damaged file (cloudtrail/part-0007.json.gz: unexpected end of data).\n',
    );
  });

  it.each([
    ['critical', 1],
    ['high', 1],
    ['info', 1],
  ] as const)('--fail-on %s is met by the sample report (exit %i)', async (failOn, code) => {
    // Prepare
    const { io } = fakeIo();
    // Act
    const exit = await deliverReport(
      report,
      { format: 'json', config: DEFAULT_CONFIG, failOn },
      io,
    );
    // Assess
    expect(exit).toBe(code);
  });

  it('--fail-on is not met by a report with nothing at or above it', async () => {
    // Prepare
    const { io, stderr } = fakeIo();
    const lowOnly: Report = {
      ...report,
      findings: report.findings.filter((f) => f.severity === 'low'),
      incidents: report.incidents.filter((i) => i.severity === 'low'),
    };
    // Act
    const atMedium = await deliverReport(
      lowOnly,
      { format: 'json', config: DEFAULT_CONFIG, failOn: 'medium' },
      io,
    );
    const atLow = await deliverReport(
      lowOnly,
      { format: 'json', config: DEFAULT_CONFIG, failOn: 'low' },
      io,
    );
    // Assess
    expect(atMedium).toBe(0);
    expect(atLow).toBe(1);
    expect(stderr.text).toMatch(/\d+ findings or incidents at or above low \(--fail-on low\)\n$/);
  });
});
