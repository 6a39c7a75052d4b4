/**
 * Long-term key lifecycle (UpdateAccessKey, DeleteAccessKey) and the last CloudTrail use of each
 * AKIA key: what revoked-key-in-use is decided from. Bounded like every other tracker here.
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
  readonly #uses = new Map<string, KeyUse>();
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

  /** Notes a request made with a long-term key; only the latest use is kept. */
  public addUse(accessKeyId: string, use: KeyUse): void {
    const previous = this.#uses.get(accessKeyId);
    if (previous) {
      if (use.time > previous.time) this.#uses.set(accessKeyId, use);
      return;
    }
    if (this.#uses.size >= MAX_KEY_USES) {
      this.#dropped += 1;
      return;
    }
    this.#uses.set(accessKeyId, use);
  }

  public lastUse(accessKeyId: string): KeyUse | undefined {
    return this.#uses.get(accessKeyId);
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
