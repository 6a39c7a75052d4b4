import { maxKeyAgeDaysFor } from '../config.js';
import { DAY_MS } from '../time.js';
import type { CheckHit, CredentialCheck } from './check.js';
import {
  ageInDays,
  day,
  days,
  describeLastUse,
  keyTitle,
  NO_HITS,
  olderThan,
  withHit,
} from './check.js';

const SEVERITY = 'low' as const;

/**
 * `key-rotation-due`: an active key in the reminder window, older than the rotation limit minus
 * `reminderLeadDays` and not yet past the limit (then `key-rotation-overdue` takes over).
 * With `reminderLeadDays: 0` there is no reminder window.
 */
export const keyRotationDue: CredentialCheck = {
  id: 'key-rotation-due',
  severity: SEVERITY,
  evaluate(principal, { config, now }): readonly CheckHit[] {
    if (principal.type !== 'IAMUser' || principal.accessKeys.length === 0) return NO_HITS;
    const limit = maxKeyAgeDaysFor(config, principal.passwordEnabled === true);
    const lead = config.thresholds.reminderLeadDays;
    if (lead <= 0) return NO_HITS;
    const start = Math.max(0, limit - lead);
    let hits: CheckHit[] | null = null;
    for (const key of principal.accessKeys) {
      const created = key.createdAt;
      if (key.status !== 'Active' || !created) continue;
      if (!olderThan(created, now, start) || olderThan(created, now, limit)) continue;
      const dueAt = new Date(created.getTime() + limit * DAY_MS);
      const left = Math.max(0, Math.ceil((dueAt.getTime() - now.getTime()) / DAY_MS));
      hits = withHit(hits, {
        principal,
        key,
        severity: SEVERITY,
        title: `${keyTitle(key)} of ${principal.name} is due for rotation ${left === 0 ? 'today' : `in ${days(left)}`} (limit ${limit})`,
        detail: `Created ${day(created)} (${days(ageInDays(created, now))} ago), it reaches the ${limit}-day rotation limit on ${day(dueAt)}; ${describeLastUse(key)}.`,
      });
    }
    return hits ?? NO_HITS;
  },
};
