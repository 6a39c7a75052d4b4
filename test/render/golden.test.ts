import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GOLDEN_DIR,
  GOLDEN_EMAIL_FILE,
  GOLDEN_FILES,
  renderGoldenFiles,
} from '../../scripts/update-golden.js';

const HOW_TO_UPDATE =
  'the renderer output changed; if that was intended, run `npm run golden:update` and review the diff of test/golden/';

describe('golden files: the demo account in every format', () => {
  let rendered: Map<string, string>;

  beforeAll(async () => {
    rendered = await renderGoldenFiles();
  });

  it.each(Object.entries(GOLDEN_FILES))('%s matches test/golden/%s', (_format, name) => {
    // Prepare
    const golden = readFileSync(join(GOLDEN_DIR, name), 'utf8');

    // Act
    const actual = rendered.get(name);

    // Assess
    expect(actual, HOW_TO_UPDATE).toBe(golden);
  });

  it('the mail matches test/golden/demo-email.txt', () => {
    expect(rendered.get(GOLDEN_EMAIL_FILE), HOW_TO_UPDATE).toBe(
      readFileSync(join(GOLDEN_DIR, GOLDEN_EMAIL_FILE), 'utf8'),
    );
  });

  it('holds no path of the machine that wrote it, and no full key id in a human format', () => {
    for (const [name, content] of rendered) {
      expect(content, name).not.toMatch(/\/(?:home|work|tmp|Users)\//);
      if (name !== 'demo.json') expect(content, name).not.toMatch(/\bA[KS]IA[A-Z0-9]{16}\b/);
    }
  });

  it('has the text at width 100, without colour', () => {
    // Act
    const text = rendered.get(GOLDEN_FILES.text) ?? '';

    // Assess
    expect(text).not.toContain('\u001b[');
    // Only a single word longer than the width (an ARN) may run past it, on a line of its own.
    const long = text.split('\n').filter((line) => line.length > 100);
    for (const line of long) expect(line.trim(), line).not.toContain(' ');
    expect(text.split('\n').length).toBeGreaterThan(long.length * 50);
  });

  it('has one CSV row per finding, with the fix in it', () => {
    // Prepare
    const report = JSON.parse(rendered.get(GOLDEN_FILES.json) ?? '{}') as {
      findings: { id: string }[];
    };

    // Act
    const rows = parse(rendered.get(GOLDEN_FILES.csv) ?? '', {
      columns: true,
      bom: true,
    }) as Record<string, string>[];

    // Assess
    expect(rows.map((row) => row.id)).toEqual(report.findings.map((finding) => finding.id));
    for (const row of rows) expect(row.remediation, row.id).not.toBe('');
  });
});
