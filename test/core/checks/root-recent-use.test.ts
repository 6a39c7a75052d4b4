import { describe, expect, it } from 'vitest';
import { rootRecentUse } from '../../../lambdas/core/checks/root-recent-use.js';
import {
  accessKey,
  at,
  context,
  daysAgo,
  iamUser,
  NEVER,
  NO_INFORMATION,
  rootUser,
} from './builders.js';

const rootKey = (slot: 1 | 2, lastUsed: ReturnType<typeof at>) =>
  accessKey({ userName: '<root_account>', id: null, slot, lastUsed });

describe('root-recent-use', () => {
  it('passes root last used exactly one second more than 30 days ago', () => {
    const root = rootUser({ passwordLastUsed: at(daysAgo(30, 1000)) });

    expect(rootRecentUse.evaluate(root, context())).toEqual([]);
  });

  it('fails root whose password was used exactly 30 days ago (the limit is inclusive)', () => {
    // Prepare
    const root = rootUser({ passwordLastUsed: at(daysAgo(30)) });
    // Act
    const hits = rootRecentUse.evaluate(root, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe('high');
    expect(hits[0]?.title).toBe('The root user was used 30 days ago with its console password');
  });

  it('fails when key 2 was used yesterday after an old password sign-in (Prowler elif bug)', () => {
    // Prepare
    const root = rootUser({
      passwordLastUsed: at(daysAgo(400)),
      accessKeys: [rootKey(1, NEVER), rootKey(2, at(daysAgo(1)))],
    });
    // Act
    const hits = rootRecentUse.evaluate(root, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.title).toBe('The root user was used 1 day ago with access key 2');
    expect(hits[0]?.detail).toBe(
      'Root was last used on 2026-11-19 with access key 2, within the 30-day limit; also console password last used 2025-10-16.',
    );
  });

  it('fails when key 1 was used recently and the password never', () => {
    const root = rootUser({ passwordLastUsed: NEVER, accessKeys: [rootKey(1, at(daysAgo(3)))] });

    expect(rootRecentUse.evaluate(root, context())).toHaveLength(1);
  });

  it('passes root with no recorded use at all', () => {
    const root = rootUser({ passwordLastUsed: NO_INFORMATION, accessKeys: [rootKey(1, NEVER)] });

    expect(rootRecentUse.evaluate(root, context())).toEqual([]);
  });

  it('honours rootRecentUseDays', () => {
    const root = rootUser({ passwordLastUsed: at(daysAgo(5)) });

    expect(rootRecentUse.evaluate(root, context({ thresholds: { rootRecentUseDays: 4 } }))).toEqual(
      [],
    );
    expect(
      rootRecentUse.evaluate(root, context({ thresholds: { rootRecentUseDays: 5 } })),
    ).toHaveLength(1);
  });

  it('ignores IAM users', () => {
    expect(
      rootRecentUse.evaluate(iamUser({ passwordLastUsed: at(daysAgo(1)) }), context()),
    ).toEqual([]);
  });
});
