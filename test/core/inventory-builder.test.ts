import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_REPORT_COLUMNS,
  parseCredentialReport,
} from '../../lambdas/core/credential-report.js';
import type {
  AccessKeyMetadata,
  AccountSummary,
  IamUserDetail,
} from '../../lambdas/core/inventory.js';
import {
  buildInventory,
  type InventoryInput,
  mergeListedKeys,
} from '../../lambdas/core/inventory-builder.js';

const FIXTURES = new URL('../fixtures/credential-report/', import.meta.url);
const json = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
const rows = parseCredentialReport(readFileSync(new URL('aws-export.csv', FIXTURES), 'utf8'));
const accessKeys = json<{ AccessKeyMetadata: AccessKeyMetadata[] }>(
  'access-keys.json',
).AccessKeyMetadata;
const users = json<{ UserDetailList: IamUserDetail[] }>('users.json').UserDetailList;
const summary = json<{ SummaryMap: AccountSummary }>('account-summary.json').SummaryMap;
const GENERATED = new Date('2026-11-20T10:00:00Z');

function input(overrides: Partial<InventoryInput> = {}): InventoryInput {
  return {
    rows,
    accessKeys,
    users,
    accountSummary: summary,
    reportGeneratedAt: GENERATED,
    accountId: null,
    ...overrides,
  };
}

const KEY_1 = 'AKIA2DEMO0011EXAMPLE';
const KEY_2 = 'AKIA2DEMO0012EXAMPLE';

/** A report with one user whose two keys were created at the given times. */
function twoKeyReport(created1: string, created2: string, active2 = 'true') {
  const values: Record<string, string> = Object.fromEntries(
    CREDENTIAL_REPORT_COLUMNS.map((c) => [c, 'N/A']),
  );
  Object.assign(values, {
    user: 'dual',
    arn: 'arn:aws:iam::123456789012:user/dual',
    user_creation_time: '2026-01-01T00:00:00+00:00',
    password_enabled: 'false',
    mfa_active: 'false',
    access_key_1_active: 'true',
    access_key_1_last_rotated: created1,
    access_key_2_active: active2,
    access_key_2_last_rotated: created2,
    cert_1_active: 'false',
    cert_2_active: 'false',
  });
  return parseCredentialReport(
    `${CREDENTIAL_REPORT_COLUMNS.join(',')}\n${CREDENTIAL_REPORT_COLUMNS.map((c) => values[c]).join(',')}\n`,
  );
}

const listed = (id: string, createDate: string, status = 'Active'): AccessKeyMetadata => ({
  UserName: 'dual',
  AccessKeyId: id,
  Status: status,
  CreateDate: createDate,
});

describe('buildInventory', () => {
  it('joins key ids to report slots by creation time, slot 2 alone included', () => {
    // Act
    const { inventory } = buildInventory(input());
    // Assess
    const ids = inventory.principals.flatMap((p) =>
      p.accessKeys.map((k) => [p.name, k.slot, k.id]),
    );
    expect(ids).toEqual([
      ['<root_account>', 1, null],
      ['alice', 1, 'AKIAIOSFODNN7EXAMPLE'],
      ['ci-deploy', 1, 'AKIAI44QH8DHBEXAMPLE'],
      ['etl-bot', 2, 'AKIA2DEMO0000EXAMPLE'],
      ['bob', 1, 'AKIA2DEMO0001EXAMPLE'],
      ['bob', 2, 'AKIA2DEMO0002EXAMPLE'],
      ['legacy-batch', 1, 'AKIA2DEMO0003EXAMPLE'],
      ['legacy-batch', 2, 'AKIA2DEMO0004EXAMPLE'],
      ['broken', 1, null],
    ]);
    expect([...inventory.keysById.keys()]).toHaveLength(7);
    expect(inventory.keysById.get('AKIA2DEMO0000EXAMPLE')).toMatchObject({
      userName: 'etl-bot',
      slot: 2,
    });
  });

  it('says how many keys got an id and which did not', () => {
    const { notes } = buildInventory(input());

    expect(notes.find((n) => n.name === 'iam-key-ids')).toEqual({
      name: 'iam-key-ids',
      status: 'degraded',
      detail:
        '7 of 8 keys matched to an id; 1 key without a readable creation time in the report, which is what joins a key to its id (broken key 1).',
    });
  });

  it('reports the unreadable report values', () => {
    const { notes } = buildInventory(input());

    expect(notes.find((n) => n.name === 'iam-credential-report-values')).toMatchObject({
      status: 'degraded',
      itemsSkipped: 2,
      detail: expect.stringContaining('line 8 access_key_1_last_rotated "ERROR"'),
    });
  });

  it('builds principals from the report with tags from users.json', () => {
    const { inventory } = buildInventory(input());
    const [root, alice] = inventory.principals;

    expect(root).toMatchObject({
      type: 'Root',
      name: '<root_account>',
      passwordEnabled: null,
      tags: {},
    });
    expect(alice).toMatchObject({
      type: 'IAMUser',
      name: 'alice',
      arn: 'arn:aws:iam::123456789012:user/alice',
      createdAt: new Date('2024-05-01T10:00:00Z'),
      passwordEnabled: true,
      mfaActive: true,
      tags: { 'credential-health:owner': 'alice@example.com' },
    });
    expect(inventory.principals.find((p) => p.name === 'bob')?.tags).toEqual({});
    expect(inventory.reportGeneratedAt).toBe(GENERATED);
  });

  it('keeps only slots that hold a key, and signing certificates that exist', () => {
    const { inventory } = buildInventory(input());
    const legacy = inventory.principals.find((p) => p.name === 'legacy-batch');

    expect(
      inventory.principals.find((p) => p.name === 'etl-bot')?.accessKeys.map((k) => k.slot),
    ).toEqual([2]);
    expect(legacy?.signingCerts).toEqual([
      { slot: 1, active: true, lastRotated: new Date('2015-02-01T00:00:00Z') },
    ]);
    expect(legacy?.accessKeys[0]?.lastUsed).toEqual({ state: 'no_information', value: null });
  });

  it('leaves ids unknown and adds no key-id note without a key list', () => {
    const { inventory, notes } = buildInventory(input({ accessKeys: null }));

    expect(inventory.keysById.size).toBe(0);
    expect(inventory.principals.every((p) => p.accessKeys.every((k) => k.id === null))).toBe(true);
    expect(notes.map((n) => n.name)).not.toContain('iam-key-ids');
  });

  it('matches within 5 seconds and not 6', () => {
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-09-01T00:00:00+00:00');

    const { inventory } = buildInventory(
      input({
        rows: report,
        accessKeys: [listed(KEY_1, '2026-05-01T00:00:05Z'), listed(KEY_2, '2026-09-01T00:00:06Z')],
      }),
    );

    expect(inventory.principals[0]?.accessKeys.map((k) => k.id)).toEqual([KEY_1, null]);
  });

  it('leaves both ids null when two keys were created in the same second with the same status', () => {
    // Prepare
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-05-01T00:00:01+00:00');
    // Act
    const { inventory, notes } = buildInventory(
      input({
        rows: report,
        accessKeys: [listed(KEY_1, '2026-05-01T00:00:00Z'), listed(KEY_2, '2026-05-01T00:00:01Z')],
      }),
    );
    // Assess
    expect(inventory.principals[0]?.accessKeys.map((k) => k.id)).toEqual([null, null]);
    expect(notes.find((n) => n.name === 'iam-key-ids')).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining(
        '2 keys left without an id because keys created within 5 s of each other cannot be told apart (dual key 1, dual key 2)',
      ),
    });
  });

  it('tells two keys of the same second apart by their status', () => {
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-05-01T00:00:00+00:00', 'false');

    const { inventory } = buildInventory(
      input({
        rows: report,
        accessKeys: [
          listed(KEY_1, '2026-05-01T00:00:00Z', 'Inactive'),
          listed(KEY_2, '2026-05-01T00:00:00Z', 'Active'),
        ],
      }),
    );

    expect(inventory.principals[0]?.accessKeys.map((k) => k.id)).toEqual([KEY_2, KEY_1]);
  });

  it('does not give one listed key to both slots', () => {
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-05-01T00:00:02+00:00');

    const { inventory } = buildInventory(
      input({ rows: report, accessKeys: [listed(KEY_1, '2026-05-01T00:00:01Z')] }),
    );

    expect(inventory.principals[0]?.accessKeys.map((k) => k.id)).toEqual([null, null]);
  });

  it('uses the fresher ListAccessKeys status and says so', () => {
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-09-01T00:00:00+00:00');

    const { inventory, notes } = buildInventory(
      input({
        rows: report,
        accessKeys: [
          listed(KEY_1, '2026-05-01T00:00:00Z', 'Inactive'),
          listed(KEY_2, '2026-09-01T00:00:00Z'),
        ],
      }),
    );

    expect(inventory.principals[0]?.accessKeys.map((k) => k.status)).toEqual([
      'Inactive',
      'Active',
    ]);
    expect(notes.find((n) => n.name === 'iam-key-ids')).toMatchObject({
      status: 'ok',
      detail:
        '2 of 2 keys matched to an id; 1 key changed status since the report, the current status is used (dual key 1 (Active in the report, Inactive now)).',
    });
  });

  it('names report keys missing from the key list', () => {
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-09-01T00:00:00+00:00');

    const { notes } = buildInventory(
      input({ rows: report, accessKeys: [listed(KEY_2, '2026-09-01T00:00:00Z')] }),
    );

    expect(notes.find((n) => n.name === 'iam-key-ids')).toEqual({
      name: 'iam-key-ids',
      status: 'degraded',
      detail:
        '1 of 2 keys matched to an id; 1 key of the report not in the key list, perhaps deleted since the report was generated (dual key 1).',
    });
  });

  it('counts listed keys the report does not have yet', () => {
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-09-01T00:00:00+00:00');

    const { notes } = buildInventory(
      input({
        rows: report,
        accessKeys: [
          listed(KEY_1, '2026-05-01T00:00:00Z'),
          listed(KEY_2, '2026-09-01T00:00:00Z'),
          { ...listed('AKIA2DEMO0013EXAMPLE', '2026-11-20T11:00:00Z'), UserName: 'new-user' },
        ],
      }),
    );

    expect(notes.find((n) => n.name === 'iam-key-ids')?.detail).toContain(
      '1 listed key not in the report, perhaps created since it was generated',
    );
  });

  it('takes the account id from the argument, else from the report ARNs', () => {
    expect(buildInventory(input({ accountId: '123456789012' })).inventory.accountId).toBe(
      '123456789012',
    );
    expect(buildInventory(input()).inventory.accountId).toBe('123456789012');
    expect(buildInventory(input({ rows: [] })).inventory.accountId).toBeNull();
  });

  it('notes a report from another account than the one given', () => {
    const { inventory, notes } = buildInventory(input({ accountId: '210987654321' }));

    expect(inventory.accountId).toBe('210987654321');
    expect(notes.find((n) => n.name === 'iam-account-id')).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining('names account 123456789012 besides 210987654321'),
    });
  });

  it('adds no root note when the account summary agrees', () => {
    const { notes } = buildInventory(input());

    expect(notes.map((n) => n.name)).not.toContain('iam-root-cross-check');
  });

  it('notes an account summary that disagrees on root keys and MFA', () => {
    // Act
    const { notes } = buildInventory(
      input({ accountSummary: { AccountAccessKeysPresent: 0, AccountMFAEnabled: 1 } }),
    );
    // Assess
    const note = notes.find((n) => n.name === 'iam-root-cross-check');
    expect(note?.status).toBe('degraded');
    expect(note?.detail).toContain(
      'root has no access keys (AccountAccessKeysPresent=0) but the credential report shows one',
    );
    expect(note?.detail).toContain(
      'root MFA is on (AccountMFAEnabled=1) but the credential report says off',
    );
  });

  it('notes a report without a root row', () => {
    const { notes } = buildInventory(input({ rows: rows.filter((r) => !r.isRoot) }));

    expect(notes.find((n) => n.name === 'iam-root-cross-check')?.detail).toContain(
      'no <root_account> row',
    );
  });
});

describe('buildInventory idUnknown', () => {
  it('says a key has no id because listed keys cannot be told apart, not because it is gone', () => {
    // Prepare
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-05-01T00:00:02+00:00');
    // Act
    const { inventory } = buildInventory(
      input({
        rows: report,
        accessKeys: [listed(KEY_1, '2026-05-01T00:00:00Z'), listed(KEY_2, '2026-05-01T00:00:02Z')],
      }),
    );
    // Assess
    expect(inventory.principals[0]?.accessKeys.map((k) => [k.id, k.idUnknown])).toEqual([
      [null, 'ambiguous'],
      [null, 'ambiguous'],
    ]);
  });

  it('calls a slot both of whose candidates are one listed key ambiguous', () => {
    // Prepare
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-05-01T00:00:02+00:00');
    // Act
    const { inventory } = buildInventory(
      input({ rows: report, accessKeys: [listed(KEY_1, '2026-05-01T00:00:01Z')] }),
    );
    // Assess
    expect(inventory.principals[0]?.accessKeys.map((k) => k.idUnknown)).toEqual([
      'ambiguous',
      'ambiguous',
    ]);
  });

  it('says a key no listed key is near is not listed, and gives a matched key no reason', () => {
    // Prepare
    const report = twoKeyReport('2026-05-01T00:00:00+00:00', '2026-09-01T00:00:00+00:00');
    // Act
    const { inventory } = buildInventory(
      input({ rows: report, accessKeys: [listed(KEY_2, '2026-09-01T00:00:05Z')] }),
    );
    // Assess
    const keys = inventory.principals[0]?.accessKeys ?? [];
    expect(keys.map((k) => [k.id, k.idUnknown])).toEqual([
      [null, 'not-listed'],
      [KEY_2, undefined],
    ]);
    expect(keys[1]).not.toHaveProperty('idUnknown');
  });

  it('says a key without a creation time in the report cannot be joined', () => {
    // Prepare
    const report = twoKeyReport('N/A', '2026-09-01T00:00:00+00:00');
    // Act
    const { inventory } = buildInventory(
      input({ rows: report, accessKeys: [listed(KEY_2, '2026-09-01T00:00:00Z')] }),
    );
    // Assess
    expect(inventory.principals[0]?.accessKeys.map((k) => [k.id, k.idUnknown])).toEqual([
      [null, 'undated'],
      [KEY_2, undefined],
    ]);
  });

  it('gives no reason when there is no key list at all', () => {
    // Act
    const { inventory } = buildInventory(input({ accessKeys: null }));
    // Assess
    const keys = inventory.principals.flatMap((p) => p.accessKeys);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.idUnknown === undefined)).toBe(true);
  });
});

describe('mergeListedKeys', () => {
  it('rebuilds only the listed users, as listing every key would have built them', () => {
    // Prepare
    const base = buildInventory(input({ accessKeys: null })).inventory;
    const everyKey = buildInventory(input()).inventory;
    const name = accessKeys[0]?.UserName ?? '';
    const theirs = accessKeys.filter((k) => k.UserName === name);
    // Act
    const { merged, relisted } = mergeListedKeys(
      base,
      { rows, users, reportGeneratedAt: GENERATED },
      new Set([name]),
      theirs,
    );
    // Assess
    expect(theirs.length).toBeGreaterThan(0);
    expect(relisted.inventory.principals.map((p) => p.name)).toEqual([name]);
    expect(merged.principals.find((p) => p.name === name)).toEqual(
      everyKey.principals.find((p) => p.name === name),
    );
    merged.principals.forEach((p, index) => {
      if (p.name !== name) expect(p).toBe(base.principals[index]);
    });
    expect([...merged.keysById.keys()].sort()).toEqual(theirs.map((k) => k.AccessKeyId).sort());
    expect(merged.accountId).toBe(base.accountId);
  });

  it('never rebuilds root, even when asked for its row name', () => {
    // Prepare
    const base = buildInventory(input({ accessKeys: null })).inventory;
    // Act
    const { merged, relisted } = mergeListedKeys(
      base,
      { rows, users, reportGeneratedAt: GENERATED },
      new Set(['<root_account>']),
      [],
    );
    // Assess
    expect(relisted.inventory.principals).toEqual([]);
    expect(merged.principals).toEqual(base.principals);
  });
});
