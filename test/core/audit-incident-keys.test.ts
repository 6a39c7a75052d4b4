import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AuditOptions, runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { AccessKeyMetadata } from '../../lambdas/core/inventory.js';
import type { Report } from '../../lambdas/core/report.js';
import type { AuditSources, SourceResult } from '../../lambdas/core/sources.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import { DEMO_NOW as DEMO_NOW_ISO } from '../../scripts/generate-demo.js';

/**
 * An audit that does not list every key (`keyIds` other than 'all', live) looks up only the keys
 * its incidents need, after the records are read, and reports the same incidents as listing
 * every key. Exported files stand in for the account; the on-demand calls are counted.
 */

const DIRS = {
  risky: join(import.meta.dirname, '..', 'fixtures', 'export-dirs', 'risky'),
  demo: join(import.meta.dirname, '..', '..', 'examples', 'demo-account'),
};
const NOW = new Date('2026-11-20T12:00:00Z');
const DEMO_NOW = new Date(DEMO_NOW_ISO);

interface Calls {
  /** Users asked for by ListAccessKeys, call by call. */
  readonly listed: string[][];
  /** Ids asked for by GetAccessKeyLastUsed, call by call. */
  readonly lookedUp: string[][];
}

/** The files, plus the on-demand reads live sources have, answered from the same files. */
function onDemandSources(
  dir: string,
  options: { failLookups?: boolean; failListing?: boolean } = {},
): { sources: AuditSources; calls: Calls } {
  const files = createExportDirSources(dir);
  const calls: Calls = { listed: [], lookedUp: [] };
  const everyKey = async (): Promise<readonly AccessKeyMetadata[]> => {
    const all = await files.accessKeys();
    return all.status === 'missing' ? [] : all.value;
  };
  const sources: AuditSources = {
    ...files,
    accessKeys: () => Promise.reject(new Error('an on-demand audit must not list every key')),
    async accessKeysOf(userNames): Promise<SourceResult<readonly AccessKeyMetadata[]>> {
      calls.listed.push([...userNames]);
      if (options.failListing) throw new Error('Throttling: slow down');
      const keys = await everyKey();
      return {
        status: 'ok',
        detail: 'listed now',
        value: keys.filter((key) => userNames.includes(key.UserName)),
        apiCalls: userNames.length,
      };
    },
    async accessKeyOwners(ids): Promise<SourceResult<ReadonlyMap<string, string | null>>> {
      calls.lookedUp.push([...ids]);
      if (options.failLookups) throw new Error('AccessDenied: not allowed');
      const keys = await everyKey();
      const owners = new Map<string, string | null>();
      for (const id of ids)
        owners.set(id, keys.find((k) => k.AccessKeyId === id)?.UserName ?? null);
      return { status: 'ok', detail: 'looked up', value: owners, apiCalls: ids.length };
    },
  };
  return { sources, calls };
}

const audit = (
  sources: AuditSources,
  now: Date,
  keyIds?: AuditOptions['keyIds'],
): Promise<Report> =>
  runAudit(sources, {
    config: DEFAULT_CONFIG,
    now,
    generatedAt: now,
    ...(keyIds === undefined ? {} : { keyIds }),
  });

/** The report without its `sources`, which say how each was read and so differ by design. */
const withoutSources = (report: Report): Omit<Report, 'sources'> => {
  const { sources: _sources, ...rest } = report;
  return rest;
};

describe('runAudit: the keys incidents need, looked up after the records', () => {
  it.each([
    ['risky', DIRS.risky, NOW],
    ['demo account', DIRS.demo, DEMO_NOW],
  ])(
    'reports the same incidents and findings as listing every key (%s)',
    async (_name, dir, now) => {
      // Prepare
      const everyKey = await audit(createExportDirSources(dir), now);
      const lazy = onDemandSources(dir);
      // Act
      const report = await audit(lazy.sources, now, 'findings');
      // Assess
      expect(everyKey.incidents.length).toBeGreaterThan(0);
      expect(withoutSources(report)).toEqual(withoutSources(everyKey));
      expect(report.sources.find((s) => s.name === 'iam-incident-keys')?.status ?? 'ok').toBe('ok');
    },
  );

  it('lists only the holders of the keys incidents need when no finding needs a key', async () => {
    // Prepare
    const everyKey = await audit(createExportDirSources(DIRS.risky), NOW);
    const lazy = onDemandSources(DIRS.risky);
    const listing = await createExportDirSources(DIRS.risky).accessKeys();
    const allUsers = new Set(
      listing.status === 'missing' ? [] : listing.value.map((k) => k.UserName),
    );
    // Act
    const report = await audit(lazy.sources, NOW, () => new Set());
    // Assess
    expect(report.incidents).toEqual(everyKey.incidents);
    const listedUsers = new Set(lazy.calls.listed.flat());
    expect(listedUsers.size).toBeLessThan(allUsers.size);
    const status = report.sources.find((s) => s.name === 'iam-incident-keys');
    expect(status).toMatchObject({ status: 'ok' });
    expect(status?.apiCalls).toBe(
      lazy.calls.listed.flat().length + lazy.calls.lookedUp.flat().length,
    );
  });

  it('reads exported files exactly as before, whatever keyIds says', async () => {
    // Prepare
    const expected = await audit(createExportDirSources(DIRS.demo), DEMO_NOW);
    // Act
    const findings = await audit(createExportDirSources(DIRS.demo), DEMO_NOW, 'findings');
    const none = await audit(createExportDirSources(DIRS.demo), DEMO_NOW, () => new Set());
    // Assess
    expect(findings).toEqual(expected);
    expect(none).toEqual(expected);
    expect(expected.sources.some((s) => s.name === 'iam-incident-keys')).toBe(false);
  });

  it('keeps every incident and says which keys stayed unknown when the lookups fail', async () => {
    // Prepare
    const everyKey = await audit(createExportDirSources(DIRS.risky), NOW);
    const lazy = onDemandSources(DIRS.risky, { failLookups: true, failListing: true });
    // Act
    const report = await audit(lazy.sources, NOW, () => new Set());
    // Assess
    const status = report.sources.find((s) => s.name === 'iam-incident-keys');
    expect(status?.status).toBe('degraded');
    expect(status?.detail).toMatch(/could not be (looked up|listed)/);
    expect(status?.detail).not.toMatch(/AKIA[A-Z0-9]{16}/);
    expect(report.incidents.length).toBe(everyKey.incidents.length);
  });
});
