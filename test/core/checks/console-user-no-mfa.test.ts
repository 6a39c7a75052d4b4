import { describe, expect, it } from 'vitest';
import { consoleUserNoMfa } from '../../../lambdas/core/checks/console-user-no-mfa.js';
import { consoleUser, context, iamUser, rootUser } from './builders.js';

describe('console-user-no-mfa', () => {
  it('passes a console user with MFA', () => {
    expect(consoleUserNoMfa.evaluate(consoleUser({ mfaActive: true }), context())).toEqual([]);
  });

  it('fails a console user without MFA, as high', () => {
    // Prepare
    const user = consoleUser({ mfaActive: false });
    // Act
    const hits = consoleUserNoMfa.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe('high');
    expect(hits[0]?.title).toBe('alice can sign in to the console without MFA');
  });

  it('passes a user without a console password and without MFA', () => {
    expect(consoleUserNoMfa.evaluate(iamUser({ mfaActive: false }), context())).toEqual([]);
  });

  it('ignores root', () => {
    expect(consoleUserNoMfa.evaluate(rootUser({ mfaActive: false }), context())).toEqual([]);
  });
});
