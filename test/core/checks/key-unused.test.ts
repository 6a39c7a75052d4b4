import { describe, expect, it } from 'vitest';
import { keyUnused } from '../../../lambdas/core/checks/key-unused.js';
import {
  accessKey,
  at,
  consoleUser,
  context,
  daysAgo,
  ERROR_DATE,
  iamUser,
  NEVER,
  NO_INFORMATION,
} from './builders.js';

describe('key-unused', () => {
  it('passes a key last used exactly 45 days ago', () => {
    const user = iamUser({
      accessKeys: [accessKey({ createdAt: daysAgo(100), lastUsed: at(daysAgo(45)) })],
    });

    expect(keyUnused.evaluate(user, context())).toEqual([]);
  });

  it('fails a key last used 45 days and one second ago', () => {
    // Prepare
    const user = iamUser({
      accessKeys: [accessKey({ createdAt: daysAgo(100), lastUsed: at(daysAgo(45, 1000)) })],
    });
    // Act
    const hits = keyUnused.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe('medium');
    expect(hits[0]?.title).toBe(
      'Access key AKIA…MPLE of ci-deploy has not been used for 45 days (limit 45)',
    );
    expect(hits[0]?.detail).toContain('by s3 in us-east-1');
  });

  it('fails a never-used key on a user WITHOUT a password once past the grace period', () => {
    // Prepare: Prowler misses this case.
    const user = iamUser({
      passwordEnabled: false,
      accessKeys: [accessKey({ createdAt: daysAgo(45, 1000), lastUsed: NEVER })],
    });
    // Act
    const hits = keyUnused.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.title).toBe(
      'Access key AKIA…MPLE of ci-deploy has never been used in 45 days (limit 45)',
    );
  });

  it('passes a never-used key exactly at the end of its grace period', () => {
    const user = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(45), lastUsed: NEVER })] });

    expect(keyUnused.evaluate(user, context())).toEqual([]);
  });

  it('uses newKeyGraceDays for never-used keys only', () => {
    const config = { thresholds: { newKeyGraceDays: 7 } };
    const fresh = iamUser({ accessKeys: [accessKey({ createdAt: daysAgo(8), lastUsed: NEVER })] });
    const used = iamUser({
      accessKeys: [accessKey({ createdAt: daysAgo(60), lastUsed: at(daysAgo(8)) })],
    });

    expect(keyUnused.evaluate(fresh, context(config))).toHaveLength(1);
    expect(keyUnused.evaluate(used, context(config))).toEqual([]);
  });

  it('fails never-used keys of console users the same way', () => {
    const user = consoleUser({
      accessKeys: [accessKey({ createdAt: daysAgo(60), lastUsed: NEVER })],
    });

    expect(keyUnused.evaluate(user, context())).toHaveLength(1);
  });

  it('treats no_information (used before IAM tracked it) as unused', () => {
    const user = iamUser({
      accessKeys: [accessKey({ createdAt: daysAgo(4000), lastUsed: NO_INFORMATION })],
    });

    expect(keyUnused.evaluate(user, context())[0]?.title).toContain(
      'has not been used since before 2015',
    );
  });

  it('does not judge a key whose last use could not be read', () => {
    const user = iamUser({
      accessKeys: [accessKey({ createdAt: daysAgo(400), lastUsed: ERROR_DATE })],
    });

    expect(keyUnused.evaluate(user, context())).toEqual([]);
  });

  it('judges key 2 on its own when key 1 is in use', () => {
    const user = iamUser({
      accessKeys: [
        accessKey({ slot: 1, lastUsed: at(daysAgo(1)) }),
        accessKey({ slot: 2, id: null, createdAt: daysAgo(90), lastUsed: NEVER }),
      ],
    });

    expect(keyUnused.evaluate(user, context()).map((hit) => hit.key?.slot)).toEqual([2]);
  });

  it('passes inactive keys', () => {
    const user = iamUser({
      accessKeys: [accessKey({ status: 'Inactive', lastUsed: at(daysAgo(300)) })],
    });

    expect(keyUnused.evaluate(user, context())).toEqual([]);
  });
});
