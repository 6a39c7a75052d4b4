import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AuditOptions, runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { AccessKeyMetadata } from '../../lambdas/core/inventory.js';
import type { Report } from '../../lambdas/core/report.js';
import type { AuditSources, SourceResult } from '../../lambdas/core/sources.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';

/**
 * `keyIds`: with sources that can list a user's keys on demand (live), the audit lists only the
 * keys it must name, and that listing confirms them.
 */

const RISKY = join(import.meta.dirname, '..', 'fixtures', 'export-dirs', 'risky');
const NOW = new Date('2026-11-20T12:00:00Z');

/** The exported files, plus an on-demand listing that records what it was asked. */
function listingSources(
  options: { deleted?: readonly string[]; deactivated?: readonly string[]; fail?: boolean } = {},
) {
  const files = createExportDirSources(RISKY);
  const asked: string[][] = [];
  let everyKeyRead = 0;
  const sources: AuditSources = {
    ...files,
    accessKeys: () => {
      everyKeyRead += 1;
      return files.accessKeys();
    },
    async accessKeysOf(userNames): Promise<SourceResult<readonly AccessKeyMetadata[]>> {
      asked.push([...userNames]);
      if (options.fail) throw new Error('Throttling: Rate exceeded');
      const all = await files.accessKeys();
      const keys = all.status === 'missing' ? [] : all.value;
      return {
        status: 'ok',
        detail: 'listed now',
        value: keys
          .filter(
            (key) =>
              userNames.includes(key.UserName) && !options.deleted?.includes(key.AccessKeyId),
          )
          .map((key) =>
            options.deactivated?.includes(key.AccessKeyId) ? { ...key, Status: 'Inactive' } : key,
          ),
        apiCalls: userNames.length,
      };
    },
  };
  return { sources, asked, everyKeyRead: () => everyKeyRead };
}

const audit = (sources: AuditSources, keyIds?: AuditOptions['keyIds']): Promise<Report> =>
  runAudit(sources, {
    config: DEFAULT_CONFIG,
    now: NOW,
    generatedAt: NOW,
    ...(keyIds === undefined ? {} : { keyIds }),
  });

const keyFindingUsers = (report: Report): string[] =>
  [
    ...new Set(
      report.findings
        .filter((f) => f.accessKey !== null && f.principal.type === 'IAMUser')
        .map((f) => f.principal.name),
    ),
  ].sort();

describe('runAudit keyIds', () => {
  it('lists every key up front by default, and never asks for keys user by user', async () => {
    // Prepare
    const listing = listingSources();
    // Act
    const report = await audit(listing.sources);
    // Assess
    expect(listing.everyKeyRead()).toBe(1);
    expect(listing.asked).toEqual([]);
    expect(report).toEqual(await audit(createExportDirSources(RISKY)));
  });

  it("'findings' lists the keys of the users with key findings, once, and names the same keys", async () => {
    // Prepare
    const listing = listingSources();
    const everyKey = await audit(createExportDirSources(RISKY));
    // Act
    const report = await audit(listing.sources, 'findings');
    // Assess
    expect(listing.everyKeyRead()).toBe(0);
    // The first listing is the findings'; any later one is for the keys the incidents need.
    expect(listing.asked[0]).toEqual(keyFindingUsers(everyKey));
    expect(report.findings).toEqual(everyKey.findings);
  });

  it('drops the findings of a key deleted since the credential report, and says so', async () => {
    // Prepare: ci-bot's active key is gone.
    const listing = listingSources({ deleted: ['AKIAI44QH8DHBEXAMPLE'] });
    const everyKey = await audit(createExportDirSources(RISKY));
    const aboutGoneKey = everyKey.findings.filter(
      (f) => f.accessKey?.id === 'AKIAI44QH8DHBEXAMPLE',
    );
    // Act
    const report = await audit(listing.sources, 'findings');
    // Assess
    expect(aboutGoneKey.length).toBeGreaterThan(0);
    expect(report.findings.filter((f) => f.principal.name === 'ci-bot').length).toBeGreaterThan(0);
    expect(report.findings.some((f) => aboutGoneKey.some((g) => g.id === f.id))).toBe(false);
    expect(report.sources.find((s) => s.name === 'iam-keys-gone')?.itemsSkipped).toBe(
      aboutGoneKey.length,
    );
  });

  it('judges a listed key by its status now: deactivated since the report, no rotation finding', async () => {
    // Prepare
    const listing = listingSources({ deactivated: ['AKIAI44QH8DHBEXAMPLE'] });
    const everyKey = await audit(createExportDirSources(RISKY));
    const rotation = (report: Report) =>
      report.findings.filter(
        (f) => f.check.startsWith('key-rotation') && f.accessKey?.id === 'AKIAI44QH8DHBEXAMPLE',
      );
    // Act
    const report = await audit(listing.sources, 'findings');
    // Assess
    expect(rotation(everyKey).length).toBeGreaterThan(0);
    expect(rotation(report)).toEqual([]);
  });

  it("lists only the users of a selector's picks; the other findings keep their key by slot", async () => {
    // Prepare
    const listing = listingSources();
    const pick = (findings: readonly { id: string; principal: { name: string } }[]) =>
      new Set(findings.filter((f) => f.principal.name === 'alice').map((f) => f.id));
    // Act
    const report = await audit(listing.sources, pick);
    // Assess
    expect(listing.asked[0]).toEqual(['alice']);
    expect(listing.asked.slice(1).flat()).not.toContain('alice');
    const keyed = report.findings.filter((f) => f.accessKey !== null);
    expect(keyed.filter((f) => f.principal.name === 'alice').map((f) => f.accessKey?.id)).toContain(
      'AKIAIOSFODNN7EXAMPLE',
    );
    const others = keyed.filter((f) => f.principal.name !== 'alice' && f.principal.type !== 'Root');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((f) => f.accessKey?.id === null)).toBe(true);
    expect(others.every((f) => f.accessKey?.maskedId.startsWith('key '))).toBe(true);
  });

  it('lists no user for the findings when the selector picks nothing', async () => {
    // Prepare
    const listing = listingSources();
    // Act
    const report = await audit(listing.sources, () => new Set());
    // Assess: only ci-bot, whose key an incident needs (quarantined), is listed, after the findings.
    expect(listing.asked).toEqual([['ci-bot']]);
    expect(listing.everyKeyRead()).toBe(0);
    expect(report.sources.find((s) => s.name === 'iam-access-keys')).toMatchObject({
      status: 'ok',
      apiCalls: 0,
    });
  });

  it('keeps the findings by slot when the listing fails, and says why', async () => {
    // Prepare
    const listing = listingSources({ fail: true });
    const everyKey = await audit(createExportDirSources(RISKY));
    // Act
    const report = await audit(listing.sources, 'findings');
    // Assess
    expect(report.sources.find((s) => s.name === 'iam-access-keys')).toMatchObject({
      status: 'degraded',
    });
    expect(report.findings.map((f) => f.id).sort()).toEqual(
      everyKey.findings.map((f) => f.id).sort(),
    );
    expect(report.findings.every((f) => f.accessKey === null || f.accessKey.id === null)).toBe(
      true,
    );
  });

  it('reads exported files the same whatever keyIds says', async () => {
    // Prepare
    const files = createExportDirSources(RISKY);
    // Act
    const findingsOnly = await audit(files, 'findings');
    const picked = await audit(createExportDirSources(RISKY), () => new Set());
    // Assess
    const expected = await audit(createExportDirSources(RISKY));
    expect(findingsOnly).toEqual(expected);
    expect(picked).toEqual(expected);
  });
});
