import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runChecks } from '../../lambdas/core/checks/index.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { parseCredentialReport } from '../../lambdas/core/credential-report.js';
import { CSV_PARSE_OPTIONS } from '../../lambdas/core/credential-report-csv.js';
import type { AccessKeyMetadata, IamUserDetail } from '../../lambdas/core/inventory.js';
import { buildInventory } from '../../lambdas/core/inventory-builder.js';

/**
 * One case of the credential-report benchmark, in a fresh `node` process (bundled first, run
 * with --expose-gc), so that its CPU time carries no other case's garbage and its peak RSS is
 * its own:
 *
 *   node credential-report-case.mjs <cpu|memory> <csv-parse|parse|full> <input dir>
 *
 * `cpu`: one untimed run (it compiles the code), then three timed runs, each after a full GC
 * (CPU time of all threads, GC included), the result of each dropped before the next. `memory`: a single run, as a Lambda invocation does it, keeping what
 * it returns (as the audit does) and reading the peak RSS. Prints one JSON line.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
/** Timed runs per process in `cpu` mode, each after a full GC. */
const REPEATS = 3;

type CaseName = 'csv-parse' | 'parse' | 'full';

const [mode, caseName, dir] = process.argv.slice(2) as ['cpu' | 'memory', CaseName, string];
const csv = readFileSync(join(dir, 'report.csv'), 'utf8');
const accessKeys = JSON.parse(
  readFileSync(join(dir, 'access-keys.json'), 'utf8'),
) as AccessKeyMetadata[];
const users = JSON.parse(readFileSync(join(dir, 'users.json'), 'utf8')) as IamUserDetail[];

function run(): { readonly kept: unknown; readonly findings: number } {
  switch (caseName) {
    case 'csv-parse':
      return { kept: parse(csv, CSV_PARSE_OPTIONS), findings: 0 };
    case 'parse':
      return { kept: parseCredentialReport(csv), findings: 0 };
    case 'full': {
      const rows = parseCredentialReport(csv);
      const { inventory } = buildInventory({
        rows,
        accessKeys,
        users,
        accountSummary: null,
        reportGeneratedAt: NOW,
        accountId: null,
      });
      const checked = runChecks(inventory, DEFAULT_CONFIG, NOW);
      return { kept: [rows, inventory, checked], findings: checked.findings.length };
    }
  }
}

const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
// Flattened once here, as reading a response body gives a flat string: neither case pays for it.
csv.charCodeAt(0);

if (mode === 'cpu') {
  run();
  const cpuMs: number[] = [];
  let findings = 0;
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    collect();
    const start = process.cpuUsage();
    findings = run().findings;
    const used = process.cpuUsage(start);
    cpuMs.push((used.user + used.system) / 1000);
  }
  process.stdout.write(`${JSON.stringify({ cpuMs, findings })}\n`);
} else {
  collect();
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const peakBeforeMb = process.resourceUsage().maxRSS / 1024;
  const { kept, findings } = run();
  const peakMb = process.resourceUsage().maxRSS / 1024;
  collect();
  const heldMb = process.memoryUsage().rss / 2 ** 20;
  process.stdout.write(
    `${JSON.stringify({ rssBeforeMb, peakBeforeMb, peakMb, heldMb, findings, kept: kept !== null })}\n`,
  );
}
