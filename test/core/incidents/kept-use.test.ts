import { describe, expect, it } from 'vitest';
import { KeyTracker } from '../../../lambdas/core/incidents/key-tracker.js';
import { SessionTracker } from '../../../lambdas/core/incidents/session-tracker.js';

const KEY = 'AKIAEXAMPLEU3EO7IQKN';
const SESSION_KEY = 'ASIAEXAMPLE7QK2M4ZTB';
const at = (iso: string) => new Date(iso).getTime();
const origin = (sourceIp: string) => ({
  sourceIp,
  userAgent: 'aws-cli/2.15.0',
  eventSource: 's3.amazonaws.com',
});

describe('the last use the trackers keep (updated in place)', () => {
  it('is replaced by a later use only, and what was handed out does not change afterwards', () => {
    // Prepare
    const tracker = new KeyTracker();
    tracker.noteUse(KEY, at('2026-11-20T10:00:00Z'), 'arn:aws:iam::123456789012:user/a', {
      ...origin('203.0.113.1'),
    });
    const first = tracker.lastUse(KEY);

    // Act
    tracker.noteUse(KEY, at('2026-11-20T09:00:00Z'), 'earlier', origin('203.0.113.2'));
    tracker.noteUse(KEY, at('2026-11-20T10:00:00Z'), 'same time', origin('203.0.113.3'));
    tracker.noteUse(KEY, at('2026-11-20T11:00:00Z'), 'later', origin('203.0.113.4'));

    // Assess
    expect(first).toEqual({
      time: new Date('2026-11-20T10:00:00Z'),
      principal: 'arn:aws:iam::123456789012:user/a',
      sourceIp: '203.0.113.1',
      userAgent: 'aws-cli/2.15.0',
      eventSource: 's3.amazonaws.com',
    });
    expect(tracker.lastUse(KEY)).toMatchObject({
      time: new Date('2026-11-20T11:00:00Z'),
      principal: 'later',
      sourceIp: '203.0.113.4',
    });
  });

  it('reads the same through addUse (Dates) and noteUse (epoch ms)', () => {
    // Prepare
    const viaDates = new SessionTracker();
    const viaNumbers = new SessionTracker();
    const issuance = {
      accessKeyId: SESSION_KEY,
      eventName: 'AssumeRole',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      sessionName: 's',
      caller: 'arn:aws:iam::123456789012:user/u',
      issuedAt: new Date('2026-11-20T09:00:00Z'),
      expiration: new Date('2026-11-20T10:00:00Z'),
      chainKey: 'caller>role',
      sourceIp: null,
      userAgent: null,
    };
    const window = [new Date('2026-11-19T12:00:00Z'), new Date('2026-11-20T12:00:00Z')] as const;

    // Act
    for (const tracker of [viaDates, viaNumbers]) tracker.addIssuance(issuance);
    for (const minute of ['09:30', '09:59', '09:10']) {
      const time = new Date(`2026-11-20T${minute}:00Z`);
      viaDates.addUse(SESSION_KEY, { time, principal: minute, ...origin('203.0.113.9') });
      viaNumbers.noteUse(SESSION_KEY, time.getTime(), minute, origin('203.0.113.9'));
    }

    // Assess
    const ranOut = viaNumbers.ranOut(...window);
    expect(ranOut.map((r) => r.lastUse)).toEqual([
      {
        time: new Date('2026-11-20T09:59:00Z'),
        principal: '09:59',
        sourceIp: '203.0.113.9',
        userAgent: 'aws-cli/2.15.0',
        eventSource: 's3.amazonaws.com',
      },
    ]);
    expect(viaDates.ranOut(...window)).toEqual(ranOut);
  });
});
