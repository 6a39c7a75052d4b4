import { maxKeyAgeDaysFor } from '../config.js';
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
  evaluate(principal, { config, now }): readonly CheckHit[] {
    if (principal.type !== 'IAMUser' || principal.accessKeys.length === 0) return NO_HITS;
    const human = principal.passwordEnabled === true;
    const limit = maxKeyAgeDaysFor(config, human);
    let hits: CheckHit[] | null = null;
    for (const key of principal.accessKeys) {
      const created = key.createdAt;
      if (key.status !== 'Active' || !created || !olderThan(created, now, limit)) continue;
      const age = ageInDays(created, now);
      const whose = human ? 'users with a console password' : 'users without a console password';
      hits = withHit(hits, {
        principal,
        key,
        severity: olderThan(created, now, 2 * limit) ? ESCALATED : SEVERITY,
        title: `${keyTitle(key)} of ${principal.name} is ${age} days old (limit ${limit})`,
        detail: `Created ${day(created)}, ${days(age - limit)} past the ${limit}-day rotation limit for ${whose}; ${describeLastUse(key)}.`,
      });
    }
    return hits ?? NO_HITS;
  },
};
