import {
  type KeptUse,
  keptUse,
  type RequestOrigin,
  snapshotOf,
  updateKeptUse,
} from './kept-use.js';

/**
 * Long-term key lifecycle (CreateAccessKey, UpdateAccessKey, DeleteAccessKey) and the last
 * CloudTrail use of each AKIA key: what revoked-key-in-use is decided from, and which keys a
 * user held when AWS quarantined it. Bounded like every other tracker here.
 */

/** Keys whose lifecycle is remembered at most (lifecycle calls are rare). */
export const MAX_LIFECYCLE_KEYS = 50_000;
/** Keys whose last use is remembered at most. */
export const MAX_KEY_USES = 100_000;

export type RevocationKind = 'Inactive' | 'Deleted';

export interface Revocation {
  readonly accessKeyId: string;
  readonly kind: RevocationKind;
  readonly time: Date;
  /** The key's user (`requestParameters.userName`); the caller's own user when absent. */
  readonly userName: string | null;
  /** Who revoked it. */
  readonly actor: string | null;
}

/** A CreateAccessKey call: when a key came into existence, and for whom. */
export interface KeyCreation {
  readonly accessKeyId: string;
  readonly time: Date;
  /** The key's user (`responseElements.accessKey.userName`, else the request's or the caller's). */
  readonly userName: string | null;
}

export interface KeyUse {
  readonly time: Date;
  readonly principal: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly eventSource: string | null;
}

export class KeyTracker {
  /** Every revocation of a key, oldest first is not guaranteed (trail files are unordered). */
  readonly #revocations = new Map<string, Revocation[]>();
  /** Latest reactivation (UpdateAccessKey Active) per key. */
  readonly #reactivations = new Map<string, Date>();
  readonly #uses = new Map<string, KeptUse>();
  readonly #creations = new Map<string, KeyCreation>();
  #dropped = 0;

  public get dropped(): number {
    return this.#dropped;
  }

  public addRevocation(revocation: Revocation): void {
    const list = this.#revocations.get(revocation.accessKeyId);
    if (list) {
      if (list.length < 10) list.push(revocation);
      return;
    }
    if (this.#revocations.size >= MAX_LIFECYCLE_KEYS) {
      this.#dropped += 1;
      return;
    }
    this.#revocations.set(revocation.accessKeyId, [revocation]);
  }

  public addReactivation(accessKeyId: string, time: Date): void {
    const previous = this.#reactivations.get(accessKeyId);
    if (previous && previous >= time) return;
    if (!previous && this.#reactivations.size >= MAX_LIFECYCLE_KEYS) {
      this.#dropped += 1;
      return;
    }
    this.#reactivations.set(accessKeyId, time);
  }

  /** A key is created once; should the trail hold two records for it, the earliest wins. */
  public addCreation(creation: KeyCreation): void {
    const previous = this.#creations.get(creation.accessKeyId);
    if (previous) {
      if (creation.time < previous.time) this.#creations.set(creation.accessKeyId, creation);
      return;
    }
    if (this.#creations.size >= MAX_LIFECYCLE_KEYS) {
      this.#dropped += 1;
      return;
    }
    this.#creations.set(creation.accessKeyId, creation);
  }

  public creation(accessKeyId: string): KeyCreation | undefined {
    return this.#creations.get(accessKeyId);
  }

  /** Every revocation (deactivation, deletion) the trail shows for one key, in no set order. */
  public revocationsOf(accessKeyId: string): readonly Revocation[] {
    return this.#revocations.get(accessKeyId) ?? [];
  }

  /** The latest reactivation (UpdateAccessKey Active) of a key, if any. */
  public reactivation(accessKeyId: string): Date | undefined {
    return this.#reactivations.get(accessKeyId);
  }

  /**
   * For each of `users`, the keys a lifecycle call ties to it (created, deactivated or deleted
   * for it), sorted; one pass over what is tracked, however many users are asked about.
   * Reactivations carry no user name, so a key known only from those is not listed.
   */
  public lifecycleKeysOf(users: ReadonlySet<string>): Map<string, string[]> {
    const byUser = new Map<string, Set<string>>();
    const note = (userName: string | null, keyId: string) => {
      if (userName === null || !users.has(userName)) return;
      const keys = byUser.get(userName) ?? new Set<string>();
      keys.add(keyId);
      byUser.set(userName, keys);
    };
    for (const creation of this.#creations.values()) note(creation.userName, creation.accessKeyId);
    for (const [keyId, list] of this.#revocations) {
      for (const revocation of list) note(revocation.userName, keyId);
    }
    return new Map([...byUser].map(([userName, keys]) => [userName, [...keys].sort()]));
  }

  /** Notes a request made with a long-term key; only the latest use is kept. */
  public addUse(accessKeyId: string, use: KeyUse): void {
    this.noteUse(accessKeyId, use.time.getTime(), use.principal, use);
  }

  /** {@link addUse} without a use object: the time as epoch ms, the origin read as it is. */
  public noteUse(
    accessKeyId: string,
    time: number,
    principal: string | null,
    origin: RequestOrigin,
  ): void {
    const previous = this.#uses.get(accessKeyId);
    if (previous) {
      if (time > previous.time) updateKeptUse(previous, time, principal, origin);
      return;
    }
    if (this.#uses.size >= MAX_KEY_USES) {
      this.#dropped += 1;
      return;
    }
    this.#uses.set(accessKeyId, keptUse(time, principal, origin));
  }

  public lastUse(accessKeyId: string): KeyUse | undefined {
    const kept = this.#uses.get(accessKeyId);
    return kept && snapshotOf(kept);
  }

  public revocations(): Revocation[] {
    return [...this.#revocations.values()].flat();
  }

  /**
   * The revocation in force for a key: the latest one not followed by a reactivation.
   * `undefined` when the key was never revoked (as far as the trail shows) or was reactivated.
   */
  public currentRevocation(accessKeyId: string): Revocation | undefined {
    const list = this.#revocations.get(accessKeyId);
    if (!list || list.length === 0) return undefined;
    const latest = list.reduce((a, b) => (b.time > a.time ? b : a));
    const reactivated = this.#reactivations.get(accessKeyId);
    if (latest.kind === 'Inactive' && reactivated && reactivated > latest.time) return undefined;
    return latest;
  }
}
