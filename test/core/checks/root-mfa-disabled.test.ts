import { describe, expect, it } from 'vitest';
import { rootMfaDisabled } from '../../../lambdas/core/checks/root-mfa-disabled.js';
import { accessKey, consoleUser, context, rootUser } from './builders.js';

describe('root-mfa-disabled', () => {
  it('passes root with MFA', () => {
    expect(rootMfaDisabled.evaluate(rootUser({ mfaActive: true }), context())).toEqual([]);
  });

  it('fails root without MFA whose password state is not_supported', () => {
    // Prepare
    const root = rootUser({ mfaActive: false });
    // Act
    const hits = rootMfaDisabled.evaluate(root, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe('critical');
    expect(hits[0]?.key).toBeNull();
  });

  it('passes root whose credentials were removed (no password, key or certificate)', () => {
    const root = rootUser({ mfaActive: false, passwordEnabled: false });

    expect(rootMfaDisabled.evaluate(root, context())).toEqual([]);
  });

  it('fails root without a password but with an active key and no MFA', () => {
    const root = rootUser({
      mfaActive: false,
      passwordEnabled: false,
      accessKeys: [accessKey({ userName: '<root_account>', id: null })],
    });

    expect(rootMfaDisabled.evaluate(root, context())).toHaveLength(1);
  });

  it('ignores IAM users (console-user-no-mfa covers them)', () => {
    expect(rootMfaDisabled.evaluate(consoleUser({ mfaActive: false }), context())).toEqual([]);
  });
});
