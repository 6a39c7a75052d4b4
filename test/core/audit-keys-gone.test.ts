import { describe, expect, it } from 'vitest';
import { type AuditOptions, runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { AccessKeyMetadata } from '../../lambdas/core/inventory.js';
import type { Finding, Report } from '../../lambdas/core/report.js';
import type { AuditSources, RecordStream, SourceResult } from '../../lambdas/core/sources.js';

/**
 * Confirming keys against a fresh ListAccessKeys drops the findings of keys deleted since the
 * credential report, and only those: keys that are listed but cannot be told apart (created
 * within the matching tolerance, same status) have no id, yet they exist.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const BOB_1 = 'AKIAEXAMPLEBOBKEY001';
const BOB_2 = 'AKIAEXAMPLEBOBKEY002';
const CAROL_1 = 'AKIAEXAMPLECAROLKEY1';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const NO_KEY = 'false,N/A,N/A,N/A,N/A';
const NO_CERTS = 'false,N/A,false,N/A';
const usedKey = (created: string): string =>
  `true,${created},2026-11-19T08:00:00+00:00,eu-west-1,s3`;
/** bob's two keys were created 2 s apart (inside the 5 s tolerance); carol's key is deleted. */
const CSV = [
  HEADER,
  `<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-10T09:00:00+00:00,not_supported,not_supported,true,${NO_KEY},${NO_KEY},${NO_CERTS}`,
  `bob,arn:aws:iam::123456789012:user/bob,2024-01-10T10:00:00+00:00,false,N/A,N/A,N/A,false,${usedKey('2026-01-05T10:00:00+00:00')},${usedKey('2026-01-05T10:00:02+00:00')},${NO_CERTS}`,
  `carol,arn:aws:iam::123456789012:user/carol,2024-01-10T10:00:00+00:00,false,N/A,N/A,N/A,false,${usedKey('2026-02-01T09:00:00+00:00')},${NO_KEY},${NO_CERTS}`,
].join('\n');

/** What ListAccessKeys says now: bob's two keys; carol's key is gone. */
const LISTED: readonly AccessKeyMetadata[] = [
  { UserName: 'bob', AccessKeyId: BOB_1, Status: 'Active', CreateDate: '2026-01-05T10:00:00Z' },
  { UserName: 'bob', AccessKeyId: BOB_2, Status: 'Active', CreateDate: '2026-01-05T10:00:02Z' },
];

function emptyStream<T>(name: string): RecordStream<T> {
  return {
    name,
    async *records() {},
    status: () => ({ name, status: 'missing', detail: 'not given' }),
  };
}

const ok = <T>(value: T): SourceResult<T> => ({ status: 'ok', detail: 'fake', value });

/** Live-like sources: every key listed, listed per user, and confirmed now. */
function liveSources(): AuditSources {
  const of = (userNames: readonly string[]) =>
    LISTED.filter((key) => userNames.includes(key.UserName));
  return {
    account: async () => ok({ id: '123456789012', alias: null }),
    credentialReport: async () => ({ csv: CSV, generatedAt: NOW, detail: 'fake report' }),
    accessKeys: async () => ok(LISTED),
    users: async () => ok([{ UserName: 'bob' }, { UserName: 'carol' }]),
    accountSummary: async () => ok({ AccountAccessKeysPresent: 0, AccountMFAEnabled: 1 }),
    cloudTrail: () => emptyStream('cloudtrail'),
    workloadLogs: () => emptyStream('logs'),
    existingAccessKeyIds: async (userNames) => ok(new Set(of(userNames).map((k) => k.AccessKeyId))),
    accessKeysOf: async (userNames) => ok(of(userNames)),
  };
}

const audit = (keyIds: AuditOptions['keyIds']): Promise<Report> =>
  runAudit(liveSources(), { config: DEFAULT_CONFIG, now: NOW, generatedAt: NOW, keyIds });

const rotation = (report: Report, user: string): Finding[] =>
  report.findings.filter((f) => f.check === 'key-rotation-overdue' && f.principal.name === user);

describe('runAudit drops only the findings of keys deleted since the report', () => {
  it('says why it listed no key when no finding needs a key id', async () => {
    // Act
    const report = await audit(() => new Set<string>());
    // Assess
    expect(report.sources.find((s) => s.name === 'iam-access-keys')).toEqual({
      name: 'iam-access-keys',
      status: 'ok',
      detail: 'IAM ListAccessKeys not needed: no finding this run needs a key id',
      apiCalls: 0,
    });
  });

  for (const keyIds of ['all', 'findings'] as const) {
    it(`keeps both findings of keys listed but not told apart (keyIds: '${keyIds}')`, async () => {
      // Prepare: done in liveSources()
      // Act
      const report = await audit(keyIds);
      // Assess
      const bob = rotation(report, 'bob');
      expect(bob.map((f) => f.accessKey?.slot).sort()).toEqual([1, 2]);
      expect(bob.map((f) => f.accessKey?.id)).toEqual([null, null]);
      const keyIdsNote = report.sources.filter((s) => s.name === 'iam-key-ids');
      expect(keyIdsNote.map((s) => s.detail).join(' ')).toContain('cannot be told apart');
    });

    it(`still drops the findings of a key that is no longer listed (keyIds: '${keyIds}')`, async () => {
      // Prepare: done in liveSources()
      // Act
      const report = await audit(keyIds);
      // Assess
      expect(report.findings.filter((f) => f.principal.name === 'carol')).toEqual([]);
      const gone = report.sources.find((s) => s.name === 'iam-keys-gone');
      expect(gone?.itemsSkipped).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(report)).not.toContain(CAROL_1);
    });
  }
});
