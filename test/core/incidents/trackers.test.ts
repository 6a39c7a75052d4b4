import { describe, expect, it } from 'vitest';
import {
  BoundedCounter,
  BoundedSet,
  GenerationalMap,
} from '../../../lambdas/core/incidents/bounded-set.js';
import { existedAt, keysHeldAt } from '../../../lambdas/core/incidents/held-keys.js';
import { KeyTracker } from '../../../lambdas/core/incidents/key-tracker.js';
import {
  MAX_SESSIONS,
  SessionTracker,
  type TrackedSession,
} from '../../../lambdas/core/incidents/session-tracker.js';

function session(
  id: string,
  issued: string,
  expires: string,
  chainKey = 'caller>role',
): TrackedSession {
  return {
    accessKeyId: id,
    eventName: 'AssumeRole',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    sessionName: 's',
    caller: 'arn:aws:iam::123456789012:user/u',
    issuedAt: new Date(issued),
    expiration: new Date(expires),
    chainKey,
    sourceIp: null,
    userAgent: null,
  };
}

const use = (time: string) => ({
  time: new Date(time),
  principal: null,
  sourceIp: null,
  userAgent: null,
  eventSource: null,
});

describe('BoundedSet and BoundedCounter', () => {
  it('stop growing at their limit and count the rest', () => {
    // Prepare
    const set = new BoundedSet(2);
    const counter = new BoundedCounter(1);

    // Act
    for (const value of ['b', 'a', 'a', 'c', null, '']) set.add(value);
    counter.add('X');
    counter.add('Y', 3);

    // Assess
    expect(set.sorted()).toEqual(['a', 'b']);
    expect(set.overflow).toBe(1);
    expect(counter.toRecord()).toEqual({ X: 1, Other: 3 });
  });
});

describe('GenerationalMap', () => {
  it('never holds more than its limit and keeps the newest entries', () => {
    // Prepare
    const map = new GenerationalMap<number>(4);

    // Act
    for (let i = 0; i < 10; i += 1) map.set(`k${i}`, i);
    map.set('k9', 99);

    // Assess
    expect(map.size).toBeLessThanOrEqual(4);
    expect(map.get('k9')).toBe(99);
    expect(map.get('k8')).toBe(8);
    expect(map.get('k0')).toBeUndefined();
    expect(map.dropped).toBe(10 - map.size);
    expect([...map.values()]).toContain(99);
  });
});

describe('SessionTracker', () => {
  it('finds a session used up to its expiration and not renewed in time', () => {
    // Prepare
    const tracker = new SessionTracker();
    tracker.addIssuance(
      session('ASIA2DEMO0000EXAMPLE', '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z'),
    );
    tracker.addUse('ASIA2DEMO0000EXAMPLE', use('2026-11-20T09:59:00Z'));
    tracker.addIssuance(
      session('ASIA2DEMO0001EXAMPLE', '2026-11-20T10:20:00Z', '2026-11-20T11:20:00Z'),
    );

    // Act
    const ranOut = tracker.ranOut(
      new Date('2026-11-19T12:00:00Z'),
      new Date('2026-11-20T12:00:00Z'),
    );

    // Assess
    expect(ranOut.map((r) => r.session.accessKeyId)).toEqual(['ASIA2DEMO0000EXAMPLE']);
  });

  it('does not report a session of a chain renewed before the expiration', () => {
    const tracker = new SessionTracker();
    tracker.addIssuance(
      session('ASIA2DEMO0000EXAMPLE', '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z'),
    );
    tracker.addUse('ASIA2DEMO0000EXAMPLE', use('2026-11-20T10:00:30Z'));
    tracker.addIssuance(
      session('ASIA2DEMO0001EXAMPLE', '2026-11-20T09:55:00Z', '2026-11-20T10:55:00Z'),
    );
    expect(
      tracker.ranOut(new Date('2026-11-19T12:00:00Z'), new Date('2026-11-20T12:00:00Z')),
    ).toEqual([]);
  });

  it('drops the oldest session when full', () => {
    // Prepare
    const tracker = new SessionTracker();

    // Act
    for (let i = 0; i <= MAX_SESSIONS; i += 1) {
      tracker.addIssuance(
        session(
          `ASIA${String(i).padStart(16, '0')}`,
          '2026-11-20T09:00:00Z',
          '2026-11-20T10:00:00Z',
          `c${i % 10}`,
        ),
      );
    }

    // Assess
    expect(tracker.session(`ASIA${'0'.repeat(16)}`)).toBeUndefined();
    expect(tracker.session(`ASIA${String(MAX_SESSIONS).padStart(16, '0')}`)).toBeDefined();
    expect(tracker.dropped).toBeGreaterThanOrEqual(1);
  });
});

describe('KeyTracker', () => {
  it('keeps the latest revocation unless the key was reactivated after it', () => {
    // Prepare
    const tracker = new KeyTracker();
    const id = 'AKIA2DEMO0000EXAMPLE';
    tracker.addRevocation({
      accessKeyId: id,
      kind: 'Inactive',
      time: new Date('2026-11-20T09:00:00Z'),
      userName: 'u',
      actor: null,
    });

    // Act
    const before = tracker.currentRevocation(id);
    tracker.addReactivation(id, new Date('2026-11-20T10:00:00Z'));
    const after = tracker.currentRevocation(id);
    tracker.addRevocation({
      accessKeyId: id,
      kind: 'Deleted',
      time: new Date('2026-11-20T11:00:00Z'),
      userName: 'u',
      actor: null,
    });

    // Assess
    expect(before?.kind).toBe('Inactive');
    expect(after).toBeUndefined();
    expect(tracker.currentRevocation(id)?.kind).toBe('Deleted');
  });
});

describe('KeyTracker lifecycle by user', () => {
  it('keeps the earliest creation of a key and lists the keys a user’s lifecycle calls name', () => {
    // Prepare
    const tracker = new KeyTracker();
    const created = 'AKIAEXAMPLEN8V5K3WCD';
    const deleted = 'AKIAEXAMPLEW3F8P1MKB';

    // Act
    tracker.addCreation({
      accessKeyId: created,
      time: new Date('2026-11-20T05:00:00Z'),
      userName: 'u',
    });
    tracker.addCreation({
      accessKeyId: created,
      time: new Date('2026-11-20T04:00:00Z'),
      userName: 'u',
    });
    tracker.addRevocation({
      accessKeyId: deleted,
      kind: 'Deleted',
      time: new Date('2026-11-20T05:10:00Z'),
      userName: 'u',
      actor: null,
    });
    tracker.addRevocation({
      accessKeyId: 'AKIAEXAMPLEH6J9D2XLS',
      kind: 'Deleted',
      time: new Date('2026-11-20T05:10:00Z'),
      userName: 'someone-else',
      actor: null,
    });

    // Assess
    expect(tracker.creation(created)?.time).toEqual(new Date('2026-11-20T04:00:00Z'));
    expect(tracker.lifecycleKeysOf(new Set(['u', 'nobody']))).toEqual(
      new Map([['u', [created, deleted]]]),
    );
    expect(tracker.revocationsOf(deleted)).toHaveLength(1);
    expect(tracker.revocationsOf(created)).toEqual([]);
  });
});

describe('existedAt / keysHeldAt', () => {
  const at = new Date('2026-11-20T04:12:00Z');
  const history = (overrides: Partial<Parameters<typeof existedAt>[0]> = {}) => ({
    accessKeyId: 'AKIAEXAMPLEQ7R2M4TZP',
    createdAt: null,
    deletedAt: null,
    inInventory: false,
    seenAt: [],
    ...overrides,
  });

  it.each([
    ['created at that very second', { createdAt: at }, true],
    ['created a second later', { createdAt: new Date('2026-11-20T04:12:01Z') }, false],
    [
      'created before, deleted after',
      { createdAt: new Date('2026-01-01'), deletedAt: new Date('2026-11-20T05:00:00Z') },
      true,
    ],
    [
      'deleted a second before',
      { createdAt: new Date('2026-01-01'), deletedAt: new Date('2026-11-20T04:11:59Z') },
      false,
    ],
    ['creation unknown, still in the inventory', { inInventory: true }, true],
    ['creation unknown, deleted after', { deletedAt: new Date('2026-11-20T05:00:00Z') }, true],
    ['creation unknown, deactivated after', { seenAt: [new Date('2026-11-20T04:40:00Z')] }, true],
    ['creation unknown, only seen before', { seenAt: [new Date('2026-11-20T03:00:00Z')] }, false],
  ])('a key %s: %s', (_name, overrides, expected) => {
    // Act / Assess
    expect(existedAt(history(overrides), at)).toBe(expected);
  });

  it('holds a key that existed at any of several quarantine times, sorted', () => {
    // Prepare: one key gone between the two times, one made between them.
    const later = new Date('2026-11-20T08:00:00Z');
    const keys = [
      history({ accessKeyId: 'AKIAEXAMPLEZZZZZZZZZ', createdAt: new Date('2026-11-20T06:00:00Z') }),
      history({
        accessKeyId: 'AKIAEXAMPLEAAAAAAAAA',
        createdAt: new Date('2026-01-01'),
        deletedAt: new Date('2026-11-20T05:00:00Z'),
      }),
      history({ accessKeyId: 'AKIAEXAMPLEMMMMMMMMM', createdAt: new Date('2026-11-20T09:00:00Z') }),
    ];

    // Act / Assess
    expect(keysHeldAt(keys, [at, later])).toEqual(['AKIAEXAMPLEAAAAAAAAA', 'AKIAEXAMPLEZZZZZZZZZ']);
  });
});
