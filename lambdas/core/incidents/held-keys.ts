/**
 * Which access keys a user held at a given instant, from what the inventory and the CloudTrail
 * key lifecycle tell about each key. AWS quarantines a user, not a key: the keys that may have
 * been exposed are the ones the user held when the quarantine policy was attached, not the
 * replacement created afterwards.
 */

/** What is known of one key of a user. */
export interface KeyHistory {
  readonly accessKeyId: string;
  /** From the inventory (credential report, ListAccessKeys) or a CreateAccessKey record. */
  readonly createdAt: Date | null;
  /** From a DeleteAccessKey record (the earliest one, should there be several). */
  readonly deletedAt: Date | null;
  /** Listed in the inventory, so it still exists as of the inventory. */
  readonly inInventory: boolean;
  /** Times a lifecycle call (deactivation, reactivation) shows the key existing. */
  readonly seenAt: readonly Date[];
}

/**
 * True when the key existed at `time`: created at or before it and not deleted before it.
 * When its creation time is unknown, it counts only if it is known to exist at or after `time`
 * (still in the inventory, or touched by a lifecycle call then): a key created after `time`
 * would have left its CreateAccessKey in the same trail and so would have a creation time.
 */
export function existedAt(key: KeyHistory, time: Date): boolean {
  const at = time.getTime();
  if (key.deletedAt && key.deletedAt.getTime() < at) return false;
  if (key.createdAt) return key.createdAt.getTime() <= at;
  if (key.inInventory) return true;
  if (key.deletedAt) return true;
  return key.seenAt.some((seen) => seen.getTime() >= at);
}

/**
 * The ids of the keys that existed at one of `times` or more, sorted.
 *
 * @example keysHeldAt([{ accessKeyId: 'AKIA…', createdAt: new Date('2026-05-04'), deletedAt: null, inInventory: true, seenAt: [] }], [new Date('2026-11-19T13:58:20Z')]) // ['AKIA…']
 */
export function keysHeldAt(keys: readonly KeyHistory[], times: readonly Date[]): string[] {
  return keys
    .filter((key) => times.some((time) => existedAt(key, time)))
    .map((key) => key.accessKeyId)
    .sort();
}
