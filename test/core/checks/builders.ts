import type { CheckContext } from '../../../lambdas/core/checks/check.js';
import { type AuditConfigInput, parseAuditConfig } from '../../../lambdas/core/config.js';
import type {
  AccessKeyRecord,
  PrincipalRecord,
  ReportDate,
} from '../../../lambdas/core/inventory.js';

/** The fixed clock of the check tests. */
export const NOW = new Date('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;

/** `days` days (plus `extraMs`) before NOW. */
export function daysAgo(days: number, extraMs = 0): Date {
  return new Date(NOW.getTime() - days * DAY_MS - extraMs);
}

export const NEVER: ReportDate = { state: 'never', value: null };
export const NO_INFORMATION: ReportDate = { state: 'no_information', value: null };
export const NOT_SUPPORTED: ReportDate = { state: 'not_supported', value: null };
export const ERROR_DATE: ReportDate = { state: 'error', value: null };

export function at(date: Date): ReportDate {
  return { state: 'date', value: date };
}

export function accessKey(overrides: Partial<AccessKeyRecord> = {}): AccessKeyRecord {
  return {
    userName: 'ci-deploy',
    slot: 1,
    id: 'AKIAIOSFODNN7EXAMPLE',
    status: 'Active',
    createdAt: daysAgo(10),
    lastUsed: at(daysAgo(1)),
    lastUsedRegion: 'us-east-1',
    lastUsedService: 's3',
    ...overrides,
  };
}

/** A machine user (no console password) with no keys unless given. */
export function iamUser(overrides: Partial<PrincipalRecord> = {}): PrincipalRecord {
  return {
    type: 'IAMUser',
    name: 'ci-deploy',
    arn: 'arn:aws:iam::123456789012:user/ci-deploy',
    createdAt: daysAgo(400),
    passwordEnabled: false,
    passwordLastUsed: NEVER,
    passwordLastChanged: NEVER,
    mfaActive: false,
    accessKeys: [],
    signingCerts: [],
    tags: {},
    ...overrides,
  };
}

/** A console user with MFA, password used yesterday. */
export function consoleUser(overrides: Partial<PrincipalRecord> = {}): PrincipalRecord {
  return iamUser({
    name: 'alice',
    arn: 'arn:aws:iam::123456789012:user/alice',
    passwordEnabled: true,
    passwordLastUsed: at(daysAgo(1)),
    passwordLastChanged: at(daysAgo(300)),
    mfaActive: true,
    ...overrides,
  });
}

/** Root with MFA, no keys, password last used a year ago. */
export function rootUser(overrides: Partial<PrincipalRecord> = {}): PrincipalRecord {
  return iamUser({
    type: 'Root',
    name: '<root_account>',
    arn: 'arn:aws:iam::123456789012:root',
    createdAt: daysAgo(2000),
    passwordEnabled: null,
    passwordLastUsed: at(daysAgo(365)),
    passwordLastChanged: NOT_SUPPORTED,
    mfaActive: true,
    ...overrides,
  });
}

export function context(config: AuditConfigInput = {}, now: Date = NOW): CheckContext {
  return { config: parseAuditConfig(config), now };
}
