import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../lambdas/render/html.js';
import { emptyReport, FULL_KEY_IDS, sampleReport, withData } from './sample-report.js';

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function inline(html: string, tag: 'script' | 'style'): string {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  return match?.[1] ?? '';
}

/** The SVG whose title has this id. */
function wideChart(html: string, titleId: string): string {
  const at = html.indexOf(`id="${titleId}"`);
  return at < 0 ? '' : html.slice(at, html.indexOf('</svg>', at));
}

describe('renderHtml', () => {
  it('is a complete document with a language, a title and headings in order', () => {
    // Act
    const html = renderHtml(sampleReport());
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));

    // Assess
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(
      '<title>Credential health: 123456789012 (acme-prod), 2026-11-20</title>',
    );
    expect(levels[0]).toBe(1);
    expect(levels.filter((level) => level === 1)).toHaveLength(1);
    levels.forEach((level, index) => {
      if (index > 0) expect(level - (levels[index - 1] ?? 1)).toBeLessThanOrEqual(1);
    });
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('allows only its own inline style and script, by hash', () => {
    // Act
    const html = renderHtml(sampleReport());
    const csp =
      /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

    // Assess
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src ${hash(inline(html, 'style'))}`);
    expect(csp).toContain(`script-src ${hash(inline(html, 'script'))}`);
    expect(csp).not.toContain('unsafe');
    expect(count(html, '<script')).toBe(1);
    expect(count(html, '<style')).toBe(1);
    expect(html).not.toMatch(/ style="/);
    expect(html).not.toMatch(/ on[a-z]+="/);
  });

  it('loads nothing from outside; its only links go to the AWS console', () => {
    // Act
    const html = renderHtml(sampleReport());
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');

    // Assess
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/url\(/);
    expect(html).not.toMatch(/@import/);
    expect(html.replace(/href="https:\/\/console\.aws\.amazon\.com\/[^"]*"/g, '')).not.toMatch(
      /(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s<]*(?=["'])/i,
    );
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs)
      expect(href).toMatch(/^https:\/\/console\.aws\.amazon\.com\/iam\/home#\/users\/details\//);
  });

  it('shows summary cards with text labels for every severity', () => {
    // Act
    const html = renderHtml(sampleReport());

    // Assess
    expect(html).toContain(
      '<li class="card sev-critical"><span class="count">4</span><span class="name">Critical</span><span class="split">2 findings, 2 incidents</span></li>',
    );
    expect(html).toContain(
      '<li class="card sev-info zero"><span class="count">0</span><span class="name">Info</span>',
    );
    expect(html).toContain('<h3>What to do first</h3>');
  });

  it('draws the key-age chart with the due and overdue limits', () => {
    // Act
    const html = renderHtml(sampleReport());
    const custom = renderHtml(sampleReport(), { maxKeyAgeDays: 180, reminderLeadDays: 30 });

    // Assess
    expect(html).toContain('<title id="key-age-title">Access key age in days</title>');
    expect(html).toContain('>due 76 d</text>');
    expect(html).toContain('>limit 90 d</text>');
    expect(html).toContain('>412 d · overdue</text>');
    expect(html).toContain('>80 d · due</text>');
    expect(html).toContain('>300 d · inactive</text>');
    expect(html).toContain('>2808 d · overdue (off scale)</text>');
    expect(count(wideChart(html, 'key-age-title'), 'class="bar-')).toBe(7);
    expect(custom).toContain('>due 150 d</text>');
    expect(custom).toContain('>80 d · within limit</text>');
  });

  it('draws one timeline bar per incident inside the window', () => {
    // Act
    const html = renderHtml(sampleReport());
    const timeline = html.slice(
      html.indexOf('id="timeline-title"'),
      html.indexOf('</svg>', html.indexOf('id="timeline-title"')),
    );
    const bars = [
      ...timeline.matchAll(/<rect class="sev-[a-z]+" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g),
    ];

    // Assess
    expect(bars).toHaveLength(10);
    for (const [, x, width] of bars) {
      expect(Number(x)).toBeGreaterThanOrEqual(300);
      expect(Number(x) + Number(width)).toBeLessThanOrEqual(850.5);
    }
    expect(timeline).toContain('>×14</text>');
  });

  it('has sortable tables whose headers are scoped and whose rows carry their fix', () => {
    // Act
    const html = renderHtml(sampleReport());
    const findings = html.slice(
      html.indexOf('<table class="findings"'),
      html.indexOf('</table>', html.indexOf('<table class="findings"')),
    );

    // Assess
    expect(count(html, '<table class="findings" data-sortable>')).toBe(1);
    expect(count(html, '<table class="incidents" data-sortable>')).toBe(1);
    const headers = html.match(/<th(?:\s[^>]*)?>/g) ?? [];
    expect(headers.length).toBeGreaterThan(10);
    for (const th of headers) expect(th).toMatch(/ scope="(?:col|row)"/);
    expect(count(findings, '<tr data-order=')).toBe(12);
    expect(findings).toContain(
      '<li>Create a second key for ci-deployer and put it where the pipeline reads its secret.</li>',
    );
    expect(findings.indexOf('sev-critical')).toBeLessThan(findings.indexOf('sev-low'));
  });

  it('draws each chart a second time for phones, labels above the bars, shown only on narrow screens', () => {
    // Act
    const html = renderHtml(sampleReport());
    const narrowKeys = wideChart(html, 'key-age-title-narrow');
    const narrowTimeline = wideChart(html, 'timeline-title-narrow');
    const styles = inline(html, 'style');

    // Assess
    expect(html).toContain('<svg class="chart chart-narrow" viewBox="0 0 400 ');
    expect(count(narrowKeys, 'class="bar-')).toBe(7);
    expect(count(narrowTimeline, '<rect class="sev-')).toBe(10);
    // The value sits at the right edge of the label's line, never after a bar that may reach the edge.
    expect(narrowKeys).toContain(
      '<text class="value" x="392" y="48" text-anchor="end">2808 d · overdue (off scale)</text>',
    );
    for (const match of narrowKeys.matchAll(/<text[^>]* x="([\d.]+)"/g))
      expect(Number(match[1])).toBeLessThanOrEqual(400);
    expect(styles).toContain('.chart-narrow { display: none; }');
    expect(styles).toMatch(
      /@media screen and \(max-width: 700px\) \{[^@]*\.chart-wide \{ display: none; \}/,
    );
    expect(styles).toMatch(/td\[data-label\]::before \{ content: attr\(data-label\)/);
  });

  it('labels every data cell, so a phone can show each row as a card', () => {
    // Act
    const html = renderHtml(sampleReport());
    const cells = html.match(/<td(?:\s[^>]*)?>/g) ?? [];

    // Assess
    expect(cells.length).toBeGreaterThan(50);
    for (const td of cells) expect(td).toMatch(/ data-label="[A-Z][A-Za-z ()]+"/);
  });

  it('prints well', () => {
    expect(inline(renderHtml(sampleReport()), 'style')).toContain('@media print');
  });

  it('never shows a full access key id', () => {
    // Act
    const html = renderHtml(sampleReport());

    // Assess
    for (const id of FULL_KEY_IDS) expect(html).not.toContain(id);
  });

  it('shows markup in data as text', () => {
    // Prepare
    const report = withData(
      {
        principal: { type: 'IAMUser', name: '<script>alert(1)</script>', arn: null },
        title: '"><img src=x onerror=alert(2)>',
      },
      { userAgents: ["'><svg onload=alert(3)>"] },
    );

    // Act
    const html = renderHtml(report);

    // Assess
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&#39;&gt;&lt;svg onload=alert(3)&gt;');
    expect(html).toContain(
      'users/details/%3Cscript%3Ealert(1)%3C%2Fscript%3E?section=security_credentials',
    );
    expect(count(html, '<script')).toBe(1);
    expect(html).not.toContain('<img');
  });

  it('shows commands written between backticks as code', () => {
    // Prepare
    const report = withData({ remediation: ['Run `env | grep <AWS_>` on the caller.'] });

    // Act
    const html = renderHtml(report);

    // Assess
    expect(html).toContain('<li>Run <code>env | grep &lt;AWS_&gt;</code> on the caller.</li>');
  });

  it('says when there is nothing to show', () => {
    // Act
    const html = renderHtml(emptyReport());

    // Assess
    expect(html).toContain('<p>No access key is named in a finding.</p>');
    expect(html).toContain('No findings: every credential checked is within its limits.');
    expect(html).not.toContain('Results may be incomplete');
  });

  it('draws the timeline over the incidents when there is no window', () => {
    // Act
    const html = renderHtml({ ...sampleReport(), window: null });

    // Assess
    expect(html).toContain('span of the incidents, times in UTC');
    expect(html.replace(inline(html, 'script'), '')).not.toContain('NaN');
  });

  it('keeps the charts to 40 rows and says so', () => {
    // Prepare
    const report = sampleReport();
    const [finding] = report.findings.filter((f) => f.check === 'key-rotation-overdue');
    const [incident] = report.incidents;
    if (finding === undefined || incident === undefined) throw new Error('sample report changed');
    const many = {
      ...report,
      findings: Array.from({ length: 45 }, (_, n) => ({
        ...finding,
        id: `f-${n}`,
        principal: { ...finding.principal, name: `user-${n}` },
      })),
      incidents: Array.from({ length: 45 }, (_, n) => ({ ...incident, id: `i-${n}` })),
    };

    // Act
    const html = renderHtml(many);

    // Assess
    expect(count(wideChart(html, 'key-age-title'), 'class="bar-')).toBe(40);
    expect(count(wideChart(html, 'key-age-title-narrow'), 'class="bar-')).toBe(40);
    expect(html).toContain('The 40 oldest of 45 keys named in findings');
    expect(html).toContain('The first 40 of 45 incidents, worst first.');
    expect(count(html, '<tr data-order=')).toBe(90);
  });

  it('adds no markup for any user name or title (property)', () => {
    // Prepare
    const baseline = renderHtml(
      withData(
        { principal: { type: 'IAMUser', name: 'x', arn: null }, title: 'x' },
        { title: 'x' },
      ),
    );

    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        (name, title) => {
          // Act
          const html = renderHtml(
            withData({ principal: { type: 'IAMUser', name, arn: null }, title }, { title }),
          );

          // Assess: every <, > and " comes from the page itself, none from the data.
          expect(count(html, '<')).toBe(count(baseline, '<'));
          expect(count(html, '>')).toBe(count(baseline, '>'));
          expect(count(html, '"')).toBe(count(baseline, '"'));
        },
      ),
      { numRuns: 200 },
    );
  });
});
