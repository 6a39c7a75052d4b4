import { describe, expect, it } from 'vitest';
import { CHECKS, runChecks } from '../../../lambdas/core/checks/index.js';
import { type AuditConfigInput, parseAuditConfig } from '../../../lambdas/core/config.js';
import { stableId } from '../../../lambdas/core/ids.js';
import type { Inventory, PrincipalRecord } from '../../../lambdas/core/inventory.js';
import { CHECK_IDS } from '../../../lambdas/core/report.js';
import { accessKey, at, consoleUser, daysAgo, iamUser, NEVER, NOW, rootUser } from './builders.js';

const ACCOUNT = '123456789012';

function inventoryOf(...principals: PrincipalRecord[]): Inventory {
  const keysById = new Map(
    principals.flatMap((p) =>
      p.accessKeys.filter((k) => k.id !== null).map((k) => [k.id ?? '', k] as const),
    ),
  );
  return { accountId: ACCOUNT, reportGeneratedAt: NOW, principals, keysById };
}

function config(input: AuditConfigInput = {}) {
  return parseAuditConfig(input);
}

/** A machine user with a 120-day-old, never-used key: key-rotation-overdue and key-unused. */
const staleBot = iamUser({
  accessKeys: [
    accessKey({
      createdAt: daysAgo(120),
      lastUsed: NEVER,
      lastUsedRegion: null,
      lastUsedService: null,
    }),
  ],
});

describe('runChecks', () => {
  it('has one check per check id, in the order of CHECK_IDS', () => {
    expect(CHECKS.map((check) => check.id)).toEqual([...CHECK_IDS]);
  });

  it('builds complete findings with a deterministic id, masked key, age, controls and remediation', () => {
    // Act
    const { findings, exempted, notes } = runChecks(inventoryOf(staleBot), config(), NOW);
    // Assess
    expect(exempted).toEqual([]);
    expect(notes).toEqual([]);
    const overdue = findings.find((f) => f.check === 'key-rotation-overdue');
    expect(overdue).toMatchObject({
      id: stableId('f', ACCOUNT, 'key-rotation-overdue', 'ci-deploy', 1),
      severity: 'medium',
      principal: {
        type: 'IAMUser',
        name: 'ci-deploy',
        arn: 'arn:aws:iam::123456789012:user/ci-deploy',
      },
      accessKey: {
        slot: 1,
        id: 'AKIAIOSFODNN7EXAMPLE',
        maskedId: 'AKIA…MPLE',
        status: 'Active',
        createdAt: '2026-07-23T12:00:00Z',
        lastUsedAt: null,
        ageDays: 120,
      },
      owner: null,
      controls: ['CIS 1.14', 'Security Hub IAM.3', 'Config access-keys-rotated'],
    });
    expect(overdue?.remediation.join('\n')).toContain(
      'aws iam update-access-key --user-name ci-deploy --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive',
    );
    expect(findings.map((f) => f.check).sort()).toEqual(['key-rotation-overdue', 'key-unused']);
  });

  it('gives the same ids on every run and different ids per slot, check and account', () => {
    const user = iamUser({
      accessKeys: [
        accessKey({ slot: 1, createdAt: daysAgo(120) }),
        accessKey({ slot: 2, id: null, createdAt: daysAgo(130) }),
      ],
    });

    const first = runChecks(inventoryOf(user), config(), NOW).findings.map((f) => f.id);
    const second = runChecks(inventoryOf(user), config(), NOW).findings.map((f) => f.id);
    const other = runChecks(
      { ...inventoryOf(user), accountId: '210987654321' },
      config(),
      NOW,
    ).findings.map((f) => f.id);

    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    expect(other.some((id) => first.includes(id))).toBe(false);
  });

  it('names a key without a known id "key N"', () => {
    const user = iamUser({
      accessKeys: [accessKey({ slot: 2, id: null, createdAt: daysAgo(120) })],
    });

    const [finding] = runChecks(
      inventoryOf(user),
      config({ checks: { disabled: ['key-unused', 'multiple-active-keys'] } }),
      NOW,
    ).findings;

    expect(finding?.accessKey?.maskedId).toBe('key 2');
    expect(finding?.title).toBe('Access key 2 of ci-deploy is 120 days old (limit 90)');
    expect(finding?.remediation.join('\n')).toContain(
      'aws iam list-access-keys --user-name ci-deploy',
    );
  });

  it('skips disabled checks', () => {
    const { findings, exempted } = runChecks(
      inventoryOf(staleBot),
      config({ checks: { disabled: ['key-unused'] } }),
      NOW,
    );

    expect(findings.map((f) => f.check)).toEqual(['key-rotation-overdue']);
    expect(exempted).toEqual([]);
  });

  it('applies a severity override, even over an escalated severity', () => {
    const ancient = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(400) })] });

    const plain = runChecks(inventoryOf(ancient), config(), NOW).findings;
    const overridden = runChecks(
      inventoryOf(ancient),
      config({ checks: { severity: { 'key-rotation-overdue': 'low' } } }),
      NOW,
    ).findings;

    expect(plain.find((f) => f.check === 'key-rotation-overdue')?.severity).toBe('high');
    expect(overridden.find((f) => f.check === 'key-rotation-overdue')?.severity).toBe('low');
  });

  it('hides findings of a user exempted in the config, for the listed checks only', () => {
    // Prepare
    const cfg = config({
      exemptions: { users: [{ user: 'ci-deploy', checks: ['key-unused'], reason: 'vendor' }] },
    });
    // Act
    const { findings, exempted } = runChecks(inventoryOf(staleBot), cfg, NOW);
    // Assess
    expect(findings.map((f) => f.check)).toEqual(['key-rotation-overdue']);
    expect(exempted).toEqual([
      {
        id: stableId('f', ACCOUNT, 'key-unused', 'ci-deploy', 1),
        check: 'key-unused',
        principalName: 'ci-deploy',
        slot: 1,
        exemptedBy: 'config',
        origin: 'config exemptions.users[0]',
        until: null,
        reason: 'vendor',
      },
    ]);
  });

  it('keeps a config exemption through its last day and drops it the day after', () => {
    const cfg = config({ exemptions: { users: [{ user: 'ci-deploy', until: '2026-11-20' }] } });

    const lastDay = runChecks(inventoryOf(staleBot), cfg, new Date('2026-11-20T23:59:59Z'));
    const dayAfter = runChecks(inventoryOf(staleBot), cfg, new Date('2026-11-21T00:00:00Z'));

    expect(lastDay.findings).toEqual([]);
    expect(lastDay.exempted.map((e) => e.until)).toEqual(['2026-11-20', '2026-11-20']);
    expect(dayAfter.findings).toHaveLength(2);
    expect(dayAfter.exempted).toEqual([]);
  });

  it('hides findings by the exemption tag with checks and an expiry', () => {
    const tagged = iamUser({
      ...staleBot,
      tags: {
        'credential-health:exempt': 'until=2026-12-31;checks=key-unused;reason=vendor batch',
      },
    });

    const { findings, exempted } = runChecks(inventoryOf(tagged), config(), NOW);

    expect(findings.map((f) => f.check)).toEqual(['key-rotation-overdue']);
    expect(exempted[0]).toMatchObject({
      exemptedBy: 'tag',
      origin: 'tag credential-health:exempt',
      until: '2026-12-31',
      reason: 'vendor batch',
    });
  });

  it('hides nothing with an expired exemption tag', () => {
    const tagged = iamUser({ ...staleBot, tags: { 'credential-health:exempt': '2026-11-19' } });

    const { findings, exempted } = runChecks(inventoryOf(tagged), config(), NOW);

    expect(findings).toHaveLength(2);
    expect(exempted).toEqual([]);
  });

  it('reports an unreadable exemption tag on the findings and in a note, and hides nothing', () => {
    // Prepare
    const tagged = iamUser({
      ...staleBot,
      tags: { 'credential-health:exempt': 'until=next-year' },
    });
    // Act
    const { findings, exempted, notes } = runChecks(inventoryOf(tagged), config(), NOW);
    // Assess
    expect(exempted).toEqual([]);
    expect(findings).toHaveLength(2);
    expect(findings[0]?.detail).toContain(
      'The credential-health:exempt tag on this user was not applied',
    );
    expect(notes).toEqual([
      expect.objectContaining({ name: 'exemption-tags', status: 'degraded', itemsSkipped: 1 }),
    ]);
    expect(notes[0]?.detail).toContain('ci-deploy');
  });

  it('reads the exemption tag key from the config', () => {
    const tagged = iamUser({ ...staleBot, tags: { 'sec:skip': 'true' } });

    const { findings } = runChecks(
      inventoryOf(tagged),
      config({ exemptions: { tagKey: 'sec:skip' } }),
      NOW,
    );

    expect(findings).toEqual([]);
  });

  it('sets the owner from tags, team, then account default', () => {
    const cfg = config({
      owners: { teams: { platform: 'platform@example.com' }, accountDefault: 'secops@example.com' },
    });
    const tagged = iamUser({
      ...staleBot,
      name: 'a',
      tags: { owner: 'a@example.com', team: 'platform' },
    });
    const team = iamUser({ ...staleBot, name: 'b', tags: { team: 'platform' } });
    const none = iamUser({ ...staleBot, name: 'c' });

    const { findings } = runChecks(inventoryOf(tagged, team, none), cfg, NOW);
    const owners = Object.fromEntries(findings.map((f) => [f.principal.name, f.owner]));

    expect(owners).toEqual({
      a: 'a@example.com',
      b: 'platform@example.com',
      c: 'secops@example.com',
    });
  });

  it('finds nothing on a healthy account', () => {
    const healthy = [
      rootUser(),
      consoleUser({
        accessKeys: [
          accessKey({ userName: 'alice', createdAt: daysAgo(30), lastUsed: at(daysAgo(1)) }),
        ],
      }),
      iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(60), lastUsed: at(daysAgo(0)) })] }),
    ];

    expect(runChecks(inventoryOf(...healthy), config(), NOW).findings).toEqual([]);
  });

  it('fires every check on a neglected account, each finding with remediation', () => {
    const everything = [
      rootUser({
        mfaActive: false,
        passwordLastUsed: at(daysAgo(1)),
        accessKeys: [
          accessKey({ userName: '<root_account>', id: null }),
          accessKey({
            userName: '<root_account>',
            id: null,
            slot: 2,
            status: 'Inactive',
            createdAt: daysAgo(100),
            lastUsed: NEVER,
          }),
        ],
      }),
      consoleUser({
        mfaActive: false,
        createdAt: daysAgo(200),
        passwordLastUsed: at(daysAgo(100)),
        accessKeys: [
          accessKey({ userName: 'alice', slot: 1, createdAt: daysAgo(200), lastUsed: NEVER }),
          accessKey({
            userName: 'alice',
            slot: 2,
            id: null,
            createdAt: daysAgo(80),
            lastUsed: at(daysAgo(1)),
          }),
        ],
        signingCerts: [{ slot: 1, active: true, lastRotated: daysAgo(500) }],
      }),
    ];

    const { findings } = runChecks(inventoryOf(...everything), config(), NOW);

    expect(new Set(findings.map((f) => f.check))).toEqual(new Set(CHECK_IDS));
    for (const finding of findings) {
      expect(finding.remediation.length).toBeGreaterThan(0);
      expect(finding.detail.length).toBeGreaterThan(0);
    }
  });
});
