import { readFileSync } from 'node:fs';
import type { Finding, Incident, Report } from '../../lambdas/core/report.js';

const FIXTURE = new URL('../fixtures/reports/sample-report.json', import.meta.url);

/** A fresh copy of the hand-written sample report (every check id and incident kind). */
export function sampleReport(): Report {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as Report;
}

/** The sample report with its first finding and first incident changed. */
export function withData(
  findingPatch: Partial<Finding>,
  incidentPatch: Partial<Incident> = {},
  report: Report = sampleReport(),
): Report {
  const [finding, ...findings] = report.findings;
  const [incident, ...incidents] = report.incidents;
  if (finding === undefined || incident === undefined) throw new Error('sample report is empty');
  return {
    ...report,
    findings: [{ ...finding, ...findingPatch }, ...findings],
    incidents: [{ ...incident, ...incidentPatch }, ...incidents],
  };
}

/** A report with nothing found and every source fine. */
export function emptyReport(): Report {
  const report = sampleReport();
  return {
    ...report,
    sources: report.sources.map((source) => ({ ...source, status: 'ok' as const })),
    summary: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    findings: [],
    incidents: [],
  };
}

/** Every full access key id in the sample, to prove none leaks into a masked format. */
export const FULL_KEY_IDS = [
  'AKIAI44QH8DHBEXAMPLE',
  'AKIA2DEMO0000EXAMPLE',
  'AKIA2DEMO0001EXAMPLE',
  'AKIA2DEMO0002EXAMPLE',
  'AKIA2DEMO0003EXAMPLE',
  'AKIA2DEMO0004EXAMPLE',
  'AKIA2DEMOFFFFEXAMPLE',
  'ASIA2DEMO0005EXAMPLE',
];
