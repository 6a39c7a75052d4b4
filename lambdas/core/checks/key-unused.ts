import type { CheckHit, CredentialCheck } from './check.js';
import { activeKeys, ageInDays, day, days, keyTitle, olderThan } from './check.js';

const SEVERITY = 'medium' as const;

/**
 * `key-unused`: an active key not used for `keyUnusedDays`. A never-used key (`N/A`) counts once
 * it is older than `newKeyGraceDays` (default `keyUnusedDays`), whether or not its user has a
 * console password. `no_information` means the last use predates IAM's tracking (2015), so
 * the key counts as unused. A last-use value that could not be read (`ERROR`) is not judged.
 */
export const keyUnused: CredentialCheck = {
  id: 'key-unused',
  severity: SEVERITY,
  evaluate(principal, { config, now }): CheckHit[] {
    if (principal.type !== 'IAMUser') return [];
    const limit = config.thresholds.keyUnusedDays;
    const grace = config.thresholds.newKeyGraceDays ?? limit;
    return activeKeys(principal).flatMap((key): CheckHit[] => {
      const base = { principal, key, severity: SEVERITY } as const;
      const created = key.createdAt;
      const createdText = created ? `created ${day(created)}` : 'creation date unknown';
      switch (key.lastUsed.state) {
        case 'date': {
          const used = key.lastUsed.value;
          if (!used || !olderThan(used, now, limit)) return [];
          const idle = ageInDays(used, now);
          const where = [key.lastUsedService, key.lastUsedRegion].filter((p) => p !== null);
          return [
            {
              ...base,
              title: `${keyTitle(key)} of ${principal.name} has not been used for ${idle} days (limit ${limit})`,
              detail: `Last used ${day(used)}${where.length > 0 ? ` by ${where.join(' in ')}` : ''}, ${createdText}; active keys unused for more than ${days(limit)} should be removed.`,
            },
          ];
        }
        case 'never': {
          if (!created || !olderThan(created, now, grace)) return [];
          const age = ageInDays(created, now);
          return [
            {
              ...base,
              title: `${keyTitle(key)} of ${principal.name} has never been used in ${age} days (limit ${grace})`,
              detail: `Created ${day(created)} and never used since; new keys get ${days(grace)} before they count as unused.`,
            },
          ];
        }
        case 'no_information':
          return [
            {
              ...base,
              title: `${keyTitle(key)} of ${principal.name} has not been used since before 2015`,
              detail: `IAM reports no_information for its last use: it was last used before IAM began tracking key use in April 2015 (${createdText}).`,
            },
          ];
        default:
          return [];
      }
    });
  },
};
