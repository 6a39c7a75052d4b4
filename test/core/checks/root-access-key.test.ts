import { describe, expect, it } from 'vitest';
import { rootAccessKey } from '../../../lambdas/core/checks/root-access-key.js';
import { accessKey, context, iamUser, rootUser } from './builders.js';

describe('root-access-key', () => {
  it('passes root without access keys', () => {
    // Prepare
    const root = rootUser();
    // Act
    const hits = rootAccessKey.evaluate(root, context());
    // Assess
    expect(hits).toEqual([]);
  });

  it('passes root whose only key is inactive (key-inactive covers it)', () => {
    const root = rootUser({
      accessKeys: [accessKey({ userName: '<root_account>', id: null, status: 'Inactive' })],
    });

    expect(rootAccessKey.evaluate(root, context())).toEqual([]);
  });

  it('fails once per active root key, key 2 included', () => {
    const root = rootUser({
      accessKeys: [
        accessKey({ userName: '<root_account>', id: null, slot: 1 }),
        accessKey({ userName: '<root_account>', id: null, slot: 2 }),
      ],
    });

    const hits = rootAccessKey.evaluate(root, context());

    expect(hits.map((hit) => [hit.key?.slot, hit.severity])).toEqual([
      [1, 'critical'],
      [2, 'critical'],
    ]);
    expect(hits[1]?.title).toBe('The root user has an active access key (key 2)');
  });

  it('ignores IAM users with active keys', () => {
    expect(rootAccessKey.evaluate(iamUser({ accessKeys: [accessKey()] }), context())).toEqual([]);
  });
});
