/**
 * The latest request made with one key, as the key and session trackers keep it. A million
 * records carry a few hundred thousand keys, each used again and again: the kept use is
 * updated in place (its time as epoch milliseconds) instead of being replaced by a new object
 * per request, which would leave the old ones for the garbage collector.
 */

/** Where a request came from: every normalized CloudTrail event has these fields. */
export interface RequestOrigin {
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly eventSource: string | null;
}

/** A use as the trackers hold it (mutable, owned by one tracker, never handed out). */
export interface KeptUse {
  time: number;
  principal: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  eventSource: string | null;
}

/** The same use as the trackers hand it out: a `Date`, nothing that changes later. */
export interface UseSnapshot {
  readonly time: Date;
  readonly principal: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly eventSource: string | null;
}

export function keptUse(time: number, principal: string | null, origin: RequestOrigin): KeptUse {
  return {
    time,
    principal,
    sourceIp: origin.sourceIp,
    userAgent: origin.userAgent,
    eventSource: origin.eventSource,
  };
}

export function updateKeptUse(
  kept: KeptUse,
  time: number,
  principal: string | null,
  origin: RequestOrigin,
): void {
  kept.time = time;
  kept.principal = principal;
  kept.sourceIp = origin.sourceIp;
  kept.userAgent = origin.userAgent;
  kept.eventSource = origin.eventSource;
}

export function snapshotOf(kept: KeptUse): UseSnapshot {
  return {
    time: new Date(kept.time),
    principal: kept.principal,
    sourceIp: kept.sourceIp,
    userAgent: kept.userAgent,
    eventSource: kept.eventSource,
  };
}
