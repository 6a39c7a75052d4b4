import type { SessionIssuance } from '../remediation/incident-advice.js';
import { GenerationalMap } from './bounded-set.js';
import {
  type KeptUse,
  keptUse,
  type RequestOrigin,
  snapshotOf,
  updateKeptUse,
} from './kept-use.js';

/**
 * Temporary sessions handed out by STS (AssumeRole, GetSessionToken, …) and the last time each
 * session key was used, so that an ASIA key in a failing log line can be named (role, session,
 * caller) and a session that ran out while still in use can be found.
 *
 * Memory: each map is bounded; when full, the oldest entries are dropped and counted, so a
 * trail with millions of issuances stays flat.
 */

/** Sessions remembered at most; a Lambda-heavy account issues many per hour. */
export const MAX_SESSIONS = 20_000;
/** Session keys whose last use is remembered at most. */
export const MAX_SESSION_USES = 50_000;
/** Issuance times remembered per chain (caller → role). */
export const MAX_ISSUANCES_PER_CHAIN = 500;
/** Chains remembered at most. */
export const MAX_CHAINS = 10_000;
/** A session counts as "used up to its expiration" when last used this close to it. */
export const EXPIRY_TOLERANCE_MS = 2 * 60_000;

export interface TrackedSession extends SessionIssuance {
  readonly accessKeyId: string;
  /** Who asked, and for which role: sessions of one chain replace each other. */
  readonly chainKey: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
}

export interface SessionUse {
  readonly time: Date;
  readonly principal: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly eventSource: string | null;
}

/** A session used up to its expiration with no new session for the same chain until later. */
export interface RanOutSession {
  readonly session: TrackedSession;
  readonly lastUse: SessionUse;
}

export class SessionTracker {
  readonly #sessions = new GenerationalMap<TrackedSession>(MAX_SESSIONS);
  readonly #uses = new GenerationalMap<KeptUse>(MAX_SESSION_USES);
  readonly #chains = new GenerationalMap<number[]>(MAX_CHAINS);
  #dropped = 0;

  /** Entries dropped because a bound was reached. */
  public get dropped(): number {
    return this.#dropped + this.#sessions.dropped + this.#uses.dropped + this.#chains.dropped;
  }

  public addIssuance(session: TrackedSession): void {
    this.#sessions.set(session.accessKeyId, session);
    const times = this.#chains.get(session.chainKey) ?? [];
    // Written back every time so that an active chain stays in the newest generation.
    this.#chains.set(session.chainKey, times);
    times.push(session.issuedAt.getTime());
    if (times.length > MAX_ISSUANCES_PER_CHAIN) {
      // Keep the latest: they decide whether a recent session was followed by a new one.
      times.sort((a, b) => a - b);
      times.splice(0, times.length - MAX_ISSUANCES_PER_CHAIN);
      this.#dropped += 1;
    }
  }

  /** Notes a request made with a temporary key; only the latest use is kept. */
  public addUse(accessKeyId: string, use: SessionUse): void {
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
    if (previous === undefined) {
      this.#uses.set(accessKeyId, keptUse(time, principal, origin));
    } else if (previous.time < time) {
      updateKeptUse(previous, time, principal, origin);
      // Written back so that a key in use stays in the newest generation, as a new use would.
      this.#uses.set(accessKeyId, previous);
    }
  }

  public session(accessKeyId: string): TrackedSession | undefined {
    return this.#sessions.get(accessKeyId);
  }

  /**
   * Sessions that expired inside [start, end] while still in use (last use within
   * {@link EXPIRY_TOLERANCE_MS} of the expiration) and whose chain got no new session before
   * the expiration.
   */
  public ranOut(start: Date, end: Date): RanOutSession[] {
    const out: RanOutSession[] = [];
    for (const session of this.#sessions.values()) {
      const expiration = session.expiration;
      if (!expiration || expiration < start || expiration > end) continue;
      const lastUse = this.#uses.get(session.accessKeyId);
      if (!lastUse) continue;
      if (Math.abs(expiration.getTime() - lastUse.time) > EXPIRY_TOLERANCE_MS) continue;
      if (this.#renewedBefore(session, expiration)) continue;
      out.push({ session, lastUse: snapshotOf(lastUse) });
    }
    return out;
  }

  #renewedBefore(session: TrackedSession, expiration: Date): boolean {
    const times = this.#chains.get(session.chainKey) ?? [];
    const issued = session.issuedAt.getTime();
    return times.some((t) => t > issued && t <= expiration.getTime());
  }
}
