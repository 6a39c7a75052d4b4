import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdown } from '../../lambdas/render/markdown.js';
import { emptyReport, FULL_KEY_IDS, sampleReport, withData } from './sample-report.js';

/** Cells of a GFM table row, honouring `\|` escapes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/);
}

describe('renderMarkdown', () => {
  it('has a title, a summary table and sections in order', () => {
    // Act
    const md = renderMarkdown(sampleReport());
    const headings = md.match(/^#{1,3} .*$/gm) ?? [];

    // Assess
    expect(headings[0]).toBe('# Credential health: 123456789012 (acme-prod)');
    expect(headings.filter((line) => line.startsWith('## '))).toEqual([
      '## Summary',
      '## Sources',
      '## Findings (12)',
      '## Incidents (10)',
    ]);
    expect(md).toContain('| Critical | 2 | 2 |');
    expect(md).toContain('| **Total** | **12** | **10** |');
    expect(md).toContain('- **Evaluated at:** 2026-11-20 12:00 UTC');
    expect(md).toContain(
      '> **Results may be incomplete:** users is missing, cloudtrail is degraded.',
    );
  });

  it('puts one findings table per severity, worst first, with each fix after it', () => {
    // Act
    const md = renderMarkdown(sampleReport());
    const severities = md.match(/^### (Critical|High|Medium|Low|Info) \(\d+\)$/gm);

    // Assess
    expect(severities).toEqual([
      '### Critical (2)',
      '### High (3)',
      '### Medium (3)',
      '### Low (4)',
    ]);
    expect(md).toContain(
      '| 4 | Key rotation overdue | `ci-deployer` | `AKIA…MPLE` (key 1, Active) | 412 d | 2026-11-20 | platform@example.com |',
    );
    expect(md).toContain(
      '| 7 | Key created with user, never used | `carol` | id unknown (key 1, Active) | 20 d | never |  |',
    );
    expect(md).toMatch(
      /\*\*4\. Access key 1 of ci-deployer is 412 days old \(limit 90\)\*\*\n\n[^\n]+\n\n[^\n]+\n\nFix:\n\n1\. Create a second key/,
    );
  });

  it('writes each incident as a section with its evidence and fix', () => {
    // Act
    const md = renderMarkdown(sampleReport());
    const section = md.slice(md.indexOf('### 3. High: A deactivated key of bob'));

    // Assess
    expect(section).toContain(
      '- **Seen:** 14 times, from 2026-11-19 13:00 UTC to 2026-11-20 11:30 UTC',
    );
    expect(section).toContain('- **Error codes:** InvalidClientTokenId ×14');
    expect(section).toContain('- **Access keys:** `AKIA…MPLE`');
    expect(section).toContain('- **Log groups:** `/aws/lambda/nightly-export`');
    expect(section).toContain('Fix:\n\n1. Remove AWS\\_ACCESS\\_KEY\\_ID');
  });

  it('never shows a full access key id', () => {
    // Act
    const md = renderMarkdown(sampleReport());

    // Assess
    for (const id of FULL_KEY_IDS) expect(md).not.toContain(id);
  });

  it('keeps table rows intact when data holds pipes and markup', () => {
    // Prepare
    const report = withData({
      principal: { type: 'IAMUser', name: 'a|b`c', arn: null },
      owner: 'x | y <img src=x onerror=alert(1)>',
      title: '**bold** [link](https://evil.example) | <script>alert(1)</script>',
    });

    // Act
    const md = renderMarkdown(report);
    const row = md.split('\n').find((line) => line.startsWith('| 1 |')) ?? '';

    // Assess
    expect(cells(row)).toHaveLength(7);
    expect(row).toContain('``a\\|b`c``');
    expect(row).toContain('x \\| y \\<img src=x onerror=alert(1)\\>');
    expect(md).toContain(
      '**1. \\*\\*bold\\*\\* \\[link\\](https://evil.example) \\| \\<script\\>alert(1)\\</script\\>**',
    );
    expect(md).not.toContain('<script>');
  });

  it('escapes what would start a list or a mention', () => {
    expect(escapeMarkdown('@ci-runner and @team')).toBe('\\@ci-runner and \\@team');
    expect(escapeMarkdown('a_b *c* #1 ~x~')).toBe('a\\_b \\*c\\* \\#1 \\~x\\~');
    const md = renderMarkdown(withData({ detail: '- 1. not a list' }));
    expect(md).toContain('\n\\- 1. not a list\n');
  });

  it('shows commands written between backticks as code and escapes the rest', () => {
    // Prepare
    const report = withData({
      remediation: ['Run `aws iam delete-access-key --user-name a_b` now_ok.'],
    });

    // Act
    const md = renderMarkdown(report);

    // Assess
    expect(md).toContain('1. Run `aws iam delete-access-key --user-name a_b` now\\_ok.');
  });

  it('says so when there is nothing to report', () => {
    // Act
    const md = renderMarkdown(emptyReport());

    // Assess
    expect(md).toContain('No findings.');
    expect(md).toContain('No credential failures in the window.');
    expect(md).not.toContain('Results may be incomplete');
  });
});
