import type { CheckHit, CredentialCheck } from './check.js';
import { day, keyTitle, NO_HITS, withHit } from './check.js';

const SEVERITY = 'low' as const;

/**
 * A key created this close to its user was set up with the user (the console's create-user
 * wizard or a provisioning script), not asked for later by someone who needed it.
 */
export const KEY_CREATED_WITH_USER_TOLERANCE_MS = 10 * 60_000;

/**
 * `key-created-with-user` (CIS 1.11): a console user (password enabled) whose active key was
 * created within 10 minutes of the user and has never been used.
 */
export const keyCreatedWithUser: CredentialCheck = {
  id: 'key-created-with-user',
  severity: SEVERITY,
  evaluate(principal): readonly CheckHit[] {
    const userCreated = principal.createdAt;
    if (principal.type !== 'IAMUser' || principal.passwordEnabled !== true || !userCreated) {
      return NO_HITS;
    }
    let hits: CheckHit[] | null = null;
    for (const key of principal.accessKeys) {
      const created = key.createdAt;
      if (key.status !== 'Active' || !created || key.lastUsed.state !== 'never') continue;
      const gap = created.getTime() - userCreated.getTime();
      if (Math.abs(gap) > KEY_CREATED_WITH_USER_TOLERANCE_MS) continue;
      hits = withHit(hits, {
        principal,
        key,
        severity: SEVERITY,
        title: `${keyTitle(key)} of console user ${principal.name} was created with the user and never used`,
        detail: `The user was created ${day(userCreated)} and the key ${Math.round(Math.abs(gap) / 1000)} s ${gap < 0 ? 'before' : 'after'}; it has never been used, so the person probably does not need it.`,
      });
    }
    return hits ?? NO_HITS;
  },
};
