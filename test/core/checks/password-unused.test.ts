import { describe, expect, it } from 'vitest';
import { passwordUnused } from '../../../lambdas/core/checks/password-unused.js';
import {
  at,
  consoleUser,
  context,
  daysAgo,
  ERROR_DATE,
  iamUser,
  NEVER,
  NO_INFORMATION,
  rootUser,
} from './builders.js';

describe('password-unused', () => {
  it('passes a password used exactly 45 days ago', () => {
    expect(
      passwordUnused.evaluate(consoleUser({ passwordLastUsed: at(daysAgo(45)) }), context()),
    ).toEqual([]);
  });

  it('fails a password used 45 days and one second ago', () => {
    // Prepare
    const user = consoleUser({ passwordLastUsed: at(daysAgo(45, 1000)) });
    // Act
    const hits = passwordUnused.evaluate(user, context());
    // Assess
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe('medium');
    expect(hits[0]?.title).toBe(
      'Console password of alice has not been used for 45 days (limit 45)',
    );
  });

  it('counts a never-used password from when it was set', () => {
    const fresh = consoleUser({
      passwordLastUsed: NEVER,
      passwordLastChanged: at(daysAgo(45)),
      createdAt: daysAgo(400),
    });
    const stale = consoleUser({
      passwordLastUsed: NEVER,
      passwordLastChanged: at(daysAgo(46)),
      createdAt: daysAgo(400),
    });

    expect(passwordUnused.evaluate(fresh, context())).toEqual([]);
    expect(passwordUnused.evaluate(stale, context())[0]?.title).toBe(
      'Console password of alice has never been used in 46 days (limit 45)',
    );
  });

  it('falls back on the user creation time when the password change date is not known', () => {
    const user = consoleUser({
      passwordLastUsed: NEVER,
      passwordLastChanged: NEVER,
      createdAt: daysAgo(50),
    });

    expect(passwordUnused.evaluate(user, context())).toHaveLength(1);
  });

  it('treats no_information (sign-in before October 2014) as unused and ERROR as unknown', () => {
    expect(
      passwordUnused.evaluate(consoleUser({ passwordLastUsed: NO_INFORMATION }), context()),
    ).toHaveLength(1);
    expect(
      passwordUnused.evaluate(consoleUser({ passwordLastUsed: ERROR_DATE }), context()),
    ).toEqual([]);
  });

  it('passes users without a password, and root', () => {
    expect(
      passwordUnused.evaluate(iamUser({ passwordLastUsed: at(daysAgo(300)) }), context()),
    ).toEqual([]);
    expect(
      passwordUnused.evaluate(rootUser({ passwordLastUsed: at(daysAgo(300)) }), context()),
    ).toEqual([]);
  });
});
