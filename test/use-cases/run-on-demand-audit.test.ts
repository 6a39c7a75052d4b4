import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import {
  parseAuditRequest,
  runOnDemandAudit,
} from '../../lambdas/use-cases/run-on-demand-audit.js';
import { fixedClock, recordingPublisher } from './fakes.js';

const RISKY = join(import.meta.dirname, '..', 'fixtures', 'export-dirs', 'risky');

function deps() {
  const publisher = recordingPublisher();
  return {
    publisher,
    deps: {
      sources: createExportDirSources(RISKY),
      publish: publisher.publish,
      clock: fixedClock('2026-11-20T12:00:00Z'),
    },
  };
}

describe('parseAuditRequest', () => {
  it('accepts nothing, an empty object and every option', () => {
    expect(parseAuditRequest(undefined)).toEqual({});
    expect(parseAuditRequest({})).toEqual({});
    expect(
      parseAuditRequest({
        lookback: '7d',
        publish: true,
        format: 'markdown',
        now: '2026-11-20T12:00:00Z',
      }),
    ).toEqual({
      lookback: '7d',
      publish: true,
      format: 'markdown',
      now: '2026-11-20T12:00:00Z',
    });
  });

  it('fails when fields are wrong, naming each one', () => {
    expect(() =>
      parseAuditRequest({ lookback: '7 days', publish: 'yes', format: 'pdf', extra: 1 }),
    ).toThrow(
      new ConfigError(
        'audit payload: unknown field "extra" (known: lookback, publish, format, now); lookback must be a duration such as 30m, 24h or 7d, got "7 days"; publish must be true or false, got "yes"; format must be one of text, json, markdown, csv, html, got "pdf"',
      ),
    );
    expect(() => parseAuditRequest('audit')).toThrow(
      'audit payload must be a JSON object, got "audit"',
    );
    expect(() => parseAuditRequest({ now: 'yesterday' })).toThrow(
      'now must be an ISO-8601 instant, got "yesterday"',
    );
  });

  it('reads now as the CLI reads --now: a zone is required, the date must exist', () => {
    // Date.parse would take both: the first in the function's local time, the second rolled
    // over into March.
    expect(() => parseAuditRequest({ now: '2026-11-20T12:00:00' })).toThrow(
      'now must be an ISO-8601 instant, got "2026-11-20T12:00:00" (Add a time zone, e.g. 2026-11-20T12:00:00Z.)',
    );
    expect(() => parseAuditRequest({ now: '2026-02-30T00:00:00Z' })).toThrow(
      '(Not a real date and time.)',
    );
    expect(parseAuditRequest({ now: '2026-11-20T13:00:00+01:00' })).toEqual({
      now: '2026-11-20T13:00:00+01:00',
    });
  });

  it('accepts a lookback of 3650 days and names the limit for a longer one', () => {
    expect(parseAuditRequest({ lookback: '3650d' })).toEqual({ lookback: '3650d' });
    expect(() => parseAuditRequest({ lookback: '3651d' })).toThrow(
      new ConfigError('audit payload: lookback must be at most 3650d, got "3651d"'),
    );
  });
});

describe('runOnDemandAudit', () => {
  it('returns the schema-1 report and publishes nothing by default', async () => {
    const { deps: d, publisher } = deps();
    const { response, published } = await runOnDemandAudit(d, DEFAULT_CONFIG, {});
    expect(response).toMatchObject({
      schemaVersion: 1,
      now: '2026-11-20T12:00:00Z',
      window: { start: '2026-11-19T12:00:00Z', end: '2026-11-20T12:00:00Z' },
    });
    expect(published).toBeNull();
    expect(publisher.sent).toEqual([]);
  });

  it('honours lookback and now, and publishes when asked', async () => {
    const { deps: d, publisher } = deps();
    const { response, published } = await runOnDemandAudit(d, DEFAULT_CONFIG, {
      lookback: '1h',
      now: '2026-11-20T09:30:00Z',
      publish: true,
    });
    expect(response).toMatchObject({
      window: { start: '2026-11-20T08:30:00Z', end: '2026-11-20T09:30:00Z' },
    });
    expect(published).toBe(publisher.sent[0]?.length);
    expect(published).toBeGreaterThan(0);
  });

  it('renders other formats as text with the summary', async () => {
    const { deps: d } = deps();
    const { response } = await runOnDemandAudit(d, DEFAULT_CONFIG, { format: 'markdown' });
    expect(response).toMatchObject({
      format: 'markdown',
      body: expect.stringContaining('#'),
      summary: expect.any(Object),
    });
  });

  it('fails when SNS refuses messages', async () => {
    const { deps: d, publisher } = deps();
    publisher.failNext('refuse-all');
    await expect(runOnDemandAudit(d, DEFAULT_CONFIG, { publish: true })).rejects.toThrow(
      /SNS refused/,
    );
  });
});
