import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createSyntheticAccount } from '../../../bench/iam-account.js';
import { trailWatchWorld } from '../../../bench/trail-watch-world.js';
import { type AuditOptions, runAudit } from '../../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config.js';
import type { Report } from '../../../lambdas/core/report.js';
import type { AuditSources } from '../../../lambdas/core/sources.js';

/**
 * Live sources over one mocked account (IAM, STS, an hour of LookupEvents, Logs Insights): an
 * audit that lists only the keys it needs gives the report listing every key gives, for far
 * fewer IAM calls, and says so when a lookup fails instead of dropping anything.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR_MS = 3_600_000;
const account = createSyntheticAccount(100, 7, NOW);

const audit = (sources: AuditSources, keyIds: AuditOptions['keyIds']): Promise<Report> =>
  runAudit(sources, {
    config: DEFAULT_CONFIG,
    now: NOW,
    generatedAt: NOW,
    lookbackMs: HOUR_MS,
    keyIds,
  });

const withoutSources = (report: Report): Omit<Report, 'sources'> => {
  const { sources: _sources, ...rest } = report;
  return rest;
};

describe('live audit: keys looked up for the incidents only', () => {
  it("gives the report listing every key gives, with 'findings' (the CLI and on-demand audit)", async () => {
    // Prepare
    const everyKey = trailWatchWorld(account, NOW, 5);
    const onDemand = trailWatchWorld(account, NOW, 5);
    // Act
    const expected = await audit(everyKey.sources, 'all');
    const report = await audit(onDemand.sources, 'findings');
    // Assess
    expect(new Set(expected.incidents.map((i) => i.kind))).toEqual(
      new Set(['revoked-key-in-use', 'invalid-credentials', 'access-denied', 'key-quarantined']),
    );
    expect(withoutSources(report)).toEqual(withoutSources(expected));
    expect(onDemand.iamCalls()).toBeLessThan(everyKey.iamCalls());
    expect(report.sources.find((s) => s.name === 'iam-incident-keys')).toMatchObject({
      status: 'ok',
    });
  });

  it('gives the same incidents with no finding keys (trail-watch), for a handful of IAM calls', async () => {
    // Prepare
    const everyKey = trailWatchWorld(account, NOW, 5);
    const watch = trailWatchWorld(account, NOW, 5);
    // Act
    const expected = await audit(everyKey.sources, 'all');
    const report = await audit(watch.sources, () => new Set());
    // Assess
    expect(report.incidents).toEqual(expected.incidents);
    const calls = watch.byOperation();
    // One lookup per key failing in the logs with no holder in the trail (5), the holders' keys
    // listed (at most one call per user a key was traced to), and STS naming the unknown keys.
    expect(calls['IAM.GetAccessKeyLastUsed']).toBe(5);
    expect(calls['IAM.ListAccessKeys'] ?? 0).toBeLessThanOrEqual(5);
    expect(calls['STS.GetAccessKeyInfo']).toBe(2);
    const detail = report.sources.find((s) => s.name === 'iam-incident-keys')?.detail ?? '';
    expect(detail).toContain('account 999988887777');
    expect(detail).not.toMatch(/AKIA[A-Z0-9]{16}/);
  });

  it('keeps every incident and names the keys it could not look up when IAM throttles', async () => {
    // Prepare
    const expected = await audit(trailWatchWorld(account, NOW, 5).sources, 'all');
    const throttled = throttleKeyLookups(trailWatchWorld(account, NOW, 5).sources);
    // Act
    const report = await audit(throttled, () => new Set());
    // Assess
    const status = report.sources.find((s) => s.name === 'iam-incident-keys');
    expect(status?.status).toBe('degraded');
    expect(status?.detail).toMatch(/could not be looked up/);
    expect(status?.detail).not.toMatch(/AKIA[A-Z0-9]{16}/);
    // Every incident is still there, about the same keys; a revoked key whose status could not
    // be read shows as invalid-credentials.
    const keysOf = (r: Report) => r.incidents.map((i) => i.accessKeyIds.join(',')).sort();
    expect(keysOf(report)).toEqual(keysOf(expected));
    const kinds = (r: Report) => r.incidents.map((i) => i.kind);
    expect(kinds(expected)).toContain('revoked-key-in-use');
    expect(kinds(report).filter((k) => k === 'revoked-key-in-use').length).toBeLessThan(
      kinds(expected).filter((k) => k === 'revoked-key-in-use').length,
    );
  });
});

describe('live key lookups: AccessDenied', () => {
  it("is a foreign key only when STS names another account; for this account's keys it is degraded", async () => {
    // Prepare: the function may not call GetAccessKeyLastUsed at all. Of the 5 failing keys,
    // one is another account's; the deleted one is this account's, so it stays unknown too.
    const world = trailWatchWorld(account, NOW, 5);
    world.iamMock
      .on(GetAccessKeyLastUsedCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    // Act
    const report = await audit(world.sources, () => new Set());
    // Assess
    const detail = report.sources.find((s) => s.name === 'iam-incident-keys')?.detail ?? '';
    expect(report.sources.find((s) => s.name === 'iam-incident-keys')?.status).toBe('degraded');
    expect(detail).toContain('account 999988887777');
    expect(detail).toMatch(/is iam:GetAccessKeyLastUsed allowed\?/);
    expect(detail).toMatch(/4 key id\(s\) could not be looked up/);
  });
});

/** The sources with GetAccessKeyLastUsed failing as a throttled IAM would. */
function throttleKeyLookups(sources: AuditSources): AuditSources {
  return {
    ...sources,
    accessKeyOwners: async (ids) => ({
      status: 'degraded',
      detail: `IAM GetAccessKeyLastUsed for ${ids.length} key id(s); not looked up: Throttling`,
      value: new Map(),
      apiCalls: ids.length,
    }),
  };
}
