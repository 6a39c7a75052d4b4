import { createRandom } from './random.js';

/**
 * A synthetic IAM account of `users` users for the scan-cost and credential-report benchmarks:
 * the credential report AWS would write for it, and each user's access keys and tags. Seeded.
 * Mix: 60 % of users have one key, 15 % two (the second often inactive), the rest none; 55 %
 * have a console password (90 % of them with MFA); 70 % of keys younger than 80 days, 20 % up to
 * 200 days, 10 % up to three years; 90 % of keys used in the last 30 days. A fairly well-kept
 * account still gets findings: about one for every two users.
 */
export interface SyntheticKey {
  readonly id: string;
  readonly active: boolean;
  readonly created: Date;
  readonly lastUsed: Date | null;
}

export interface SyntheticUser {
  readonly name: string;
  readonly arn: string;
  readonly created: Date;
  readonly keys: readonly SyntheticKey[];
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
}

export interface SyntheticAccount {
  readonly accountId: string;
  readonly users: readonly SyntheticUser[];
  readonly csv: string;
}

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const DAY = 86_400_000;

function iso(date: Date | null): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, '+00:00') : 'N/A';
}

/**
 * `usedUntil` (default `now`) gives the same account on a later day, for a run of daily scans:
 * the same users and keys, created at the same times, and the keys and passwords in use used as
 * recently before `usedUntil` as they were before `now` (people keep using them; nobody rotates).
 */
export function createSyntheticAccount(
  users: number,
  seed: number,
  now: Date,
  usedUntil: Date = now,
): SyntheticAccount {
  const random = createRandom(seed);
  const accountId = '111122223333';
  const list: SyntheticUser[] = [];
  const rows = [
    `<root_account>,arn:aws:iam::${accountId}:root,2016-02-11T18:27:05+00:00,not_supported,2026-08-12T17:03:55+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ];
  for (let i = 0; i < users; i += 1) {
    const name = `user-${String(i).padStart(6, '0')}-${random.token(4).toLowerCase()}`;
    const arn = `arn:aws:iam::${accountId}:user/${name}`;
    const created = new Date(now.getTime() - random.int(30, 2_000) * DAY);
    const roll = random.next();
    const keyCount = roll < 0.6 ? 1 : roll < 0.75 ? 2 : 0;
    const keys: SyntheticKey[] = [];
    for (let k = 0; k < keyCount; k += 1) {
      const age = random.next();
      const days =
        age < 0.7 ? random.int(1, 80) : age < 0.9 ? random.int(80, 200) : random.int(200, 1_100);
      const keyCreated = new Date(now.getTime() - days * DAY);
      const used = random.next() < 0.9;
      keys.push({
        id: `AKIAEXAMPLE${random.token(9)}`,
        active: k === 0 || random.next() < 0.5,
        created: keyCreated,
        lastUsed: used
          ? new Date(usedUntil.getTime() - random.int(0, Math.min(30, days)) * DAY)
          : null,
      });
    }
    const console = random.next() < 0.55;
    const tags =
      random.next() < 0.7 ? [{ Key: 'owner', Value: `team-${random.int(1, 40)}@example.com` }] : [];
    list.push({ name, arn, created, keys, tags });
    const slot = (key: SyntheticKey | undefined) =>
      key
        ? `${key.active},${iso(key.created)},${iso(key.lastUsed)},${key.lastUsed ? 'us-east-1' : 'N/A'},${key.lastUsed ? 's3' : 'N/A'}`
        : 'false,N/A,N/A,N/A,N/A';
    const password = console
      ? `true,${iso(new Date(usedUntil.getTime() - random.int(0, 40) * DAY))},${iso(new Date(now.getTime() - random.int(0, 400) * DAY))},N/A,${random.next() < 0.9}`
      : 'false,N/A,N/A,N/A,false';
    rows.push(
      `${name},${arn},${iso(created)},${password},${slot(keys[0])},${slot(keys[1])},false,N/A,false,N/A`,
    );
  }
  return { accountId, users: list, csv: `${HEADER}\n${rows.join('\n')}\n` };
}
