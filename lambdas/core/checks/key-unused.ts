import type { AccessKeyRecord, PrincipalRecord } from '../inventory.js';
import type { CheckHit, CredentialCheck } from './check.js';
import { ageInDays, day, days, keyTitle, NO_HITS, olderThan, withHit } from './check.js';

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
  evaluate(principal, { config, now }): readonly CheckHit[] {
    if (principal.type !== 'IAMUser' || principal.accessKeys.length === 0) return NO_HITS;
    const limit = config.thresholds.keyUnusedDays;
    const grace = config.thresholds.newKeyGraceDays ?? limit;
    let hits: CheckHit[] | null = null;
    for (const key of principal.accessKeys) {
      if (key.status !== 'Active') continue;
      const hit = unusedKeyHit(principal, key, limit, grace, now);
      if (hit) hits = withHit(hits, hit);
    }
    return hits ?? NO_HITS;
  },
};

function unusedKeyHit(
  principal: PrincipalRecord,
  key: AccessKeyRecord,
  limit: number,
  grace: number,
  now: Date,
): CheckHit | null {
  const created = key.createdAt;
  switch (key.lastUsed.state) {
    case 'date': {
      const used = key.lastUsed.value;
      if (!used || !olderThan(used, now, limit)) return null;
      const idle = ageInDays(used, now);
      const where = [key.lastUsedService, key.lastUsedRegion].filter((p) => p !== null);
      return {
        principal,
        key,
        severity: SEVERITY,
        title: `${keyTitle(key)} of ${principal.name} has not been used for ${idle} days (limit ${limit})`,
        detail: `Last used ${day(used)}${where.length > 0 ? ` by ${where.join(' in ')}` : ''}, ${createdText(created)}; active keys unused for more than ${days(limit)} should be removed.`,
      };
    }
    case 'never': {
      if (!created || !olderThan(created, now, grace)) return null;
      const age = ageInDays(created, now);
      return {
        principal,
        key,
        severity: SEVERITY,
        title: `${keyTitle(key)} of ${principal.name} has never been used in ${age} days (limit ${grace})`,
        detail: `Created ${day(created)} and never used since; new keys get ${days(grace)} before they count as unused.`,
      };
    }
    case 'no_information':
      return {
        principal,
        key,
        severity: SEVERITY,
        title: `${keyTitle(key)} of ${principal.name} has not been used since before 2015`,
        detail: `IAM reports no_information for its last use: it was last used before IAM began tracking key use in April 2015 (${createdText(created)}).`,
      };
    default:
      return null;
  }
}

function createdText(created: Date | null): string {
  return created ? `created ${day(created)}` : 'creation date unknown';
}
