import { claimState, leaseUntil } from './claim-lease.js';
import { stableId } from './ids.js';
import type { Finding } from './report.js';
import { DAY_MS } from './time.js';

/** Rungs before the weekly overdue ones: due, week-before, day-of. */
const DAY_OF_RUNG = 3;

/**
 * What a reminder says about where the key stands; `weekly` for findings outside the rotation
 * ladder (an unused key, root without MFA…), repeated every week while they last.
 */
export type ReminderStage = 'due' | 'week-before' | 'day-of' | 'overdue' | 'weekly';

/** Every reminder stage. */
export const REMINDER_STAGES: readonly ReminderStage[] = [
  'due',
  'week-before',
  'day-of',
  'overdue',
  'weekly',
];

/**
 * One rung of the reminder ladder. Rungs are numbered so that "further along" is "higher":
 * 1 due, 2 one week before the limit, 3 the day of the limit, 4 one week overdue, 5 two weeks…
 */
export interface ReminderRung {
  readonly rung: number;
  readonly stage: ReminderStage;
  /** For `overdue`: whole weeks past the limit (1, 2, …); 0 otherwise. */
  readonly weeksOverdue: number;
  /** The instant this rung was reached. */
  readonly reachedAt: Date;
}

/** The key's rotation timetable. */
export interface ReminderLadderInput {
  /** When the access key was created. */
  readonly createdAt: Date;
  /** The key's rotation limit in days (maxKeyAgeDays, or machineMaxKeyAgeDays for machines). */
  readonly limitDays: number;
  /** The first reminder goes out this many days before the limit; 0 means no early reminder. */
  readonly leadDays: number;
}

/** What the ledger remembers about one key's reminders. */
export interface ReminderRecord {
  /** {@link reminderKey} of the key. */
  readonly key: string;
  /** The highest rung already sent. */
  readonly rung: number;
  readonly stage: ReminderStage;
  /** When that reminder was sent (ISO-8601). */
  readonly sentAt: string;
  /**
   * Set while the reminder is claimed but not yet confirmed as published: the claim's lease end
   * (ISO-8601). A claim past its lease was never sent (its run died) and is sent again.
   */
  readonly pendingUntil?: string;
}

/** The outcome for one key in one scan. */
export type ReminderDecision =
  | { readonly send: false; readonly reason: 'not-due' | 'already-sent' }
  | { readonly send: true; readonly reminder: ReminderRung; readonly previousRung: number };

/**
 * The highest rung of the ladder the key has reached at `now`, or undefined before the first.
 * Rungs: `due` at limit − lead days; `week-before` at limit − 7 days (only when that is after
 * `due`); `day-of` at the limit; then `overdue` every 7 days past it.
 *
 * @example
 * reminderRungAt({ createdAt: new Date('2026-08-01T00:00:00Z'), limitDays: 90, leadDays: 14 },
 *   new Date('2026-10-24T00:00:00Z'))  // { rung: 2, stage: 'week-before', … } (84 days old)
 */
export function reminderRungAt(input: ReminderLadderInput, now: Date): ReminderRung | undefined {
  const { createdAt, limitDays, leadDays } = input;
  const at = (days: number): Date => new Date(createdAt.getTime() + days * DAY_MS);
  const elapsedMs = now.getTime() - createdAt.getTime();
  const limitMs = limitDays * DAY_MS;

  if (elapsedMs >= limitMs) {
    const weeks = Math.floor((elapsedMs - limitMs) / (7 * DAY_MS));
    return weeks === 0
      ? { rung: DAY_OF_RUNG, stage: 'day-of', weeksOverdue: 0, reachedAt: at(limitDays) }
      : {
          rung: DAY_OF_RUNG + weeks,
          stage: 'overdue',
          weeksOverdue: weeks,
          reachedAt: at(limitDays + 7 * weeks),
        };
  }
  const weekBefore = Math.max(0, limitDays - 7);
  const due = Math.max(0, limitDays - leadDays);
  if (leadDays > 7 && elapsedMs >= weekBefore * DAY_MS) {
    return { rung: 2, stage: 'week-before', weeksOverdue: 0, reachedAt: at(weekBefore) };
  }
  if (leadDays > 0 && elapsedMs >= due * DAY_MS) {
    return { rung: 1, stage: 'due', weeksOverdue: 0, reachedAt: at(due) };
  }
  return undefined;
}

/**
 * Whether to send a reminder for this key now. Decided by the rung reached, not by the day:
 * a scan that missed days still sends the reminder it owes (once, for the highest rung), and a
 * scan repeated on the same day sends nothing because the ledger already holds that rung.
 */
export function decideReminder(
  input: ReminderLadderInput,
  now: Date,
  previous: ReminderRecord | undefined,
): ReminderDecision {
  const reached = reminderRungAt(input, now);
  if (reached === undefined) return { send: false, reason: 'not-due' };
  const state = claimState(previous?.pendingUntil, now);
  if (state === 'pending') return { send: false, reason: 'already-sent' };
  // An expired claim's rung never went out: only the rungs below it count as sent.
  const previousRung = (previous?.rung ?? 0) - (state === 'expired' ? 1 : 0);
  if (reached.rung <= previousRung) return { send: false, reason: 'already-sent' };
  return { send: true, reminder: reached, previousRung };
}

/**
 * For a finding outside the rotation ladder: send the first time it is seen, then again each
 * time a full week has passed since the last reminder. Idempotent like {@link decideReminder}:
 * a second scan the same day finds the week not yet over.
 */
export function decideWeeklyReminder(
  now: Date,
  previous: ReminderRecord | undefined,
): ReminderDecision {
  if (previous === undefined) {
    return {
      send: true,
      previousRung: 0,
      reminder: { rung: 1, stage: 'weekly', weeksOverdue: 0, reachedAt: now },
    };
  }
  const state = claimState(previous.pendingUntil, now);
  if (state === 'pending') return { send: false, reason: 'already-sent' };
  if (state === 'expired') {
    return {
      send: true,
      previousRung: previous.rung - 1,
      reminder: { rung: previous.rung, stage: 'weekly', weeksOverdue: 0, reachedAt: now },
    };
  }
  const sentAt = Date.parse(previous.sentAt);
  if (Number.isNaN(sentAt) || now.getTime() - sentAt < 7 * DAY_MS)
    return { send: false, reason: 'already-sent' };
  return {
    send: true,
    previousRung: previous.rung,
    reminder: { rung: previous.rung + 1, stage: 'weekly', weeksOverdue: 0, reachedAt: now },
  };
}

/** The ledger key of a finding outside the rotation ladder: its deterministic id. */
export function weeklyReminderKey(finding: Finding): string {
  return `f#${finding.id}`;
}

/**
 * The ledger key of an access key: the same key keeps it from `due` through `overdue`
 * (the two checks give different finding ids), and a new key after rotation gets a new one.
 * Null for a finding without a dated access key.
 */
export function reminderKey(finding: Finding, accountId: string | null): string | null {
  const key = finding.accessKey;
  if (key === null || key.createdAt === null) return null;
  return stableId(
    'r',
    accountId,
    finding.principal.arn ?? finding.principal.name,
    key.id ?? `slot-${key.slot}`,
    key.createdAt,
  );
}

/**
 * The ledger record that claims `reminder` at `sentAt`: pending for the claim lease, until the
 * run confirms it after publishing.
 */
export function reminderRecordAfter(
  key: string,
  reminder: ReminderRung,
  sentAt: Date,
): ReminderRecord {
  return {
    key,
    rung: reminder.rung,
    stage: reminder.stage,
    sentAt: sentAt.toISOString(),
    pendingUntil: leaseUntil(sentAt),
  };
}
