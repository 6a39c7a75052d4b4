import type { CheckHit, CredentialCheck } from './check.js';
import { describeDate, NO_HITS } from './check.js';

const SEVERITY = 'high' as const;

/** `console-user-no-mfa`: an IAM user with a console password and no MFA device (root: `root-mfa-disabled`). */
export const consoleUserNoMfa: CredentialCheck = {
  id: 'console-user-no-mfa',
  severity: SEVERITY,
  evaluate(principal): readonly CheckHit[] {
    if (principal.type !== 'IAMUser' || principal.passwordEnabled !== true || principal.mfaActive) {
      return NO_HITS;
    }
    return [
      {
        principal,
        key: null,
        severity: SEVERITY,
        title: `${principal.name} can sign in to the console without MFA`,
        detail: `The user has a console password (${describeDate(principal.passwordLastUsed, 'never used')}) and no MFA device, so the password alone opens the console.`,
      },
    ];
  },
};
