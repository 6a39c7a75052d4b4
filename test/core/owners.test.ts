import { describe, expect, it } from 'vitest';
import { type AuditConfigInput, parseAuditConfig } from '../../lambdas/core/config.js';
import { ownerOf } from '../../lambdas/core/owners.js';
import { iamUser, rootUser } from './checks/builders.js';

const teams: AuditConfigInput = {
  owners: { teams: { platform: 'platform@example.com' }, accountDefault: 'secops@example.com' },
};

describe('ownerOf', () => {
  it('takes the first tag of tagKeys that has a value, in order', () => {
    const principal = iamUser({
      tags: {
        email: 'mail@example.com',
        owner: '  ',
        'credential-health:owner': 'owner@example.com',
      },
    });

    expect(ownerOf(principal, parseAuditConfig(teams))).toBe('owner@example.com');
  });

  it('skips an empty owner tag and falls to the next tag key', () => {
    const principal = iamUser({
      tags: { 'credential-health:owner': '', email: 'mail@example.com' },
    });

    expect(ownerOf(principal, parseAuditConfig(teams))).toBe('mail@example.com');
  });

  it('matches tag keys in any case', () => {
    expect(ownerOf(iamUser({ tags: { Owner: 'o@example.com' } }), parseAuditConfig({}))).toBe(
      'o@example.com',
    );
  });

  it('falls back on the team owner', () => {
    expect(ownerOf(iamUser({ tags: { team: 'platform' } }), parseAuditConfig(teams))).toBe(
      'platform@example.com',
    );
  });

  it('falls back on the account default for an unknown team or no tags', () => {
    const config = parseAuditConfig(teams);

    expect(ownerOf(iamUser({ tags: { team: 'data' } }), config)).toBe('secops@example.com');
    expect(ownerOf(rootUser(), config)).toBe('secops@example.com');
  });

  it('is null when nothing names an owner', () => {
    expect(ownerOf(iamUser(), parseAuditConfig({}))).toBeNull();
  });

  it('reads the configured tag keys and team tag key only', () => {
    const config = parseAuditConfig({
      owners: { tagKeys: ['contact'], teamTagKey: 'squad', teams: { blue: 'blue@example.com' } },
    });

    expect(
      ownerOf(iamUser({ tags: { owner: 'x@example.com', contact: 'c@example.com' } }), config),
    ).toBe('c@example.com');
    expect(ownerOf(iamUser({ tags: { owner: 'x@example.com', squad: 'blue' } }), config)).toBe(
      'blue@example.com',
    );
  });
});
