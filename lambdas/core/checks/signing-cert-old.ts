import type { CheckHit, CredentialCheck } from './check.js';
import { ageInDays, day, NO_HITS, olderThan, principalLabel, withHit } from './check.js';

const SEVERITY = 'low' as const;

/** `signing-cert-old`: an active X.509 signing certificate older than `signingCertMaxAgeDays`. */
export const signingCertOld: CredentialCheck = {
  id: 'signing-cert-old',
  severity: SEVERITY,
  evaluate(principal, { config, now }): readonly CheckHit[] {
    const limit = config.thresholds.signingCertMaxAgeDays;
    let hits: CheckHit[] | null = null;
    for (const cert of principal.signingCerts) {
      const rotated = cert.lastRotated;
      if (!cert.active || !rotated || !olderThan(rotated, now, limit)) continue;
      const age = ageInDays(rotated, now);
      hits = withHit(hits, {
        principal,
        key: null,
        certSlot: cert.slot,
        severity: SEVERITY,
        title: `Signing certificate ${cert.slot} of ${principalLabel(principal)} is ${age} days old (limit ${limit})`,
        detail: `The active X.509 signing certificate in slot ${cert.slot} was last rotated ${day(rotated)}, ${age - limit} days past the ${limit}-day limit.`,
      });
    }
    return hits ?? NO_HITS;
  },
};
