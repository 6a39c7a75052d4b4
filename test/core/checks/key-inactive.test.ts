import { describe, expect, it } from 'vitest';
import { keyInactive } from '../../../lambdas/core/checks/key-inactive.js';
import { accessKey, at, context, daysAgo, iamUser, NEVER, rootUser } from './builders.js';

describe('key-inactive', () => {
  it('passes an inactive key last used exactly 30 days ago', () => {
    const user = iamUser({
      accessKeys: [
        accessKey({ status: 'Inactive', createdAt: daysAgo(200), lastUsed: at(daysAgo(30)) }),
      ],
    });

    expect(keyInactive.evaluate(user, context())).toEqual([]);
  });

  it('fails an inactive key last used 30 days and one second ago', () => {
    // Prepare
    const user = iamUser({
      accessKeys: [
        accessKey({ status: 'Inactive', createdAt: daysAgo(200), lastUsed: at(daysAgo(30, 1000)) }),
      ],
    });
    // Act
    const hits = keyInactive.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe('low');
    expect(hits[0]?.title).toBe(
      'Access key AKIA…MPLE of ci-deploy is inactive but still present 30 days after its last use',
    );
  });

  it('measures a never-used inactive key from its creation', () => {
    const young = iamUser({
      accessKeys: [accessKey({ status: 'Inactive', createdAt: daysAgo(29), lastUsed: NEVER })],
    });
    const old = iamUser({
      accessKeys: [accessKey({ status: 'Inactive', createdAt: daysAgo(31), lastUsed: NEVER })],
    });

    expect(keyInactive.evaluate(young, context())).toEqual([]);
    expect(keyInactive.evaluate(old, context())[0]?.title).toContain('after its creation');
  });

  it('passes active keys and slots without a creation time (no key there)', () => {
    const user = iamUser({
      accessKeys: [
        accessKey({ slot: 1, status: 'Active', lastUsed: at(daysAgo(300)) }),
        accessKey({ slot: 2, status: 'Inactive', createdAt: null, lastUsed: at(daysAgo(300)) }),
      ],
    });

    expect(keyInactive.evaluate(user, context())).toEqual([]);
  });

  it('applies to root keys too', () => {
    const root = rootUser({
      accessKeys: [
        accessKey({
          userName: '<root_account>',
          id: null,
          status: 'Inactive',
          createdAt: daysAgo(900),
          lastUsed: NEVER,
        }),
      ],
    });

    expect(keyInactive.evaluate(root, context())[0]?.title).toContain('of the root user');
  });
});
