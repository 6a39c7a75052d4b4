import { describe, expect, it } from 'vitest';
import { multipleActiveKeys } from '../../../lambdas/core/checks/multiple-active-keys.js';
import { accessKey, context, daysAgo, iamUser, rootUser } from './builders.js';

const OLD = 'AKIAIOSFODNN7EXAMPLE';
const NEW = 'AKIAI44QH8DHBEXAMPLE';

describe('multiple-active-keys', () => {
  it('passes a user with one active and one inactive key', () => {
    const user = iamUser({
      accessKeys: [accessKey({ slot: 1 }), accessKey({ slot: 2, id: NEW, status: 'Inactive' })],
    });

    expect(multipleActiveKeys.evaluate(user, context())).toEqual([]);
  });

  it('fails once per user and attaches the older key even when it sits in slot 2', () => {
    // Prepare
    const user = iamUser({
      accessKeys: [
        accessKey({ slot: 1, id: NEW, createdAt: daysAgo(3) }),
        accessKey({ slot: 2, id: OLD, createdAt: daysAgo(200) }),
      ],
    });
    // Act
    const hits = multipleActiveKeys.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.key?.id).toBe(OLD);
    expect(hits[0]?.otherKey?.id).toBe(NEW);
    expect(hits[0]?.title).toBe('ci-deploy has two active access keys; retire the older AKIA…MPLE');
    expect(hits[0]?.detail).toContain('Key 2 AKIA…MPLE (created');
    expect(hits[0]?.detail).toContain('key 1 AKIA…MPLE');
  });

  it('treats a key of unknown age as the older one', () => {
    const user = iamUser({
      accessKeys: [
        accessKey({ slot: 1, createdAt: daysAgo(3) }),
        accessKey({ slot: 2, id: null, createdAt: null }),
      ],
    });

    expect(multipleActiveKeys.evaluate(user, context())[0]?.key?.slot).toBe(2);
  });

  it('ignores root (root-access-key reports each root key)', () => {
    const root = rootUser({ accessKeys: [accessKey({ slot: 1 }), accessKey({ slot: 2 })] });

    expect(multipleActiveKeys.evaluate(root, context())).toEqual([]);
  });
});
