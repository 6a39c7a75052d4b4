/**
 * How long a claimed (written but not yet published) announcement or reminder blocks other
 * runs: longer than any function's maximum run (Lambda stops every function at 15 minutes), so
 * a claim still inside its lease belongs to a run that may yet publish it, and a claim past its
 * lease belongs to a run that died before confirming it.
 */
export const CLAIM_LEASE_MS = 20 * 60_000;

/**
 * Where a ledger record stands: `sent` (confirmed after its publish, or written before leases
 * existed), `pending` (claimed by a run that may still publish it) or `expired` (claimed by a
 * run that never confirmed it: treat it as not sent).
 *
 * @param pendingUntil the lease end (ISO-8601) of an unconfirmed claim; undefined once confirmed.
 */
export function claimState(
  pendingUntil: string | undefined,
  now: Date,
): 'sent' | 'pending' | 'expired' {
  if (pendingUntil === undefined) return 'sent';
  const until = Date.parse(pendingUntil);
  // An unreadable lease cannot block forever: it counts as expired.
  return !Number.isNaN(until) && now.getTime() < until ? 'pending' : 'expired';
}

/** The lease end (ISO-8601) of a claim made at `now`. */
export function leaseUntil(now: Date, leaseMs: number = CLAIM_LEASE_MS): string {
  return new Date(now.getTime() + leaseMs).toISOString();
}
