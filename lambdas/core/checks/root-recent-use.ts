import type { AccessKeyRecord } from '../inventory.js';
import type { CheckHit, CredentialCheck } from './check.js';
import { ageInDays, day, days, keyLabel, NO_HITS, olderThan } from './check.js';

interface RootUse {
  readonly at: Date;
  readonly how: string;
}

const SEVERITY = 'high' as const;

/**
 * `root-recent-use`: root used within `rootRecentUseDays`, by password or either access key.
 * The latest of the three dates decides (Prowler's `elif` chain looks at the password date only
 * and misses a key used yesterday after an old sign-in).
 */
export const rootRecentUse: CredentialCheck = {
  id: 'root-recent-use',
  severity: SEVERITY,
  evaluate(principal, { config, now }): readonly CheckHit[] {
    if (principal.type !== 'Root') return NO_HITS;
    const uses: RootUse[] = [];
    const password = principal.passwordLastUsed.value;
    if (principal.passwordLastUsed.state === 'date' && password) {
      uses.push({ at: password, how: 'its console password' });
    }
    for (const key of principal.accessKeys) {
      const used = lastUseOf(key);
      if (used)
        uses.push({ at: used, how: `access key ${key.id === null ? key.slot : keyLabel(key)}` });
    }
    const latest = uses.reduce<RootUse | null>(
      (best, use) => (best === null || use.at > best.at ? use : best),
      null,
    );
    const limit = config.thresholds.rootRecentUseDays;
    if (!latest || olderThan(latest.at, now, limit)) return NO_HITS;
    const ago = ageInDays(latest.at, now);
    const others = uses
      .filter((use) => use !== latest)
      .map((use) => `${use.how.replace(/^its /, '')} last used ${day(use.at)}`);
    return [
      {
        principal,
        key: null,
        severity: SEVERITY,
        title: `The root user was used ${ago === 0 ? 'today' : `${days(ago)} ago`} with ${latest.how}`,
        detail: `Root was last used on ${day(latest.at)} with ${latest.how}, within the ${limit}-day limit${
          others.length > 0 ? `; also ${others.join(', ')}` : ''
        }.`,
      },
    ];
  },
};

function lastUseOf(key: AccessKeyRecord): Date | null {
  return key.lastUsed.state === 'date' ? key.lastUsed.value : null;
}
