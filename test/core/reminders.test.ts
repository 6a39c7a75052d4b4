import { describe, expect, it } from 'vitest';
import {
  decideReminder,
  decideWeeklyReminder,
  type ReminderRecord,
  reminderKey,
  reminderRecordAfter,
  reminderRungAt,
} from '../../lambdas/core/reminders.js';
import type { Finding } from '../../lambdas/core/report.js';

const DAY = 86_400_000;
const createdAt = new Date('2026-08-01T09:00:00Z');
const ladder = { createdAt, limitDays: 90, leadDays: 14 };
/** `days` after creation, plus `ms`. */
const age = (days: number, ms = 0): Date => new Date(createdAt.getTime() + days * DAY + ms);

describe('reminderRungAt', () => {
  it.each([
    [75, 0, undefined],
    [76, -1, undefined],
    [76, 0, 'due'],
    [82, 999, 'due'],
    [83, 0, 'week-before'],
    [89, 0, 'week-before'],
    [90, -1, 'week-before'],
    [90, 0, 'day-of'],
    [96, 0, 'day-of'],
    [97, 0, 'overdue'],
    [104, 0, 'overdue'],
  ])('at %i days (%i ms) is %s', (days, ms, stage) => {
    expect(reminderRungAt(ladder, age(days, ms))?.stage).toBe(stage);
  });

  it('numbers the weekly overdue rungs after the day of the limit', () => {
    expect(reminderRungAt(ladder, age(97))).toEqual({
      rung: 4,
      stage: 'overdue',
      weeksOverdue: 1,
      reachedAt: age(97),
    });
    expect(reminderRungAt(ladder, age(110))).toEqual({
      rung: 5,
      stage: 'overdue',
      weeksOverdue: 2,
      reachedAt: age(104),
    });
  });

  it('skips week-before when the lead is a week or less, and due when there is no lead', () => {
    expect(reminderRungAt({ ...ladder, leadDays: 7 }, age(83))?.stage).toBe('due');
    expect(reminderRungAt({ ...ladder, leadDays: 5 }, age(84))).toBeUndefined();
    expect(reminderRungAt({ ...ladder, leadDays: 5 }, age(85))?.stage).toBe('due');
    expect(reminderRungAt({ ...ladder, leadDays: 0 }, age(89))).toBeUndefined();
    expect(reminderRungAt({ ...ladder, leadDays: 0 }, age(90))?.stage).toBe('day-of');
  });
});

describe('decideReminder', () => {
  const sent = (rung: number): ReminderRecord => ({
    key: 'r-1',
    rung,
    stage: 'due',
    sentAt: '2026-10-16T06:00:00.000Z',
  });

  it('sends the first reminder when the key becomes due', () => {
    expect(decideReminder(ladder, age(76), undefined)).toMatchObject({
      send: true,
      previousRung: 0,
      reminder: { stage: 'due' },
    });
  });

  it('sends nothing before the ladder starts', () => {
    expect(decideReminder(ladder, age(70), undefined)).toEqual({ send: false, reason: 'not-due' });
  });

  it('does not repeat a reminder on a second scan the same day, or any later day of the same rung', () => {
    expect(decideReminder(ladder, age(76, 3_600_000), sent(1))).toEqual({
      send: false,
      reason: 'already-sent',
    });
    expect(decideReminder(ladder, age(82), sent(1))).toEqual({
      send: false,
      reason: 'already-sent',
    });
  });

  it('sends the reminder it owes after missed runs, once, for the highest rung reached', () => {
    // The scans between day 76 and day 92 did not run: day-of is owed, not week-before.
    const decision = decideReminder(ladder, age(92), sent(1));
    expect(decision).toMatchObject({
      send: true,
      previousRung: 1,
      reminder: { stage: 'day-of', rung: 3 },
    });
    expect(decideReminder(ladder, age(92), sent(3))).toEqual({
      send: false,
      reason: 'already-sent',
    });
  });

  it('reminds weekly while overdue', () => {
    expect(decideReminder(ladder, age(97), sent(3))).toMatchObject({
      send: true,
      reminder: { rung: 4 },
    });
    expect(decideReminder(ladder, age(103), sent(4))).toEqual({
      send: false,
      reason: 'already-sent',
    });
    expect(decideReminder(ladder, age(104), sent(4))).toMatchObject({
      send: true,
      reminder: { rung: 5, weeksOverdue: 2 },
    });
  });

  it('holds a claimed rung while its lease runs, and sends it again once the lease ran out', () => {
    // Prepare: rung 3 claimed at day 92 by a scan that has not confirmed it.
    const claimed = { ...sent(3), pendingUntil: age(92, 20 * 60_000).toISOString() };

    // Act
    const within = decideReminder(ladder, age(92, 20 * 60_000 - 1), claimed);
    const after = decideReminder(ladder, age(92, 20 * 60_000), claimed);

    // Assess
    expect(within).toEqual({ send: false, reason: 'already-sent' });
    expect(after).toMatchObject({ send: true, previousRung: 2, reminder: { rung: 3 } });
  });

  it('does not go back down when the limit is raised', () => {
    expect(decideReminder({ ...ladder, limitDays: 180 }, age(97), sent(4))).toEqual({
      send: false,
      reason: 'not-due',
    });
  });
});

describe('reminderKey', () => {
  const finding = (
    check: 'key-rotation-due' | 'key-rotation-overdue',
    keyId: string | null,
    created: string | null,
  ): Finding => ({
    id: `f-${check}`,
    check,
    severity: 'low',
    title: 't',
    detail: 'd',
    principal: { type: 'IAMUser', name: 'ci-bot', arn: 'arn:aws:iam::123456789012:user/ci-bot' },
    accessKey: {
      slot: 1,
      id: keyId,
      maskedId: 'AKIA…MPLE',
      status: 'Active',
      createdAt: created,
      lastUsedAt: null,
      lastUsedRegion: null,
      lastUsedService: null,
      ageDays: 80,
    },
    owner: null,
    controls: [],
    remediation: [],
  });

  it('is the same for the due and overdue findings of one key', () => {
    const due = reminderKey(
      finding('key-rotation-due', 'AKIAIOSFODNN7EXAMPLE', '2026-08-01T09:00:00Z'),
      '123456789012',
    );
    const overdue = reminderKey(
      finding('key-rotation-overdue', 'AKIAIOSFODNN7EXAMPLE', '2026-08-01T09:00:00Z'),
      '123456789012',
    );
    expect(due).toMatch(/^r-[0-9a-f]{16}$/);
    expect(overdue).toBe(due);
  });

  it('changes when the key is replaced, and is null without a creation date', () => {
    const before = reminderKey(
      finding('key-rotation-due', 'AKIAIOSFODNN7EXAMPLE', '2026-08-01T09:00:00Z'),
      '123456789012',
    );
    const after = reminderKey(
      finding('key-rotation-due', 'AKIAI44QH8DHBEXAMPLE', '2026-11-01T09:00:00Z'),
      '123456789012',
    );
    expect(after).not.toBe(before);
    expect(reminderKey(finding('key-rotation-due', null, null), '123456789012')).toBeNull();
  });

  it('records the rung sent', () => {
    const rung = reminderRungAt(ladder, age(90));
    if (rung === undefined) throw new Error('expected a rung');
    expect(reminderRecordAfter('r-1', rung, new Date('2026-10-30T06:00:00Z'))).toEqual({
      key: 'r-1',
      rung: 3,
      stage: 'day-of',
      sentAt: '2026-10-30T06:00:00.000Z',
      pendingUntil: '2026-10-30T06:20:00.000Z',
    });
  });
});

describe('decideWeeklyReminder', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  const weekly = (over: Partial<ReminderRecord> = {}): ReminderRecord => ({
    key: 'f#1',
    rung: 2,
    stage: 'weekly',
    sentAt: '2026-11-20T11:50:00.000Z',
    ...over,
  });

  it('holds a claim within its lease and sends the same rung again after it', () => {
    expect(decideWeeklyReminder(now, weekly({ pendingUntil: '2026-11-20T12:00:00.001Z' }))).toEqual(
      { send: false, reason: 'already-sent' },
    );
    expect(
      decideWeeklyReminder(now, weekly({ pendingUntil: '2026-11-20T12:00:00.000Z' })),
    ).toMatchObject({ send: true, previousRung: 1, reminder: { rung: 2, stage: 'weekly' } });
    expect(decideWeeklyReminder(now, weekly())).toEqual({ send: false, reason: 'already-sent' });
  });
});
