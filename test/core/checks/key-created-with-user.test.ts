import { describe, expect, it } from 'vitest';
import { keyCreatedWithUser } from '../../../lambdas/core/checks/key-created-with-user.js';
import {
  accessKey,
  at,
  consoleUser,
  context,
  daysAgo,
  iamUser,
  NO_INFORMATION,
} from './builders.js';

const userCreated = daysAgo(100);
const afterUser = (ms: number) => new Date(userCreated.getTime() + ms);

describe('key-created-with-user', () => {
  it('fails a never-used key of a console user created 10 minutes after the user', () => {
    // Prepare
    const user = consoleUser({
      createdAt: userCreated,
      accessKeys: [
        accessKey({ createdAt: afterUser(10 * 60_000), lastUsed: { state: 'never', value: null } }),
      ],
    });
    // Act
    const hits = keyCreatedWithUser.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.title).toBe(
      'Access key AKIA…MPLE of console user alice was created with the user and never used',
    );
  });

  it('passes a key created 10 minutes and one second after the user', () => {
    const user = consoleUser({
      createdAt: userCreated,
      accessKeys: [
        accessKey({
          createdAt: afterUser(10 * 60_000 + 1000),
          lastUsed: { state: 'never', value: null },
        }),
      ],
    });

    expect(keyCreatedWithUser.evaluate(user, context())).toEqual([]);
  });

  it('passes a key created with the user that has been used', () => {
    const user = consoleUser({
      createdAt: userCreated,
      accessKeys: [accessKey({ createdAt: afterUser(5000), lastUsed: at(daysAgo(2)) })],
    });

    expect(keyCreatedWithUser.evaluate(user, context())).toEqual([]);
  });

  it('passes a key whose last use predates tracking (not known to be unused)', () => {
    const user = consoleUser({
      createdAt: userCreated,
      accessKeys: [accessKey({ createdAt: afterUser(5000), lastUsed: NO_INFORMATION })],
    });

    expect(keyCreatedWithUser.evaluate(user, context())).toEqual([]);
  });

  it('passes machine users (no console password): key-unused covers them', () => {
    const user = iamUser({
      createdAt: userCreated,
      accessKeys: [
        accessKey({ createdAt: afterUser(5000), lastUsed: { state: 'never', value: null } }),
      ],
    });

    expect(keyCreatedWithUser.evaluate(user, context())).toEqual([]);
  });

  it('judges key 2 on its own', () => {
    const user = consoleUser({
      createdAt: userCreated,
      accessKeys: [
        accessKey({ slot: 1, createdAt: afterUser(5000), lastUsed: at(daysAgo(1)) }),
        accessKey({
          slot: 2,
          id: null,
          createdAt: afterUser(6000),
          lastUsed: { state: 'never', value: null },
        }),
      ],
    });

    expect(keyCreatedWithUser.evaluate(user, context()).map((hit) => hit.key?.slot)).toEqual([2]);
  });
});
