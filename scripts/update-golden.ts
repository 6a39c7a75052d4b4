/**
 * Writes `test/golden/demo.{txt,json,md,csv,html}`: the demo account's report in every format,
 * as `npm run demo` would print it, and `test/golden/demo-email.txt`, the mail it sends, with `generatedAt` pinned to the demo's `now` so the files
 * do not change from run to run. `test/render/golden.test.ts` renders the same way and compares
 * byte for byte, so a change to a renderer shows up as a reviewable diff of these files.
 *
 * Run `npm run golden:update` after an intended change, then read the diff before committing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAudit } from '../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../lambdas/core/config.js';
import type { Report } from '../lambdas/core/report.js';
import { type ReportFormat, renderReport } from '../lambdas/render/index.js';
import { buildNotifications } from '../lambdas/render/notifications/build-notifications.js';
import { createExportDirSources } from '../lambdas/sources/files/export-dir-sources.js';
import { DEMO_NOW } from './generate-demo.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the demo account and the golden files live. */
export const DEMO_DIR = join(ROOT, 'examples', 'demo-account');
export const GOLDEN_DIR = join(ROOT, 'test', 'golden');

/** Each format and the golden file holding it. */
export const GOLDEN_FILES: Readonly<Record<ReportFormat, string>> = {
  text: 'demo.txt',
  json: 'demo.json',
  markdown: 'demo.md',
  csv: 'demo.csv',
  html: 'demo.html',
};

/** The mail the demo account sends through SNS: every subject and plain-text body, in order. */
export const GOLDEN_EMAIL_FILE = 'demo-email.txt';

/** The width text is wrapped at in the golden file (no colour). */
export const GOLDEN_TEXT_WIDTH = 100;

/**
 * The demo account's report as `npm run demo` builds it (default config, `--now` the demo's
 * instant), with `generatedAt` fixed to the same instant and the checkout's path in source
 * details written as `examples/demo-account`, as `npm run demo` prints it from any checkout.
 */
export async function demoReport(): Promise<Report> {
  const now = new Date(DEMO_NOW);
  const report = await runAudit(createExportDirSources(DEMO_DIR), {
    config: DEFAULT_CONFIG,
    now,
    generatedAt: now,
  });
  return {
    ...report,
    sources: report.sources.map((source) => ({
      ...source,
      detail: source.detail.split(DEMO_DIR).join('examples/demo-account'),
    })),
  };
}

/**
 * The content of every golden file, by file name, rendered as the CLI renders to a file or a
 * pipe: no colour, text at width 100, the HTML chart limits from the default config, and a
 * final newline; plus the subjects and bodies of the mail `buildNotifications` makes.
 */
export async function renderGoldenFiles(): Promise<Map<string, string>> {
  const report = await demoReport();
  const files = new Map<string, string>();
  for (const [format, name] of Object.entries(GOLDEN_FILES) as [ReportFormat, string][]) {
    const text = renderReport(report, format, {
      color: false,
      width: GOLDEN_TEXT_WIDTH,
      maxKeyAgeDays: DEFAULT_CONFIG.thresholds.maxKeyAgeDays,
      reminderLeadDays: DEFAULT_CONFIG.thresholds.reminderLeadDays,
    });
    files.set(name, text.endsWith('\n') ? text : `${text}\n`);
  }
  const mail = buildNotifications(report).map((message) =>
    [
      `==== ${message.attributes.kind} to owner=${message.attributes.owner} (${message.attributes.severity})`,
      `Subject: ${message.subject}`,
      '',
      message.bodies.email,
      '',
    ].join('\n'),
  );
  files.set(GOLDEN_EMAIL_FILE, mail.join('\n'));
  return files;
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const files = await renderGoldenFiles();
  mkdirSync(GOLDEN_DIR, { recursive: true });
  for (const [name, content] of files) writeFileSync(join(GOLDEN_DIR, name), content, 'utf8');
  process.stdout.write(`wrote ${files.size} golden files to ${GOLDEN_DIR}\n`);
}
