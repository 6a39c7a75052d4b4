import { describe, expect, it } from 'vitest';
import { keyRotationOverdue } from '../../../lambdas/core/checks/key-rotation-overdue.js';
import { accessKey, consoleUser, context, daysAgo, iamUser } from './builders.js';

describe('key-rotation-overdue', () => {
  it('passes a key exactly 90 days old', () => {
    const user = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(90) })] });

    expect(keyRotationOverdue.evaluate(user, context())).toEqual([]);
  });

  it('fails a key one second past 90 days as medium', () => {
    // Prepare
    const user = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(90, 1000) })] });
    // Act
    const hits = keyRotationOverdue.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe('medium');
    expect(hits[0]?.title).toBe('Access key AKIA…MPLE of ci-deploy is 90 days old (limit 90)');
  });

  it('is medium at exactly twice the limit and high one second later', () => {
    const twice = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(180) })] });
    const past = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(180, 1000) })] });

    expect(keyRotationOverdue.evaluate(twice, context())[0]?.severity).toBe('medium');
    expect(keyRotationOverdue.evaluate(past, context())[0]?.severity).toBe('high');
  });

  it('writes the title of the product example', () => {
    const user = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(212) })] });

    expect(keyRotationOverdue.evaluate(user, context())[0]?.title).toBe(
      'Access key AKIA…MPLE of ci-deploy is 212 days old (limit 90)',
    );
  });

  it('gives machine users their own limit and keeps the human limit for console users', () => {
    const config = { thresholds: { machineMaxKeyAgeDays: 365 } };
    const key = accessKey({ createdAt: daysAgo(200) });

    expect(keyRotationOverdue.evaluate(iamUser({ accessKeys: [key] }), context(config))).toEqual(
      [],
    );
    expect(
      keyRotationOverdue.evaluate(consoleUser({ accessKeys: [key] }), context(config)),
    ).toHaveLength(1);
  });

  it('judges key 1 on its own when key 2 is fresh', () => {
    const user = iamUser({
      accessKeys: [
        accessKey({ slot: 1, createdAt: daysAgo(120) }),
        accessKey({ slot: 2, createdAt: daysAgo(2) }),
      ],
    });

    expect(keyRotationOverdue.evaluate(user, context()).map((hit) => hit.key?.slot)).toEqual([1]);
  });

  it('passes inactive keys and keys of unknown age', () => {
    const user = iamUser({
      accessKeys: [
        accessKey({ slot: 1, status: 'Inactive', createdAt: daysAgo(500) }),
        accessKey({ slot: 2, createdAt: null }),
      ],
    });

    expect(keyRotationOverdue.evaluate(user, context())).toEqual([]);
  });
});
