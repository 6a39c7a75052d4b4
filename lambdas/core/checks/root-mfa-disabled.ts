import type { CheckHit, CredentialCheck } from './check.js';
import { activeKeys, NO_HITS } from './check.js';

const SEVERITY = 'critical' as const;

/**
 * `root-mfa-disabled`: the root user has no MFA device. Not raised when root has no credential
 * at all (no password, no key, no certificate), as in member accounts whose root credentials
 * were removed through centralized root access: there is nothing to protect with MFA.
 */
export const rootMfaDisabled: CredentialCheck = {
  id: 'root-mfa-disabled',
  severity: SEVERITY,
  evaluate(principal): readonly CheckHit[] {
    if (principal.type !== 'Root' || principal.mfaActive) return NO_HITS;
    const noCredentials =
      principal.passwordEnabled === false &&
      activeKeys(principal).length === 0 &&
      !principal.signingCerts.some((cert) => cert.active);
    if (noCredentials) return NO_HITS;
    return [
      {
        principal,
        key: null,
        severity: SEVERITY,
        title: 'The root user has no MFA device',
        detail:
          'The credential report shows mfa_active=false for <root_account>: anyone with the root password can sign in with full control of the account.',
      },
    ];
  },
};
