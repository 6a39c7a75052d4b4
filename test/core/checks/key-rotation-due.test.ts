import { describe, expect, it } from 'vitest';
import { keyRotationDue } from '../../../lambdas/core/checks/key-rotation-due.js';
import { accessKey, consoleUser, context, daysAgo, iamUser, rootUser } from './builders.js';

describe('key-rotation-due', () => {
  it('passes a key exactly 76 days old (90 - 14)', () => {
    const user = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(76) })] });

    expect(keyRotationDue.evaluate(user, context())).toEqual([]);
  });

  it('fails a key one second past 76 days, due in 14 days', () => {
    // Prepare
    const user = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(76, 1000) })] });
    // Act
    const hits = keyRotationDue.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe('low');
    expect(hits[0]?.title).toBe(
      'Access key AKIA…MPLE of ci-deploy is due for rotation in 14 days (limit 90)',
    );
  });

  it('still fails a key exactly 90 days old, and hands over to overdue one second later', () => {
    const due = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(90) })] });
    const overdue = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(90, 1000) })] });

    expect(keyRotationDue.evaluate(due, context())).toHaveLength(1);
    expect(keyRotationDue.evaluate(overdue, context())).toEqual([]);
  });

  it('passes inactive keys', () => {
    const user = iamUser({
      accessKeys: [accessKey({ createdAt: daysAgo(80), status: 'Inactive' })],
    });

    expect(keyRotationDue.evaluate(user, context())).toEqual([]);
  });

  it('uses the machine limit for users without a password and the human limit otherwise', () => {
    const config = { thresholds: { machineMaxKeyAgeDays: 180 } };
    const key = accessKey({ createdAt: daysAgo(80) });

    expect(keyRotationDue.evaluate(iamUser({ accessKeys: [key] }), context(config))).toEqual([]);
    expect(
      keyRotationDue.evaluate(consoleUser({ accessKeys: [key] }), context(config)),
    ).toHaveLength(1);
  });

  it('judges key 2 on its own when key 1 is fresh', () => {
    const user = iamUser({
      accessKeys: [
        accessKey({ slot: 1, createdAt: daysAgo(5) }),
        accessKey({ slot: 2, id: null, createdAt: daysAgo(80) }),
      ],
    });

    expect(keyRotationDue.evaluate(user, context()).map((hit) => hit.key?.slot)).toEqual([2]);
  });

  it('has no reminder window when reminderLeadDays is 0', () => {
    const user = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(89) })] });

    expect(keyRotationDue.evaluate(user, context({ thresholds: { reminderLeadDays: 0 } }))).toEqual(
      [],
    );
  });

  it('ignores root keys (root-access-key covers them)', () => {
    const root = rootUser({
      accessKeys: [accessKey({ userName: '<root_account>', createdAt: daysAgo(80) })],
    });

    expect(keyRotationDue.evaluate(root, context())).toEqual([]);
  });
});
