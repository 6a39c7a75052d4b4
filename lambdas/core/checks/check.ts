import type { AuditConfig } from '../config.js';
import type { AccessKeyRecord, PrincipalRecord, ReportDate } from '../inventory.js';
import { maskAccessKeyId } from '../mask.js';
import type { CheckId, Severity } from '../report.js';
import { DAY_MS, toIsoDay } from '../time.js';

/** What a check is given besides the principal: the policy and the instant of the audit. */
export interface CheckContext {
  readonly config: AuditConfig;
  readonly now: Date;
}

/**
 * One thing a check found, before ids, owners, exemptions, controls and remediation are added
 * (checks/index.ts does that the same way for every check).
 */
export interface CheckHit {
  readonly principal: PrincipalRecord;
  /** The key concerned; null for a finding about the principal or a signing certificate. */
  readonly key: AccessKeyRecord | null;
  /** The signing-certificate slot (`signing-cert-old`). */
  readonly certSlot?: 1 | 2;
  /** The other key, when the finding concerns two (`multiple-active-keys`). */
  readonly otherKey?: AccessKeyRecord;
  readonly severity: Severity;
  readonly title: string;
  readonly detail: string;
}

/**
 * A check: one rule over one principal, pure, in the shape of a cdk-nag rule.
 * `severity` is its default; a hit may raise it (an overdue key twice past the limit).
 */
export interface CredentialCheck {
  readonly id: CheckId;
  readonly severity: Severity;
  evaluate(principal: PrincipalRecord, context: CheckContext): readonly CheckHit[];
}

/**
 * What a check returns for a principal it has nothing to say about (most of them): one shared
 * empty list instead of a new one per principal and check.
 */
export const NO_HITS: readonly CheckHit[] = Object.freeze([]);

/** `hits` with `hit` added; the first hit starts a list of exactly one. */
export function withHit(hits: CheckHit[] | null, hit: CheckHit): CheckHit[] {
  if (hits === null) return [hit];
  hits.push(hit);
  return hits;
}

/**
 * True when more than `days` days have passed since `since`: exactly `days` days is still
 * within the limit, one millisecond more is past it.
 *
 * @example olderThan(new Date('2026-01-01T00:00:00Z'), new Date('2026-04-01T00:00:01Z'), 90) // true
 */
export function olderThan(since: Date, now: Date, days: number): boolean {
  return now.getTime() - since.getTime() > days * DAY_MS;
}

/** Whole days from `since` to `now`, never negative (a date after `now` is 0 days old). */
export function ageInDays(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

/** `2026-11-20`: the day part of a date, for details. */
export function day(date: Date): string {
  return toIsoDay(date);
}

/** `AKIA…MPLE` when the id is known, else `key 1`. */
export function keyLabel(key: AccessKeyRecord): string {
  return key.id === null ? `key ${key.slot}` : maskAccessKeyId(key.id);
}

/** `Access key AKIA…MPLE` or `Access key 1`, to start a title. */
export function keyTitle(key: AccessKeyRecord): string {
  return key.id === null ? `Access key ${key.slot}` : `Access key ${maskAccessKeyId(key.id)}`;
}

/** How a principal is named in titles: root is "the root user". */
export function principalLabel(principal: PrincipalRecord): string {
  return principal.type === 'Root' ? 'the root user' : principal.name;
}

/** The last use of a key, in words, for details. */
export function describeLastUse(key: AccessKeyRecord): string {
  if (key.lastUsed.state !== 'date') return describeDate(key.lastUsed, 'never used');
  const service = key.lastUsedService ? ` by ${key.lastUsedService}` : '';
  const region = key.lastUsedRegion ? ` in ${key.lastUsedRegion}` : '';
  return `${describeDate(key.lastUsed, 'never used')}${service}${region}`;
}

/** A report date in words: `last used 2026-10-01`, `never used`, `not known`. */
export function describeDate(date: ReportDate, never: string): string {
  switch (date.state) {
    case 'date':
      return date.value ? `last used ${day(date.value)}` : 'last use not known';
    case 'never':
      return never;
    case 'no_information':
      return 'last used before IAM began tracking use';
    default:
      return 'last use not known';
  }
}

/** The active keys of a principal. */
export function activeKeys(principal: PrincipalRecord): AccessKeyRecord[] {
  return principal.accessKeys.filter((key) => key.status === 'Active');
}

/** `1 day`, `12 days`. */
export function days(count: number): string {
  return `${count} day${count === 1 ? '' : 's'}`;
}
