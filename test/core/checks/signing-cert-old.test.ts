import { describe, expect, it } from 'vitest';
import { signingCertOld } from '../../../lambdas/core/checks/signing-cert-old.js';
import { context, daysAgo, iamUser } from './builders.js';

describe('signing-cert-old', () => {
  it('passes an active certificate exactly 365 days old', () => {
    const user = iamUser({ signingCerts: [{ slot: 1, active: true, lastRotated: daysAgo(365) }] });

    expect(signingCertOld.evaluate(user, context())).toEqual([]);
  });

  it('fails an active certificate 365 days and one second old, in its slot', () => {
    // Prepare
    const user = iamUser({
      signingCerts: [
        { slot: 1, active: true, lastRotated: daysAgo(10) },
        { slot: 2, active: true, lastRotated: daysAgo(365, 1000) },
      ],
    });
    // Act
    const hits = signingCertOld.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.certSlot).toBe(2);
    expect(hits[0]?.key).toBeNull();
    expect(hits[0]?.title).toBe('Signing certificate 2 of ci-deploy is 365 days old (limit 365)');
  });

  it('passes an old inactive certificate', () => {
    const user = iamUser({ signingCerts: [{ slot: 1, active: false, lastRotated: daysAgo(900) }] });

    expect(signingCertOld.evaluate(user, context())).toEqual([]);
  });

  it('honours signingCertMaxAgeDays', () => {
    const user = iamUser({ signingCerts: [{ slot: 1, active: true, lastRotated: daysAgo(100) }] });

    expect(
      signingCertOld.evaluate(user, context({ thresholds: { signingCertMaxAgeDays: 99 } })),
    ).toHaveLength(1);
  });
});
