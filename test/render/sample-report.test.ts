import { describe, expect, it } from 'vitest';
import { CHECK_IDS, INCIDENT_KINDS, SEVERITIES } from '../../lambdas/core/report.js';
import { severityRank } from '../../lambdas/core/report-builder.js';
import { FULL_KEY_IDS, sampleReport } from './sample-report.js';

describe('sample report fixture', () => {
  it('exercises every check id and every incident kind', () => {
    // Prepare
    const report = sampleReport();

    // Act
    const checks = new Set(report.findings.map((f) => f.check));
    const kinds = new Set(report.incidents.map((i) => i.kind));

    // Assess
    expect([...checks].sort()).toEqual([...CHECK_IDS].sort());
    expect([...kinds].sort()).toEqual([...INCIDENT_KINDS].sort());
  });

  it('is sorted worst first and its summary counts match', () => {
    // Prepare
    const report = sampleReport();

    // Act
    const ranks = report.findings.map((f) => severityRank(f.severity));
    const counts = Object.fromEntries(
      SEVERITIES.map((s) => [
        s,
        [...report.findings, ...report.incidents].filter((x) => x.severity === s).length,
      ]),
    );

    // Assess
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(report.summary).toEqual(counts);
  });

  it('uses only documentation-style fake key ids', () => {
    // Prepare
    const text = JSON.stringify(sampleReport());

    // Act
    const ids = new Set(text.match(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g));

    // Assess
    expect([...ids].sort()).toEqual([...FULL_KEY_IDS].sort());
    for (const id of ids) expect(id).toMatch(/^[A-Z0-9]{13}EXAMPLE$/);
  });
});
