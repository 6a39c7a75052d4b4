import type { CheckHit, CredentialCheck } from './check.js';
import { activeKeys, ageInDays, day, describeLastUse, keyLabel, NO_HITS } from './check.js';

const SEVERITY = 'critical' as const;

/** `root-access-key`: one finding per active access key of the root user. */
export const rootAccessKey: CredentialCheck = {
  id: 'root-access-key',
  severity: SEVERITY,
  evaluate(principal, { now }): readonly CheckHit[] {
    if (principal.type !== 'Root') return NO_HITS;
    return activeKeys(principal).map((key) => {
      const created = key.createdAt
        ? `created ${day(key.createdAt)} (${ageInDays(key.createdAt, now)} days ago), `
        : '';
      return {
        principal,
        key,
        severity: SEVERITY,
        title: `The root user has an active access key (${keyLabel(key)})`,
        detail: `Root access key ${key.slot} is active, ${created}${describeLastUse(key)}. A root key cannot be limited by any policy.`,
      };
    });
  },
};
