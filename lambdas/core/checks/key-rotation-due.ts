import { maxKeyAgeDaysFor } from '../config.js';
import { DAY_MS } from '../time.js';
import type { CheckHit, CredentialCheck } from './check.js';
import { activeKeys, ageInDays, day, days, describeLastUse, keyTitle, olderThan } from './check.js';

const SEVERITY = 'low' as const;

/**
 * `key-rotation-due`: an active key in the reminder window, older than the rotation limit minus
 * `reminderLeadDays` and not yet past the limit (then `key-rotation-overdue` takes over).
 * With `reminderLeadDays: 0` there is no reminder window.
 */
export const keyRotationDue: CredentialCheck = {
  id: 'key-rotation-due',
  severity: SEVERITY,
  evaluate(principal, { config, now }): CheckHit[] {
    if (principal.type !== 'IAMUser') return [];
    const limit = maxKeyAgeDaysFor(config, principal.passwordEnabled === true);
    const lead = config.thresholds.reminderLeadDays;
    if (lead <= 0) return [];
    const start = Math.max(0, limit - lead);
    return activeKeys(principal).flatMap((key): CheckHit[] => {
      const created = key.createdAt;
      if (!created || !olderThan(created, now, start) || olderThan(created, now, limit)) return [];
      const dueAt = new Date(created.getTime() + limit * DAY_MS);
      const left = Math.max(0, Math.ceil((dueAt.getTime() - now.getTime()) / DAY_MS));
      return [
        {
          principal,
          key,
          severity: SEVERITY,
          title: `${keyTitle(key)} of ${principal.name} is due for rotation ${left === 0 ? 'today' : `in ${days(left)}`} (limit ${limit})`,
          detail: `Created ${day(created)} (${days(ageInDays(created, now))} ago), it reaches the ${limit}-day rotation limit on ${day(dueAt)}; ${describeLastUse(key)}.`,
        },
      ];
    });
  },
};
