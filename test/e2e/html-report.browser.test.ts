import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Report } from '../../lambdas/core/report.js';
import { renderHtml } from '../../lambdas/render/html.js';
import { demoReport } from '../../scripts/update-golden.js';
import { chromiumMissing, pngSize, runChromium } from './chromium.js';

/** Screenshots land here for people to look at (git-ignored). */
const OUTPUT = resolve(import.meta.dirname, '..', '..', 'test-output');
/** Two Chromium runs at most per test, each allowed RUN_TIMEOUT_MS (chromium.ts). */
const BROWSER_TIMEOUT_MS = 300_000;

describe('the HTML report in headless Chromium (demo account)', () => {
  let dir: string;
  let report: Report;
  let pageUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credhealth-html-'));
    report = await demoReport();
    const html = renderHtml(report, {
      maxKeyAgeDays: DEFAULT_CONFIG.thresholds.maxKeyAgeDays,
      reminderLeadDays: DEFAULT_CONFIG.thresholds.reminderLeadDays,
    });
    const file = join(dir, 'demo.html');
    writeFileSync(file, html, 'utf8');
    pageUrl = pathToFileURL(file).href;
    mkdirSync(OUTPUT, { recursive: true });
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('has Chromium to run in (scripts/chromium.sh installs it)', () => {
    // A missing browser is a failure, not a skip: otherwise this file would pass having tested nothing.
    expect(chromiumMissing()).toBeNull();
  });

  it(
    'runs its script without an error: both tables become sortable, nothing reaches the console',
    async () => {
      // Prepare
      const missing = chromiumMissing();
      if (missing !== null) throw new Error(missing);

      // Act
      const run = await runChromium(pageUrl, ['--dump-dom']);
      const dom = run.stdout;

      // Assess
      expect(run.console).toEqual([]);
      expect(dom).toMatch(/<html lang="en">/);
      expect(dom).not.toMatch(/<html[^>]*data-script-errors/);
      expect(
        dom.match(
          /<table class="(?:findings|incidents)" data-sortable="" data-enhanced="sortable">/g,
        ),
      ).toHaveLength(2);
      // One button per sortable column: 6 in the findings table, 4 in the incidents table.
      expect(
        dom.match(/<th [^>]*data-sort="[a-z]+"[^>]*><button type="button" class="sort">/g),
      ).toHaveLength(10);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'draws both charts in both layouts, with the limits, one bar per key and per incident',
    async () => {
      // Prepare
      const missing = chromiumMissing();
      if (missing !== null) throw new Error(missing);
      const keysInFindings = new Set(
        report.findings
          .filter((f) => f.accessKey !== null && f.accessKey.ageDays !== null)
          .map((f) => `${f.principal.name}/${f.accessKey?.slot}`),
      ).size;

      // Act
      const dom = (await runChromium(pageUrl, ['--dump-dom'])).stdout;

      // Assess
      for (const id of [
        'key-age-title',
        'key-age-title-narrow',
        'timeline-title',
        'timeline-title-narrow',
      ])
        expect(dom).toContain(`id="${id}"`);
      expect(dom.match(/<svg class="chart chart-(?:wide|narrow)"/g)).toHaveLength(4);
      expect(dom.match(/>due 76 d<\/text>/g)).toHaveLength(2);
      expect(dom.match(/>limit 90 d<\/text>/g)).toHaveLength(2);
      expect(dom.match(/<rect class="bar-/g)).toHaveLength(2 * keysInFindings);
      expect(dom.match(/<rect class="sev-[a-z]+"/g)).toHaveLength(2 * report.incidents.length);
      expect(report.incidents.length).toBeGreaterThan(0);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'takes screenshots at desktop (1280 px) and phone (390 px) widths into test-output/',
    async () => {
      // Prepare
      const missing = chromiumMissing();
      if (missing !== null) throw new Error(missing);
      // Into this run's own directory first: test-output/ is shared with any other run of the
      // suite in this checkout, which could replace a file between its writing and its reading.
      const shots = [
        { width: 1280, file: join(dir, 'html-report-1280.png') },
        { width: 390, file: join(dir, 'html-report-390.png') },
      ];

      // Act
      const runs = [];
      for (const shot of shots) {
        runs.push(
          await runChromium(pageUrl, [
            `--screenshot=${shot.file}`,
            `--window-size=${shot.width},2400`,
          ]),
        );
      }

      // Assess
      for (const run of runs) expect(run.console).toEqual([]);
      for (const shot of shots) {
        expect(pngSize(readFileSync(shot.file))).toEqual({ width: shot.width, height: 2400 });
        copyFileSync(shot.file, join(OUTPUT, basename(shot.file)));
      }
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'sorts a table when a column heading is clicked: ages ascending with blanks last, then descending',
    async () => {
      // Prepare: the page plus a script (allowed by its own hash) that clicks "Age (days)" twice
      // and writes the order it sees into the DOM, which --dump-dom then shows.
      const missing = chromiumMissing();
      if (missing !== null) throw new Error(missing);
      const probe = [
        "var button = document.querySelectorAll('table.findings thead th')[4].querySelector('button');",
        "function ages() { return Array.prototype.map.call(document.querySelectorAll('table.findings tbody tr'), function (row) { return row.cells[4].getAttribute('data-sort-value'); }).join(','); }",
        "button.click(); document.documentElement.setAttribute('data-ascending', ages());",
        "button.click(); document.documentElement.setAttribute('data-descending', ages());",
      ].join('\n');
      const hash = createHash('sha256').update(probe).digest('base64');
      const html = readFileSync(new URL(pageUrl), 'utf8')
        .replace("script-src '", `script-src 'sha256-${hash}' '`)
        .replace('</body>', `<script>${probe}</script></body>`);
      const file = join(dir, 'sorted.html');
      writeFileSync(file, html);
      const known = report.findings
        .map((f) => f.accessKey?.ageDays ?? null)
        .filter((age): age is number => age !== null);

      // Act
      const run = await runChromium(pathToFileURL(file).href, ['--dump-dom']);
      const read = (name: string): string[] =>
        (new RegExp(`${name}="([^"]*)"`).exec(run.stdout)?.[1] ?? '').split(',');

      // Assess
      expect(run.console).toEqual([]);
      const ascending = read('data-ascending');
      const descending = read('data-descending');
      expect(ascending).toHaveLength(report.findings.length);
      expect(ascending.filter((v) => v !== '').map(Number)).toEqual(
        [...known].sort((a, b) => a - b),
      );
      expect(descending.filter((v) => v !== '').map(Number)).toEqual(
        [...known].sort((a, b) => b - a),
      );
      // Findings without a key have no age and stay last in both directions.
      expect(ascending.slice(known.length).every((v) => v === '')).toBe(true);
      expect(descending.slice(known.length).every((v) => v === '')).toBe(true);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'prints to PDF without an error',
    async () => {
      // Prepare
      const missing = chromiumMissing();
      if (missing !== null) throw new Error(missing);
      const pdf = join(dir, 'html-report.pdf');

      // Act
      const run = await runChromium(pageUrl, [`--print-to-pdf=${pdf}`, '--no-pdf-header-footer']);

      // Assess
      expect(run.console).toEqual([]);
      const bytes = readFileSync(pdf);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(10_000);
      copyFileSync(pdf, join(OUTPUT, 'html-report.pdf'));
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'would notice a broken page: a refused style and a script error are both seen',
    async () => {
      // Prepare: the same page with its style changed after hashing (the CSP refuses it) and
      // a failing script allowed by its own hash, so the checks above cannot pass by never
      // seeing anything.
      const missing = chromiumMissing();
      if (missing !== null) throw new Error(missing);
      const failing = 'undefinedFunction();';
      const hash = createHash('sha256').update(failing).digest('base64');
      const html = readFileSync(new URL(pageUrl), 'utf8')
        .replace('<style>', '<style>body{}')
        .replace("script-src '", `script-src 'sha256-${hash}' '`)
        .replace('</body>', `<script>${failing}</script></body>`);
      const file = join(dir, 'broken.html');
      writeFileSync(file, html);

      // Act
      const run = await runChromium(pathToFileURL(file).href, ['--dump-dom']);

      // Assess
      expect(run.console.some((line) => line.includes('Content Security Policy'))).toBe(true);
      expect(run.console.some((line) => line.includes('undefinedFunction is not defined'))).toBe(
        true,
      );
      expect(run.stdout).toMatch(
        /<html[^>]*data-script-errors="[^"]*undefinedFunction is not defined/,
      );
    },
    BROWSER_TIMEOUT_MS,
  );
});
