import { describe, expect, it } from 'vitest';
import { renderText } from '../../lambdas/render/text.js';
import { emptyReport, FULL_KEY_IDS, sampleReport, withData } from './sample-report.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes on purpose.
const ANSI = /\u001b\[/;

describe('renderText', () => {
  it('starts with the account, the evaluation time, the credential report age and the window', () => {
    // Act
    const lines = renderText(sampleReport()).split('\n');

    // Assess
    expect(lines[0]).toBe('Credential health: account 123456789012 (acme-prod)');
    expect(lines[1]).toMatch(/Evaluated at: +2026-11-20 12:00 UTC$/);
    expect(lines[2]).toMatch(
      /IAM report: +generated 2026-11-20 09:30 UTC, 2.5 hours before evaluation, 9 rows$/,
    );
    expect(lines[3]).toMatch(/Window: +2026-11-19 12:00 UTC to 2026-11-20 12:00 UTC \(24 hours\)$/);
  });

  it('says which sources are degraded or missing and why', () => {
    // Act
    const text = renderText(sampleReport());

    // Assess
    expect(text).toMatch(/MISSING +users +users\.json not found/);
    expect(text).toMatch(/DEGRADED +cloudtrail +Read 1204 records/);
    expect(text).toContain('Results may be incomplete: users is missing, cloudtrail is degraded.');
    expect(renderText(emptyReport())).not.toContain('Results may be incomplete');
  });

  it('warns when the credential report is older than AWS keeps it fresh', () => {
    // Prepare
    const report = sampleReport();
    const stale = { ...report, credentialReport: { ...report.credentialReport, ageHours: 6 } };

    // Act and Assess
    expect(renderText(stale)).toContain('the credential report is 6 hours old');
    expect(renderText(report)).not.toContain('hours old;');
  });

  it('groups findings by severity, worst first, each with who, key and fix', () => {
    // Act
    const text = renderText(sampleReport());
    const headings = [...text.matchAll(/^(CRITICAL|HIGH|MEDIUM|LOW|INFO): \d+ findings?$/gm)].map(
      (m) => m[1],
    );

    // Assess
    expect(text).toContain(
      'Summary: 4 critical, 4 high, 8 medium, 6 low, 0 info (12 findings, 10 incidents)',
    );
    expect(headings).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
    expect(text).toContain('  [HIGH] Access key 1 of ci-deployer is 412 days old (limit 90)\n');
    expect(text).toContain('    Who:          ci-deployer, owner platform@example.com\n');
    expect(text).toContain(
      '    Key:          AKIA…MPLE (key 1, Active), created 2025-10-04, 412 days old; last used 2026-11-20\n                  in eu-west-1 (cloudformation)\n',
    );
    expect(text).toContain('    Fix:          1. Create a second key for ci-deployer');
    expect(text).toContain('                  2. Watch the old key');
    expect(text).toContain(
      '    Key:          key 1 (id unknown, Active), created 2026-10-31, 20 days old; never used',
    );
  });

  it('lists incidents with time range, count, codes, masked keys, callers and the fix', () => {
    // Act
    const text = renderText(sampleReport());
    const incident = text.slice(text.indexOf('[HIGH] A deactivated key of bob'));

    // Assess
    expect(text.indexOf('INCIDENTS (10)')).toBeGreaterThan(text.indexOf('FINDINGS (12)'));
    expect(incident).toContain(
      'Kind:         revoked-key-in-use, evidence from logs and inventory',
    );
    expect(incident).toContain(
      'Seen:         14 times, 2026-11-19 13:00 UTC to 2026-11-20 11:30 UTC',
    );
    expect(incident).toContain('Errors:       InvalidClientTokenId ×14');
    expect(incident).toContain('Keys:         AKIA…MPLE');
    expect(incident).toContain('Source IPs:   10.0.3.7');
    expect(incident).toContain('Log groups:   /aws/lambda/nightly-export');
    expect(incident).toContain('Likely cause: - A workload still holds the old key');
    expect(incident).toContain('Fix:          1. Remove AWS_ACCESS_KEY_ID');
    expect(text).toContain('Seen:         once, at 2026-11-20 08:48 UTC');
  });

  it('ends with what to do first', () => {
    // Act
    const text = renderText(sampleReport());
    const tail = text.slice(text.indexOf('WHAT TO DO FIRST'));

    // Assess
    expect(tail).toMatch(
      /^WHAT TO DO FIRST\n {2}1\. \[CRITICAL\] Root used its access key for 3 calls — find who holds/,
    );
    expect(tail.match(/^ {2}\d\. /gm)).toHaveLength(3);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('never shows a full access key id', () => {
    // Act
    const text = renderText(sampleReport());

    // Assess
    for (const id of FULL_KEY_IDS) expect(text).not.toContain(id);
  });

  it('uses colour only when asked', () => {
    // Act
    const plain = renderText(sampleReport());
    const coloured = renderText(sampleReport(), { color: true });

    // Assess
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping escape codes on purpose.
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('wraps to the width, except words longer than a line', () => {
    // Act
    const narrow = renderText(sampleReport(), { width: 60 });
    const tooLong = narrow.split('\n').filter((line) => line.length > 60);

    // Assess
    // What is left of an over-long line after its label and list marker is one unbreakable word.
    for (const line of tooLong) {
      expect(line.replace(/^ *(?:[A-Z][a-z ]+: +)?(?:- |\d+\. )?/, '')).not.toContain(' ');
    }
    expect(
      renderText(sampleReport())
        .split('\n')
        .every((line) => line.length <= 100),
    ).toBe(true);
  });

  it('keeps terminal escape sequences in data from reaching the terminal', () => {
    // Prepare
    const report = withData(
      { title: 'evil \u001b]0;pwned\u0007 title' },
      { userAgents: ['ua\u001b[2J'] },
    );

    // Act
    const text = renderText(report);

    // Assess
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain('evil ?]0;pwned? title');
  });

  it('says so when there is nothing to report', () => {
    // Act
    const text = renderText(emptyReport());

    // Assess
    expect(text).toContain('No findings: every credential checked is within its limits.');
    expect(text).toContain('No credential failures in the window.');
    expect(text).toContain('Nothing urgent');
  });

  it('reports an unknown account and a missing window plainly', () => {
    // Prepare
    const report = { ...emptyReport(), account: { id: null, alias: null }, window: null };

    // Act
    const text = renderText(report);

    // Assess
    expect(text.split('\n')[0]).toBe('Credential health: account unknown account');
    expect(text).toContain('no incident window (incidents were not searched)');
  });
});
