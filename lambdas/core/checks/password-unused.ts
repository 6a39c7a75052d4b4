import type { CheckHit, CredentialCheck } from './check.js';
import { ageInDays, day, days, NO_HITS, olderThan } from './check.js';

const SEVERITY = 'medium' as const;

/**
 * `password-unused`: a console password not used for `passwordUnusedDays`. A password never used
 * counts once it was set (password_last_changed, else the user's creation) longer ago than that.
 * `no_information` means the last sign-in predates IAM's tracking (October 2014): unused.
 * Root is left out: a root password that is never used is what we want.
 */
export const passwordUnused: CredentialCheck = {
  id: 'password-unused',
  severity: SEVERITY,
  evaluate(principal, { config, now }): readonly CheckHit[] {
    if (principal.type !== 'IAMUser' || principal.passwordEnabled !== true) return NO_HITS;
    const limit = config.thresholds.passwordUnusedDays;
    const used = principal.passwordLastUsed;
    switch (used.state) {
      case 'date': {
        if (!used.value || !olderThan(used.value, now, limit)) return NO_HITS;
        return [
          {
            principal,
            key: null,
            severity: SEVERITY,
            title: `Console password of ${principal.name} has not been used for ${ageInDays(used.value, now)} days (limit ${limit})`,
            detail: `Last console sign-in ${day(used.value)}; passwords unused for more than ${days(limit)} should be removed.`,
          },
        ];
      }
      case 'never': {
        const changed = principal.passwordLastChanged;
        const set = changed.state === 'date' && changed.value ? changed.value : principal.createdAt;
        if (!set || !olderThan(set, now, limit)) return NO_HITS;
        return [
          {
            principal,
            key: null,
            severity: SEVERITY,
            title: `Console password of ${principal.name} has never been used in ${ageInDays(set, now)} days (limit ${limit})`,
            detail: `The password was set ${day(set)} and never used to sign in; passwords unused for more than ${days(limit)} should be removed.`,
          },
        ];
      }
      case 'no_information':
        return [
          {
            principal,
            key: null,
            severity: SEVERITY,
            title: `Console password of ${principal.name} has not been used since before October 2014`,
            detail:
              'IAM reports no_information for its last use: the last sign-in predates IAM tracking it.',
          },
        ];
      default:
        return NO_HITS;
    }
  },
};
