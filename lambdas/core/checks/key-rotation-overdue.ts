import { maxKeyAgeDaysFor } from '../config.js';
import type { CheckHit, CredentialCheck } from './check.js';
import { activeKeys, ageInDays, day, days, describeLastUse, keyTitle, olderThan } from './check.js';

const SEVERITY = 'medium' as const;
/** Past twice the limit a key has missed a whole rotation cycle. */
const ESCALATED = 'high' as const;

/**
 * `key-rotation-overdue`: an active key older than the rotation limit; `high` when older than
 * twice the limit. Users without a console password get `machineMaxKeyAgeDays` when it is set.
 */
export const keyRotationOverdue: CredentialCheck = {
  id: 'key-rotation-overdue',
  severity: SEVERITY,
  evaluate(principal, { config, now }): CheckHit[] {
    if (principal.type !== 'IAMUser') return [];
    const human = principal.passwordEnabled === true;
    const limit = maxKeyAgeDaysFor(config, human);
    return activeKeys(principal).flatMap((key): CheckHit[] => {
      const created = key.createdAt;
      if (!created || !olderThan(created, now, limit)) return [];
      const age = ageInDays(created, now);
      const whose = human ? 'users with a console password' : 'users without a console password';
      return [
        {
          principal,
          key,
          severity: olderThan(created, now, 2 * limit) ? ESCALATED : SEVERITY,
          title: `${keyTitle(key)} of ${principal.name} is ${age} days old (limit ${limit})`,
          detail: `Created ${day(created)}, ${days(age - limit)} past the ${limit}-day rotation limit for ${whose}; ${describeLastUse(key)}.`,
        },
      ];
    });
  },
};
