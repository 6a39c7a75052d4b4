import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReportFormat } from '../../lambdas/render/index.js';
import { isReportFormat, REPORT_FORMATS, renderReport } from '../../lambdas/render/index.js';
import { sampleReport } from './sample-report.js';

describe('renderReport', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('offers the five formats of the CLI', () => {
    expect(REPORT_FORMATS).toEqual(['text', 'json', 'markdown', 'csv', 'html']);
    expect(isReportFormat('markdown')).toBe(true);
    expect(isReportFormat('md')).toBe(false);
  });

  it('dispatches to each format', () => {
    // Prepare
    const report = sampleReport();

    // Act
    const outputs = Object.fromEntries(
      REPORT_FORMATS.map((format) => [format, renderReport(report, format)]),
    );

    // Assess
    expect(outputs['text']).toMatch(/^Credential health: account/);
    expect(outputs['json']).toMatch(/^\{\n {2}"schemaVersion": 1,/);
    expect(outputs['markdown']).toMatch(/^# Credential health:/);
    expect(outputs['csv']).toMatch(/^id,severity,check,/);
    expect(outputs['html']).toMatch(/^<!DOCTYPE html>/);
  });

  it('writes the JSON contract exactly, with full key ids and a trailing newline', () => {
    // Prepare
    const report = sampleReport();

    // Act
    const json = renderReport(report, 'json');

    // Assess
    expect(JSON.parse(json)).toEqual(report);
    expect(json).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(json).toContain('"id": "AKIA2DEMO0000EXAMPLE"');
  });

  it('is pure: the clock does not change the output', () => {
    // Prepare
    const report = sampleReport();
    vi.useFakeTimers();
    let early: string[];
    let late: string[];
    try {
      vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      early = REPORT_FORMATS.map((format) => renderReport(report, format, { color: true }));
      vi.setSystemTime(new Date('2031-06-15T13:45:00Z'));

      // Act
      late = REPORT_FORMATS.map((format) => renderReport(report, format, { color: true }));
    } finally {
      // Fake timers outlive the test otherwise: a later test that waits would hang.
      vi.useRealTimers();
    }

    // Assess
    expect(late).toEqual(early);
  });

  it('rejects an unknown format with a clear message', () => {
    expect(() => renderReport(sampleReport(), 'pdf' as ReportFormat)).toThrow(
      'unknown report format "pdf"; expected one of text, json, markdown, csv, html',
    );
  });
});
