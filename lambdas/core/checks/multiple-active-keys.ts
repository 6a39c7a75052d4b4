import type { AccessKeyRecord } from '../inventory.js';
import type { CheckHit, CredentialCheck } from './check.js';
import { activeKeys, day, describeLastUse, keyLabel, NO_HITS } from './check.js';

const SEVERITY = 'low' as const;

/**
 * `multiple-active-keys`: a user with two active keys; one finding per user, attached to the
 * older key (the one to retire). A key whose creation time is unknown counts as the older.
 */
export const multipleActiveKeys: CredentialCheck = {
  id: 'multiple-active-keys',
  severity: SEVERITY,
  evaluate(principal): readonly CheckHit[] {
    if (principal.type !== 'IAMUser' || principal.accessKeys.length < 2) return NO_HITS;
    const [first, second] = activeKeys(principal);
    if (!first || !second) return NO_HITS;
    const [older, newer] = isOlder(second, first) ? [second, first] : [first, second];
    return [
      {
        principal,
        key: older,
        otherKey: newer,
        severity: SEVERITY,
        title: `${principal.name} has two active access keys; retire the older ${keyLabel(older)}`,
        detail: `Key ${older.slot} ${keyLabel(older)} (${created(older)}, ${describeLastUse(older)}) and key ${newer.slot} ${keyLabel(newer)} (${created(newer)}, ${describeLastUse(newer)}) are both active; one active key per user leaves the second slot free for rotation.`,
      },
    ];
  },
};

function isOlder(a: AccessKeyRecord, b: AccessKeyRecord): boolean {
  if (a.createdAt === null) return b.createdAt !== null;
  if (b.createdAt === null) return false;
  return a.createdAt.getTime() < b.createdAt.getTime();
}

function created(key: AccessKeyRecord): string {
  return key.createdAt ? `created ${day(key.createdAt)}` : 'creation date unknown';
}
