import { parse } from 'csv-parse/sync';
import { runChecks } from '../lambdas/core/checks/index.js';
import { DEFAULT_CONFIG } from '../lambdas/core/config.js';
import { parseCredentialReport } from '../lambdas/core/credential-report.js';
import { buildInventory } from '../lambdas/core/inventory-builder.js';
import { createSyntheticAccount } from './iam-account.js';
import { median } from './stats.js';

/**
 * Part 2b: a credential report of `users` users parsed (`parseCredentialReport`), joined into
 * the inventory (`buildInventory`, with every key id and tag as a live scan has them) and
 * checked (`runChecks`), in CPU time (`process.cpuUsage`), against csv-parse alone over the same
 * text with the same options. Alternated and repeated; medians.
 */

const NOW = new Date('2026-11-20T12:00:00Z');

export interface CredentialReportCost {
  readonly users: number;
  readonly csvBytes: number;
  readonly rounds: number;
  readonly findings: number;
  /** Median CPU ms of parse + inventory + checks. */
  readonly fullCpuMs: number;
  /** Median CPU ms of parse alone (our parser: csv-parse plus reading every value). */
  readonly parseCpuMs: number;
  /** Median CPU ms of csv-parse alone. */
  readonly csvParseCpuMs: number;
  readonly fullToCsvParse: number;
}

function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export function benchCredentialReport(users: number, rounds: number): CredentialReportCost {
  const account = createSyntheticAccount(users, 11, NOW);
  const accessKeys = account.users.flatMap((user) =>
    user.keys.map((key) => ({
      UserName: user.name,
      AccessKeyId: key.id,
      Status: key.active ? 'Active' : 'Inactive',
      CreateDate: key.created.toISOString(),
    })),
  );
  const details = account.users.map((user) => ({
    UserName: user.name,
    Arn: user.arn,
    Tags: [...user.tags],
  }));
  const full: number[] = [];
  const ours: number[] = [];
  const baseline: number[] = [];
  let findings = 0;
  // One warm-up of each, not measured: the first call also compiles the code.
  parse(account.csv, { bom: true, info: true, skip_empty_lines: true });
  parseCredentialReport(account.csv);
  for (let round = 0; round < rounds; round += 1) {
    baseline.push(
      cpuMs(() => void parse(account.csv, { bom: true, info: true, skip_empty_lines: true })),
    );
    ours.push(cpuMs(() => void parseCredentialReport(account.csv)));
    full.push(
      cpuMs(() => {
        const rows = parseCredentialReport(account.csv);
        const { inventory } = buildInventory({
          rows,
          accessKeys,
          users: details,
          accountSummary: null,
          reportGeneratedAt: NOW,
          accountId: account.accountId,
        });
        findings = runChecks(inventory, DEFAULT_CONFIG, NOW).findings.length;
      }),
    );
  }
  const fullCpuMs = median(full);
  const csvParseCpuMs = median(baseline);
  return {
    users,
    csvBytes: Buffer.byteLength(account.csv),
    rounds,
    findings,
    fullCpuMs,
    parseCpuMs: median(ours),
    csvParseCpuMs,
    fullToCsvParse: fullCpuMs / csvParseCpuMs,
  };
}
