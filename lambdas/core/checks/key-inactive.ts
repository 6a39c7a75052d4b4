import type { CheckHit, CredentialCheck } from './check.js';
import {
  ageInDays,
  day,
  days,
  keyTitle,
  NO_HITS,
  olderThan,
  principalLabel,
  withHit,
} from './check.js';

const SEVERITY = 'low' as const;

/**
 * `key-inactive`: an inactive key still present `inactiveKeyDays` after the later of its last use
 * and its creation (the report does not say when it was deactivated). Applies to root too:
 * `root-access-key` covers only active root keys. A slot without a creation time holds no key.
 */
export const keyInactive: CredentialCheck = {
  id: 'key-inactive',
  severity: SEVERITY,
  evaluate(principal, { config, now }): readonly CheckHit[] {
    const limit = config.thresholds.inactiveKeyDays;
    let hits: CheckHit[] | null = null;
    for (const key of principal.accessKeys) {
      const created = key.createdAt;
      if (key.status !== 'Inactive' || !created) continue;
      const used = key.lastUsed.state === 'date' ? key.lastUsed.value : null;
      const since = used && used > created ? used : created;
      if (!olderThan(since, now, limit)) continue;
      const fromUse = since === used;
      const what = fromUse
        ? `last used ${day(since)}`
        : `created ${day(since)} with no later use recorded`;
      hits = withHit(hits, {
        principal,
        key,
        severity: SEVERITY,
        title: `${keyTitle(key)} of ${principalLabel(principal)} is inactive but still present ${ageInDays(since, now)} days after its ${fromUse ? 'last use' : 'creation'}`,
        detail: `The key is inactive and was ${what}; inactive keys are deleted after ${days(limit)}, because anyone allowed to call iam:UpdateAccessKey can turn one back on.`,
      });
    }
    return hits ?? NO_HITS;
  },
};
