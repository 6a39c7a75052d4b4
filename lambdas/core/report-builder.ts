import { compareText } from './compare-text.js';
import type { Finding, Incident, Report, Severity, SourceStatus } from './report.js';
import { SEVERITIES } from './report.js';
import { toIso } from './time.js';

export interface ReportParts {
  readonly generatedAt: Date;
  readonly now: Date;
  readonly account: { readonly id: string | null; readonly alias: string | null };
  readonly window: { readonly start: Date; readonly end: Date } | null;
  readonly reportGeneratedAt: Date | null;
  readonly reportRows: number;
  readonly sources: readonly SourceStatus[];
  readonly findings: readonly Finding[];
  readonly incidents: readonly Incident[];
}

/** Severity rank: 0 is the worst. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * Puts the parts together in the order the contract promises: findings by severity, then
 * principal name, then check and key slot; incidents by severity, then last seen (newest first).
 */
export function assembleReport(parts: ReportParts): Report {
  const findings = [...parts.findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      compareText(a.principal.name, b.principal.name) ||
      compareText(a.check, b.check) ||
      (a.accessKey?.slot ?? 0) - (b.accessKey?.slot ?? 0) ||
      compareText(a.id, b.id),
  );
  const incidents = [...parts.incidents].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      compareText(b.lastSeen, a.lastSeen) ||
      compareText(a.id, b.id),
  );
  const summary = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const item of [...findings, ...incidents]) summary[item.severity] += 1;
  const ageHours =
    parts.reportGeneratedAt === null
      ? null
      : Math.round(((parts.now.getTime() - parts.reportGeneratedAt.getTime()) / 3_600_000) * 10) /
        10;
  return {
    schemaVersion: 1,
    generatedAt: toIso(parts.generatedAt),
    now: toIso(parts.now),
    account: parts.account,
    window: parts.window
      ? { start: toIso(parts.window.start), end: toIso(parts.window.end) }
      : null,
    credentialReport: {
      generatedAt: parts.reportGeneratedAt ? toIso(parts.reportGeneratedAt) : null,
      ageHours,
      rows: parts.reportRows,
    },
    sources: parts.sources,
    summary,
    findings,
    incidents,
  };
}
