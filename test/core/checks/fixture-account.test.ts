import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../lambdas/core/checks/index.js';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config.js';
import { parseCredentialReport } from '../../../lambdas/core/credential-report.js';
import type {
  AccessKeyMetadata,
  AccountSummary,
  IamUserDetail,
} from '../../../lambdas/core/inventory.js';
import { buildInventory } from '../../../lambdas/core/inventory-builder.js';
import { NOW } from './builders.js';

const FIXTURES = new URL('../../fixtures/credential-report/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/** The exported files of the fixture account, read the way `--from-dir` reads them. */
function fixtureInventory() {
  return buildInventory({
    rows: parseCredentialReport(text('aws-export.csv')),
    accessKeys: (JSON.parse(text('access-keys.json')) as { AccessKeyMetadata: AccessKeyMetadata[] })
      .AccessKeyMetadata,
    users: (JSON.parse(text('users.json')) as { UserDetailList: IamUserDetail[] }).UserDetailList,
    accountSummary: (JSON.parse(text('account-summary.json')) as { SummaryMap: AccountSummary })
      .SummaryMap,
    reportGeneratedAt: new Date('2026-11-20T10:00:00Z'),
    accountId: null,
  }).inventory;
}

describe('the checks over the fixture account', () => {
  it('find exactly what the exported files show', () => {
    // Act
    const { findings } = runChecks(fixtureInventory(), DEFAULT_CONFIG, NOW);
    // Assess
    const summary = findings
      .map((f) => `${f.principal.name} ${f.check} ${f.accessKey?.slot ?? '-'} ${f.severity}`)
      .sort();
    expect(summary).toEqual(
      [
        '<root_account> root-access-key 1 critical',
        '<root_account> root-mfa-disabled - critical',
        '<root_account> root-recent-use - high',
        'alice key-rotation-due 1 low',
        'bob console-user-no-mfa - high',
        'bob key-created-with-user 1 low',
        'bob key-inactive 2 low',
        'bob key-rotation-overdue 1 high',
        'bob key-unused 1 medium',
        'bob password-unused - medium',
        'ci-deploy key-rotation-overdue 1 high',
        'etl-bot key-rotation-overdue 2 medium',
        'legacy-batch console-user-no-mfa - high',
        'legacy-batch key-rotation-overdue 1 high',
        'legacy-batch key-unused 1 medium',
        'legacy-batch multiple-active-keys 1 low',
        'legacy-batch password-unused - medium',
        'legacy-batch signing-cert-old - low',
      ].sort(),
    );
  });

  it('writes the product example title for ci-deploy', () => {
    const { findings } = runChecks(fixtureInventory(), DEFAULT_CONFIG, NOW);

    const ci = findings.find((f) => f.principal.name === 'ci-deploy');

    expect(ci?.title).toBe('Access key AKIA…MPLE of ci-deploy is 212 days old (limit 90)');
    expect(ci?.detail).toBe(
      'Created 2026-04-22, 122 days past the 90-day rotation limit for users without a console password; last used 2026-11-20 by s3 in us-east-1.',
    );
    expect(ci?.accessKey).toEqual({
      slot: 1,
      id: 'AKIAI44QH8DHBEXAMPLE',
      maskedId: 'AKIA…MPLE',
      status: 'Active',
      createdAt: '2026-04-22T09:15:00Z',
      lastUsedAt: '2026-11-20T06:00:00Z',
      lastUsedRegion: 'us-east-1',
      lastUsedService: 's3',
      ageDays: 212,
    });
  });

  it('hides the tagged exemption of etl-bot and reports the unreadable tag of legacy-batch', () => {
    const { findings, exempted, notes } = runChecks(fixtureInventory(), DEFAULT_CONFIG, NOW);

    expect(exempted).toEqual([
      expect.objectContaining({
        check: 'key-unused',
        principalName: 'etl-bot',
        slot: 2,
        exemptedBy: 'tag',
        until: '2026-12-31',
        reason: 'vendor-batch',
      }),
    ]);
    expect(notes[0]?.detail).toContain('legacy-batch (credential-health:exempt="someday"');
    expect(
      findings
        .filter((f) => f.principal.name === 'legacy-batch')
        .every((f) => f.detail.includes('was not applied')),
    ).toBe(true);
  });

  it('routes findings to the owner tags', () => {
    const { findings } = runChecks(fixtureInventory(), DEFAULT_CONFIG, NOW);
    const owners = new Map(findings.map((f) => [f.principal.name, f.owner]));

    expect(owners.get('alice')).toBe('alice@example.com');
    expect(owners.get('legacy-batch')).toBe('data-team@example.com');
    expect(owners.get('ci-deploy')).toBeNull();
  });
});
