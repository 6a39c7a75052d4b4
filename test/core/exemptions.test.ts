import { describe, expect, it } from 'vitest';
import { parseAuditConfig } from '../../lambdas/core/config.js';
import {
  activeExemption,
  type Exemption,
  exemptionEnd,
  exemptionsOf,
  findTag,
  parseExemptionTag,
} from '../../lambdas/core/exemptions.js';
import { iamUser } from './checks/builders.js';

describe('parseExemptionTag', () => {
  it.each(['', 'true', 'TRUE', ' yes '])('reads %j as every check, no expiry', (value) => {
    expect(parseExemptionTag(value)).toEqual({
      ok: true,
      exempt: true,
      checks: null,
      until: null,
      endsAt: null,
      reason: null,
    });
  });

  it.each(['false', 'No'])('reads %j as not exempt', (value) => {
    expect(parseExemptionTag(value)).toEqual({ ok: true, exempt: false });
  });

  it('reads a date as every check through that UTC day', () => {
    expect(parseExemptionTag('2026-12-31')).toMatchObject({
      ok: true,
      checks: null,
      until: '2026-12-31',
      endsAt: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('reads the documented field form', () => {
    expect(
      parseExemptionTag(
        'until=2026-12-31;checks=key-unused,password-unused;reason=vendor key, no SSO',
      ),
    ).toEqual({
      ok: true,
      exempt: true,
      checks: ['key-unused', 'password-unused'],
      until: '2026-12-31',
      endsAt: new Date('2027-01-01T00:00:00Z'),
      reason: 'vendor key, no SSO',
    });
  });

  it('reads the field form with the separators IAM tag values allow (space, /, +)', () => {
    expect(
      parseExemptionTag('checks=key-unused+key-rotation-due until=2027-01-15 reason=vendor key'),
    ).toMatchObject({
      ok: true,
      checks: ['key-unused', 'key-rotation-due'],
      until: '2027-01-15',
      reason: 'vendor key',
    });
    expect(parseExemptionTag('checks=key-unused/until=2027-01-15')).toMatchObject({
      ok: true,
      checks: ['key-unused'],
      until: '2027-01-15',
    });
  });

  it('reads fields without an expiry or without checks', () => {
    expect(parseExemptionTag('reason=break-glass user')).toMatchObject({
      ok: true,
      checks: null,
      until: null,
      reason: 'break-glass user',
    });
    expect(parseExemptionTag('checks=console-user-no-mfa')).toMatchObject({
      ok: true,
      checks: ['console-user-no-mfa'],
      until: null,
    });
  });

  it.each([
    ['someday', 'expected true, a date'],
    ['2026-02-30', 'not a calendar date'],
    ['until=next-year', 'until "next-year" is not a date'],
    ['until=2026-13-01', 'is not a date'],
    ['checks=key-unsed', 'unknown check "key-unsed"'],
    ['checks=', 'names no check'],
    ['please until=2026-12-31', 'unexpected text before "until="'],
    ['until=2026-12-31;owner=me', 'is not a date'],
  ])('rejects %j', (value, reason) => {
    const result = parseExemptionTag(value);

    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});

describe('exemptionEnd', () => {
  it('ends a date exemption at the next UTC midnight and a date-time one just after it', () => {
    expect(exemptionEnd('2026-11-20')).toEqual(new Date('2026-11-21T00:00:00Z'));
    expect(exemptionEnd('2026-11-20T10:00:00+02:00')).toEqual(new Date('2026-11-20T08:00:00.001Z'));
  });

  it('refuses what is not a date', () => {
    expect(exemptionEnd('tomorrow')).toBeNull();
    expect(exemptionEnd('2026-11-31')).toBeNull();
  });
});

describe('activeExemption', () => {
  const until = (endsAt: string | null, checks: Exemption['checks'] = null): Exemption => ({
    source: 'tag',
    origin: 'tag x',
    checks,
    until: endsAt,
    endsAt: endsAt === null ? null : exemptionEnd(endsAt),
    reason: null,
  });

  it('holds up to the last instant of its day and not one millisecond after', () => {
    const exemption = until('2026-11-20');

    expect(activeExemption([exemption], 'key-unused', new Date('2026-11-20T23:59:59.999Z'))).toBe(
      exemption,
    );
    expect(
      activeExemption([exemption], 'key-unused', new Date('2026-11-21T00:00:00.000Z')),
    ).toBeNull();
  });

  it('covers only its checks', () => {
    const exemption = until(null, ['key-unused']);

    expect(activeExemption([exemption], 'key-unused', new Date('2030-01-01T00:00:00Z'))).toBe(
      exemption,
    );
    expect(
      activeExemption([exemption], 'key-inactive', new Date('2030-01-01T00:00:00Z')),
    ).toBeNull();
  });

  it('falls back on a later exemption when the first has expired', () => {
    const expired = until('2026-01-01');
    const forever = until(null);

    expect(
      activeExemption([expired, forever], 'key-unused', new Date('2026-11-20T00:00:00Z')),
    ).toBe(forever);
  });
});

describe('exemptionsOf', () => {
  it('collects config entries for the user and the tag, case-insensitive on the tag key', () => {
    // Prepare
    const config = parseAuditConfig({
      exemptions: {
        users: [
          { user: 'someone-else' },
          { user: 'ci-deploy', checks: ['key-unused'], until: '2026-12-31', reason: 'migration' },
        ],
      },
    });
    const principal = iamUser({ tags: { 'Credential-Health:Exempt': 'true' } });
    // Act
    const { exemptions, problem } = exemptionsOf(principal, config);
    // Assess
    expect(problem).toBeNull();
    expect(exemptions).toEqual([
      {
        source: 'config',
        origin: 'config exemptions.users[1]',
        checks: ['key-unused'],
        until: '2026-12-31',
        endsAt: new Date('2027-01-01T00:00:00Z'),
        reason: 'migration',
      },
      {
        source: 'tag',
        origin: 'tag Credential-Health:Exempt',
        checks: null,
        until: null,
        endsAt: null,
        reason: null,
      },
    ]);
  });

  it('returns the problem of an unreadable tag and no exemption from it', () => {
    const principal = iamUser({ tags: { 'credential-health:exempt': 'maybe' } });

    const { exemptions, problem } = exemptionsOf(principal, parseAuditConfig({}));

    expect(exemptions).toEqual([]);
    expect(problem).toMatchObject({
      user: 'ci-deploy',
      tagKey: 'credential-health:exempt',
      value: 'maybe',
    });
  });

  it('gives nothing for a tag set to false', () => {
    const principal = iamUser({ tags: { 'credential-health:exempt': 'false' } });

    expect(exemptionsOf(principal, parseAuditConfig({}))).toEqual({
      exemptions: [],
      problem: null,
    });
  });
});

describe('findTag', () => {
  it('prefers the exact key, then any case', () => {
    expect(findTag({ Owner: 'a', owner: 'b' }, 'owner')).toEqual({ key: 'owner', value: 'b' });
    expect(findTag({ OWNER: 'a' }, 'owner')).toEqual({ key: 'OWNER', value: 'a' });
    expect(findTag({}, 'owner')).toBeNull();
  });
});
