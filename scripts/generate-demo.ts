/**
 * Generates `examples/demo-account/`, the exported AWS account that `npm run demo` audits:
 * "Example Corp" (111122223333, example-corp-prod), evaluated at 2026-11-20T12:00:00Z with a
 * 24-hour lookback.
 *
 * Everything is deterministic: one seeded PRNG, fixed instants, no clock. Running it twice gives
 * the same bytes, and `test/examples/demo-account.test.ts` checks that the committed files are
 * exactly what this script writes, so nobody edits the data by hand: change the tables below
 * and run `npm run demo:generate`.
 *
 * The account is a well-kept one with a few problems. The USERS table says, user by user, what
 * each one is there to show; most of them are healthy, so the demo also proves there are no
 * false alarms. The SCENARIOS further down write the CloudTrail records and workload log lines
 * behind each incident kind, and the near misses that must not become incidents.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compareText } from '../lambdas/core/compare-text.js';
import type { CheckId, IncidentKind } from '../lambdas/core/report.js';

// ---------------------------------------------------------------------------------------------
// The account and the clock
// ---------------------------------------------------------------------------------------------

/** The instant `npm run demo` evaluates the account at (`--now`). */
export const DEMO_NOW = '2026-11-20T12:00:00Z';
export const DEMO_ACCOUNT_ID = '111122223333';
export const DEMO_ACCOUNT_ALIAS = 'example-corp-prod';
/** `GeneratedTime` of the credential report: 1 h 47 min before `now`, as a real export would be. */
const REPORT_GENERATED = '2026-11-20T10:12:44Z';
/** The documented AWS example secret: the demo logs it to prove it never reaches a report. */
export const DEMO_SECRET_FAKE = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** The root key uses the documented AWS example id. */
const ROOT_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const ACCOUNT = DEMO_ACCOUNT_ID;
const REGION = 'us-east-1';
/** The CloudTrail files cover the whole of 19 November and 20 November up to `now`. */
const TRAIL_START = at('2026-11-19T00:00:00Z');

const NOW = at(DEMO_NOW);
const DAY_MS = 86_400_000;

function at(iso: string): Date {
  return new Date(iso);
}

/** `days` before `now` at a given UTC time of day: `daysAgo(80, '09:14:07')`. */
function daysAgo(days: number, time: string): Date {
  const day = new Date(NOW.getTime() - days * DAY_MS).toISOString().slice(0, 10);
  return new Date(`${day}T${time}Z`);
}

function plusSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

/** `2026-03-02T09:14:07+00:00`: the credential report's and the AWS CLI's way of writing a time. */
function awsDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** `2026-11-20T09:14:07Z`: CloudTrail's `eventTime`. */
function trailTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** `Nov 20, 2026, 3:07:39 AM`: how CloudTrail writes `credentials.expiration` (not ISO-8601). */
function cloudTrailExpiration(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const hours24 = date.getUTCHours();
  const hours = hours24 % 12 === 0 ? 12 : hours24 % 12;
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  const ss = String(date.getUTCSeconds()).padStart(2, '0');
  const ampm = hours24 < 12 ? 'AM' : 'PM';
  return `${month} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${hours}:${mm}:${ss} ${ampm}`;
}

/** `2026-11-20 09:00:01.123`: Logs Insights' `@timestamp`. */
function insightsTime(date: Date): string {
  return date.toISOString().slice(0, 23).replace('T', ' ');
}

/** The credential report writes key "last used" to the minute. */
function toMinute(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000);
}

// ---------------------------------------------------------------------------------------------
// A seeded PRNG: every "random" id, jitter and file name comes from here, in a fixed order.
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, good enough for fake ids, and identical on every platform. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const chars = (alphabet: string, length: number): string =>
    Array.from({ length }, () => alphabet[int(0, alphabet.length - 1)]).join('');
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const hex = (length: number): string => chars('0123456789abcdef', length);
  const uuid = (): string =>
    `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  return { next, int, chars, pick, hex, uuid };
}

type Random = ReturnType<typeof createRandom>;

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * `AKIA` + `EXAMPLE` + 9 random = 20 characters: plainly fake, and the random part comes last so
 * the masked form people read (`AKIA…` + last four) tells the demo's keys apart.
 */
function fakeKeyId(random: Random, prefix: 'AKIA' | 'ASIA'): string {
  return `${prefix}EXAMPLE${random.chars(UPPER_DIGITS, 9)}`;
}

// ---------------------------------------------------------------------------------------------
// THE USERS: who is in the account and what each one illustrates
// ---------------------------------------------------------------------------------------------

interface DemoKey {
  readonly status: 'Active' | 'Inactive';
  /** `access_key_N_last_rotated`, which is the key's creation time. */
  readonly created: Date;
  /** Last use as IAM reports it (to the minute); null for never (`N/A`). */
  readonly lastUsed: Date | null;
  /** `access_key_N_last_used_service`. */
  readonly service?: string;
}

interface DemoUser {
  readonly name: string;
  /** Humans sign in to the console; machines only have access keys. */
  readonly kind: 'human' | 'machine';
  readonly team: 'platform' | 'data' | 'payments' | 'web' | 'security' | 'finance';
  readonly created: Date;
  /** Console password; absent for machine users. */
  readonly password?: {
    readonly lastUsed: Date | 'N/A' | 'no_information';
    readonly changed: Date;
  };
  readonly mfa: boolean;
  readonly key1?: DemoKey;
  readonly key2?: DemoKey;
  /** An X.509 signing certificate in slot 1. */
  readonly cert?: { readonly active: boolean; readonly rotated: Date };
  /** Extra IAM tags (owner, exemption). The `team` tag is always written. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Checks the audit must report for this user at the default thresholds. Empty means the user
   * is healthy and must have no finding at all (no false alarms).
   */
  readonly expect: readonly CheckId[];
  /** Incidents this user's keys or sign-ins are part of (for the README). */
  readonly incidents?: readonly IncidentKind[];
  /** Why the user is in the demo: shown in the README table. */
  readonly illustrates: string;
}

const owner = (email: string) => ({ 'credential-health:owner': email });
const ownerOf = (name: string) => owner(`${name.split('.')[0]}@example.com`);
/** An active key: created (= last rotated), last used (null: never), service last used. */
const active = (created: Date, lastUsed: Date | null, service?: string): DemoKey => ({
  status: 'Active',
  created,
  lastUsed,
  ...(service ? { service } : {}),
});
const inactive = (created: Date, lastUsed: Date | null, service?: string): DemoKey => ({
  ...active(created, lastUsed, service),
  status: 'Inactive',
});

/** Root: every root check fires, and its key is used in the window (root-activity). */
const ROOT = {
  created: at('2016-02-11T18:27:05Z'),
  passwordLastUsed: daysAgo(100, '17:03:55'),
  key1: active(at('2019-04-03T08:51:12Z'), at('2026-11-20T08:41:00Z'), 's3'),
  expect: ['root-access-key', 'root-mfa-disabled', 'root-recent-use'] as const,
};

/**
 * The IAM users. Ages are measured from DEMO_NOW; the default thresholds are 90 days rotation
 * (reminder 14 days before), 45 days unused, 30 days inactive, 365 days for certificates.
 * Near misses sit two days or more inside a threshold so `>` and `>=` give the same answer.
 */
export const USERS: readonly DemoUser[] = [
  // ---- humans ---------------------------------------------------------------------------
  {
    name: 'alice.nguyen',
    kind: 'human',
    team: 'security',
    created: at('2019-06-03T08:12:45Z'),
    password: { lastUsed: at('2026-11-19T14:21:08Z'), changed: daysAgo(60, '08:30:12') },
    mfa: true,
    key1: active(daysAgo(20, '09:02:31'), at('2026-11-20T07:48:00Z'), 'iam'),
    tags: ownerOf('alice.nguyen'),
    expect: [],
    illustrates:
      'Healthy security lead. She deactivates the quarantined marketing-sync key and gives it a new one.',
  },
  {
    name: 'bob.martin',
    kind: 'human',
    team: 'platform',
    created: at('2020-01-14T10:40:02Z'),
    password: { lastUsed: at('2026-11-20T09:15:40Z'), changed: daysAgo(33, '11:02:19') },
    mfa: true,
    tags: ownerOf('bob.martin'),
    expect: [],
    illustrates: 'Healthy console-only user: MFA, signs in daily, no access key.',
  },
  {
    name: 'carol.diaz',
    kind: 'human',
    team: 'data',
    created: at('2021-03-22T13:05:51Z'),
    password: { lastUsed: at('2026-11-19T16:02:33Z'), changed: daysAgo(71, '16:44:09') },
    mfa: true,
    key1: active(daysAgo(40, '10:11:27'), at('2026-11-19T16:20:00Z'), 'iam'),
    tags: ownerOf('carol.diaz'),
    expect: [],
    illustrates:
      'Healthy. She deactivates the old analytics-export key (the 3-day near miss of revoked-key-in-use).',
  },
  {
    name: 'dan.okafor',
    kind: 'human',
    team: 'payments',
    created: at('2021-09-07T09:30:00Z'),
    password: { lastUsed: at('2026-11-20T08:47:19Z'), changed: daysAgo(50, '08:01:44') },
    mfa: true,
    key1: active(daysAgo(80, '09:14:07'), at('2026-11-20T08:52:00Z'), 's3'),
    tags: ownerOf('dan.okafor'),
    expect: ['key-rotation-due'],
    illustrates: 'key-rotation-due: his key is 80 days old (reminder from 76, limit 90).',
  },
  {
    name: 'erin.walsh',
    kind: 'human',
    team: 'data',
    created: at('2020-11-30T15:22:10Z'),
    password: { lastUsed: daysAgo(2, '10:05:51'), changed: daysAgo(88, '10:04:02') },
    mfa: true,
    key1: active(daysAgo(140, '15:40:27'), daysAgo(2, '11:17:00'), 'athena'),
    tags: ownerOf('erin.walsh'),
    expect: ['key-rotation-overdue'],
    illustrates: 'key-rotation-overdue for a human: a 140-day-old key still in daily use.',
  },
  {
    name: 'frank.li',
    kind: 'human',
    team: 'web',
    created: at('2023-02-01T12:00:31Z'),
    password: { lastUsed: at('2026-11-20T08:55:02Z'), changed: daysAgo(25, '12:10:40') },
    mfa: false,
    tags: ownerOf('frank.li'),
    expect: ['console-user-no-mfa'],
    illustrates:
      'console-user-no-mfa. Also a near miss: 3 failed sign-ins (typos) before he gets in, below the 10 needed.',
  },
  {
    name: 'grace.kim',
    kind: 'human',
    team: 'finance',
    created: at('2022-05-16T08:45:19Z'),
    password: { lastUsed: daysAgo(120, '13:31:06'), changed: daysAgo(300, '09:00:45') },
    mfa: true,
    tags: ownerOf('grace.kim'),
    expect: ['password-unused'],
    illustrates: 'password-unused: last console sign-in 120 days ago (limit 45).',
  },
  {
    name: 'henry.adams',
    kind: 'human',
    team: 'finance',
    created: at('2013-10-02T14:18:33Z'),
    password: { lastUsed: 'no_information', changed: at('2014-03-11T10:02:57Z') },
    mfa: true,
    tags: ownerOf('henry.adams'),
    expect: ['password-unused'],
    illustrates:
      'password-unused from `no_information`: last sign-in predates IAM tracking (2014); the report value is read exactly.',
  },
  {
    name: 'ivan.petrov',
    kind: 'human',
    team: 'payments',
    created: daysAgo(60, '10:04:33'),
    password: { lastUsed: at('2026-11-18T09:12:50Z'), changed: daysAgo(59, '10:31:12') },
    mfa: true,
    // The console's "create user" wizard made a key 4 seconds after the user; it was never used.
    key1: active(daysAgo(60, '10:04:37'), null),
    tags: ownerOf('ivan.petrov'),
    expect: ['key-created-with-user', 'key-unused'],
    illustrates:
      'key-created-with-user (CIS 1.11) and key-unused: a key made with the user 60 days ago, never used.',
  },
  {
    name: 'julia.rossi',
    kind: 'human',
    team: 'web',
    created: at('2022-08-08T07:59:14Z'),
    password: { lastUsed: at('2026-11-19T15:40:11Z'), changed: daysAgo(41, '07:33:08') },
    mfa: true,
    key1: active(daysAgo(50, '08:20:41'), daysAgo(3, '17:02:00'), 'cloudfront'),
    key2: active(daysAgo(12, '11:45:03'), at('2026-11-19T15:52:00Z'), 's3'),
    tags: ownerOf('julia.rossi'),
    expect: ['multiple-active-keys'],
    illustrates:
      'multiple-active-keys: two active keys (50 and 12 days), both in use; slot 2 is judged on its own.',
  },
  {
    name: 'kevin.brown',
    kind: 'human',
    team: 'platform',
    created: at('2020-07-20T11:11:11Z'),
    password: { lastUsed: at('2026-11-19T13:05:27Z'), changed: daysAgo(20, '13:30:00') },
    mfa: true,
    key1: inactive(daysAgo(200, '14:03:36'), daysAgo(100, '16:20:00'), 'ec2'),
    key2: active(daysAgo(30, '09:41:18'), at('2026-11-19T13:09:00Z'), 'ec2'),
    tags: ownerOf('kevin.brown'),
    expect: ['key-inactive'],
    illustrates:
      'key-inactive: he rotated 30 days ago but left the old key (last used 100 days ago) in place.',
  },
  {
    name: 'laura.chen',
    kind: 'human',
    team: 'security',
    created: at('2019-10-10T10:10:10Z'),
    password: { lastUsed: at('2026-11-20T07:30:45Z'), changed: daysAgo(64, '07:12:33') },
    mfa: true,
    cert: { active: true, rotated: at('2024-09-10T13:45:00Z') },
    tags: ownerOf('laura.chen'),
    expect: ['signing-cert-old'],
    illustrates: 'signing-cert-old: an active X.509 signing certificate from 2024 (over 365 days).',
  },
  {
    name: 'mike.obrien',
    kind: 'human',
    team: 'data',
    created: at('2021-01-05T09:09:09Z'),
    password: { lastUsed: at('2026-11-18T16:40:21Z'), changed: daysAgo(110, '16:02:55') },
    mfa: false,
    key1: active(daysAgo(200, '16:05:12'), daysAgo(1, '17:30:00'), 'redshift'),
    tags: { ...ownerOf('mike.obrien'), 'credential-health:exempt': '2027-01-31' },
    expect: [],
    illustrates:
      'Exempt until 2027-01-31 by tag: his overdue key and missing MFA are hidden, nothing is reported.',
  },
  {
    name: 'nina.patel',
    kind: 'human',
    team: 'payments',
    created: at('2021-06-14T12:34:56Z'),
    password: { lastUsed: at('2026-11-19T10:14:33Z'), changed: daysAgo(45, '10:00:02') },
    mfa: true,
    key1: active(daysAgo(150, '12:50:44'), at('2026-11-19T10:20:00Z'), 'dynamodb'),
    tags: { ...ownerOf('nina.patel'), 'credential-health:exempt': '2026-10-01' },
    expect: ['key-rotation-overdue'],
    illustrates:
      'Exemption tag expired on 2026-10-01: it hides nothing, her 150-day-old key is reported.',
  },
  {
    name: 'oscar.silva',
    kind: 'human',
    team: 'web',
    created: at('2022-02-28T16:16:16Z'),
    password: { lastUsed: at('2026-11-20T09:58:12Z'), changed: daysAgo(12, '09:48:30') },
    mfa: true,
    cert: { active: true, rotated: daysAgo(200, '12:00:00') },
    tags: ownerOf('oscar.silva'),
    expect: [],
    illustrates: 'Healthy. Near miss: an active signing certificate 200 days old (limit 365).',
  },
  {
    name: 'priya.shah',
    kind: 'human',
    team: 'data',
    created: at('2023-04-17T08:08:08Z'),
    password: { lastUsed: at('2026-11-20T08:10:49Z'), changed: daysAgo(30, '08:00:19') },
    mfa: true,
    key1: active(daysAgo(74, '13:22:51'), at('2026-11-20T08:14:00Z'), 'glue'),
    tags: ownerOf('priya.shah'),
    expect: [],
    illustrates:
      'Healthy. Near miss: her key is 74 days old, two days before the rotation reminder.',
  },
  {
    name: 'quentin.moreau',
    kind: 'human',
    team: 'platform',
    created: at('2024-01-08T09:00:00Z'),
    password: { lastUsed: daysAgo(6, '14:12:41'), changed: daysAgo(80, '14:00:15') },
    mfa: true,
    tags: ownerOf('quentin.moreau'),
    expect: [],
    illustrates: 'Healthy console-only user.',
  },
  {
    name: 'rachel.green',
    kind: 'human',
    team: 'finance',
    created: at('2022-10-03T10:30:30Z'),
    password: { lastUsed: daysAgo(3, '09:44:02'), changed: daysAgo(55, '09:40:40') },
    mfa: true,
    tags: ownerOf('rachel.green'),
    expect: [],
    incidents: ['console-login-failure'],
    illustrates:
      'Healthy, but 11 failed console sign-ins against her name from one unknown address overnight (console-login-failure).',
  },
  {
    name: 'sam.taylor',
    kind: 'human',
    team: 'security',
    created: at('2021-12-01T12:12:12Z'),
    password: { lastUsed: at('2026-11-20T07:05:55Z'), changed: daysAgo(15, '07:00:00') },
    mfa: true,
    // Slot 1 was deleted at his last rotation; the live key sits in slot 2.
    key2: active(daysAgo(30, '15:15:15'), at('2026-11-20T07:12:00Z'), 'securityhub'),
    tags: ownerOf('sam.taylor'),
    expect: [],
    illustrates:
      'Healthy, with his only key in slot 2 (slot 1 empty): slots are read independently.',
  },
  {
    name: 'tina.wong',
    kind: 'human',
    team: 'web',
    created: at('2023-07-07T07:07:07Z'),
    password: { lastUsed: daysAgo(43, '11:20:35'), changed: daysAgo(70, '11:02:03') },
    mfa: true,
    tags: ownerOf('tina.wong'),
    expect: [],
    illustrates: 'Healthy. Near miss: last sign-in 43 days ago, two days before password-unused.',
  },
  {
    name: 'umar.farouk',
    kind: 'human',
    team: 'payments',
    created: at('2024-03-18T13:13:13Z'),
    password: { lastUsed: at('2026-11-19T12:30:04Z'), changed: daysAgo(9, '12:01:36') },
    mfa: true,
    key1: active(daysAgo(9, '12:05:27'), at('2026-11-19T12:41:00Z'), 'lambda'),
    tags: ownerOf('umar.farouk'),
    expect: [],
    illustrates: 'Healthy: rotated his key 9 days ago, well after the user was created.',
  },
  {
    name: 'victor.huang',
    kind: 'human',
    team: 'data',
    created: at('2024-09-02T10:00:43Z'),
    password: { lastUsed: at('2026-11-20T10:01:18Z'), changed: daysAgo(22, '10:15:50') },
    mfa: true,
    tags: ownerOf('victor.huang'),
    expect: [],
    illustrates: 'Healthy console-only user.',
  },
  {
    name: 'wendy.clark',
    kind: 'human',
    team: 'finance',
    created: at('2020-04-27T08:27:27Z'),
    password: { lastUsed: at('2026-11-19T17:45:09Z'), changed: daysAgo(84, '17:30:27') },
    mfa: true,
    tags: ownerOf('wendy.clark'),
    expect: [],
    illustrates: 'Healthy console-only user.',
  },
  {
    name: 'xavier.lopez',
    kind: 'human',
    team: 'platform',
    created: at('2025-05-05T05:05:05Z'),
    password: { lastUsed: daysAgo(1, '08:15:48'), changed: daysAgo(36, '08:02:10') },
    mfa: true,
    key1: active(daysAgo(36, '08:10:10'), daysAgo(1, '08:30:00'), 'eks'),
    tags: ownerOf('xavier.lopez'),
    expect: [],
    illustrates: 'Healthy human with one fresh key.',
  },
  {
    name: 'yara.haddad',
    kind: 'human',
    team: 'security',
    created: at('2025-08-11T11:08:25Z'),
    password: { lastUsed: at('2026-11-20T06:59:31Z'), changed: daysAgo(47, '06:45:12') },
    mfa: true,
    tags: ownerOf('yara.haddad'),
    expect: [],
    illustrates: 'Healthy console-only user (on call overnight).',
  },
  {
    name: 'zoe.martins',
    kind: 'human',
    team: 'web',
    created: daysAgo(3, '14:20:09'),
    password: { lastUsed: 'N/A', changed: daysAgo(3, '14:20:09') },
    mfa: false,
    tags: ownerOf('zoe.martins'),
    expect: ['console-user-no-mfa'],
    illustrates:
      'New hire (3 days): password never used yet, inside the 45-day grace, so not password-unused; no MFA yet is reported.',
  },
  // ---- machines (no console password) ---------------------------------------------------
  {
    name: 'ci-deploy',
    kind: 'machine',
    team: 'platform',
    created: at('2021-02-15T10:20:30Z'),
    mfa: false,
    key1: active(daysAgo(30, '10:00:21'), at('2026-11-20T10:05:00Z'), 'sts'),
    tags: owner('platform-team@example.com'),
    expect: [],
    illustrates:
      'Healthy machine user: assumes deploy-role for each pipeline run (STS issuance with the non-ISO expiration).',
  },
  {
    name: 'terraform-runner',
    kind: 'machine',
    team: 'platform',
    created: at('2020-09-09T09:09:09Z'),
    mfa: false,
    key1: active(daysAgo(120, '16:40:02'), at('2026-11-20T09:31:00Z'), 'ec2'),
    tags: owner('platform-team@example.com'),
    expect: ['key-rotation-overdue'],
    illustrates: 'key-rotation-overdue for a machine user: 120-day-old key, used by every plan.',
  },
  {
    name: 'backup-agent',
    kind: 'machine',
    team: 'platform',
    created: at('2022-01-19T02:00:00Z'),
    mfa: false,
    key1: active(daysAgo(60, '02:10:44'), daysAgo(50, '02:15:00'), 's3'),
    // `owner` is the second owner tag read, after credential-health:owner.
    tags: { owner: 'platform-team@example.com' },
    expect: ['key-unused'],
    illustrates:
      'key-unused: the backup job moved to AWS Backup 50 days ago; its key was left active.',
  },
  {
    name: 'etl-loader',
    kind: 'machine',
    team: 'data',
    created: daysAgo(50, '11:30:02'),
    mfa: false,
    key1: active(daysAgo(50, '11:30:09'), null),
    tags: owner('data-team@example.com'),
    expect: ['key-unused'],
    illustrates:
      'key-unused for a never-used key: made 50 days ago, past the 45-day grace. A machine user, so not key-created-with-user.',
  },
  {
    name: 'reporting-bot',
    kind: 'machine',
    team: 'finance',
    created: at('2023-03-03T03:03:03Z'),
    mfa: false,
    key1: active(daysAgo(85, '14:22:09'), at('2026-11-20T06:45:00Z'), 's3'),
    tags: owner('finance-team@example.com'),
    expect: ['key-rotation-due'],
    incidents: ['access-denied'],
    illustrates:
      'key-rotation-due for a machine (85 days) and access-denied: 14 denied s3:GetObject on the payroll prefix.',
  },
  {
    name: 'marketing-sync',
    kind: 'machine',
    team: 'web',
    created: at('2024-04-29T12:00:00Z'),
    mfa: false,
    key1: inactive(daysAgo(200, '11:20:45'), at('2026-11-19T14:00:00Z'), 's3'),
    key2: active(at('2026-11-19T14:35:40Z'), null),
    tags: owner('web-team@example.com'),
    expect: [],
    incidents: ['key-quarantined', 'revoked-key-in-use'],
    illustrates:
      'Its key leaked: AWS attached AWSCompromisedKeyQuarantineV3 (key-quarantined), the key was deactivated 30 min after its last use (revoked-key-in-use) and replaced.',
  },
  {
    name: 'crm-export',
    kind: 'machine',
    team: 'data',
    created: at('2023-11-06T08:00:00Z'),
    mfa: false,
    key1: inactive(daysAgo(95, '08:14:52'), at('2026-11-10T07:00:00Z'), 'sqs'),
    key2: active(at('2026-11-11T09:12:55Z'), at('2026-11-20T09:58:00Z'), 'sqs'),
    tags: owner('data-team@example.com'),
    expect: [],
    incidents: ['revoked-key-in-use'],
    illustrates:
      'An ECS task still holds the key deactivated 9 days ago (stale AWS_ACCESS_KEY_ID): revoked-key-in-use from logs. No finding: inactive for only 10 days.',
  },
  {
    name: 'analytics-export',
    kind: 'machine',
    team: 'data',
    created: at('2023-06-12T12:06:12Z'),
    mfa: false,
    key1: inactive(daysAgo(142, '09:30:30'), at('2026-11-16T10:00:00Z'), 'athena'),
    key2: active(at('2026-11-12T15:02:19Z'), at('2026-11-20T10:00:00Z'), 'athena'),
    tags: owner('data-team@example.com'),
    expect: [],
    illustrates:
      'A clean rotation and a near miss: the old key was deactivated in the window but 3 days after its last use, so it is not revoked-key-in-use.',
  },
  {
    name: 'image-resizer',
    kind: 'machine',
    team: 'web',
    created: daysAgo(10, '15:55:55'),
    mfa: false,
    key1: active(daysAgo(10, '15:56:20'), null),
    tags: owner('web-team@example.com'),
    expect: [],
    illustrates:
      'Near miss: a never-used key 10 days old is inside the 45-day grace period for new keys.',
  },
  {
    name: 'legacy-ftp-sync',
    kind: 'machine',
    team: 'finance',
    created: at('2018-05-22T06:30:00Z'),
    mfa: false,
    key1: inactive(daysAgo(200, '06:45:31'), null),
    tags: owner('finance-team@example.com'),
    expect: ['key-inactive'],
    illustrates:
      'key-inactive for a key that was never used: inactive and present 200 days after creation.',
  },
  {
    name: 'monitoring-agent',
    kind: 'machine',
    team: 'security',
    created: at('2022-09-14T09:14:00Z'),
    mfa: false,
    key1: active(daysAgo(45, '09:00:09'), at('2026-11-20T10:10:00Z'), 'monitoring'),
    tags: owner('security-team@example.com'),
    expect: [],
    illustrates:
      'Healthy machine user: polls CloudWatch every 10 minutes (most of the background traffic).',
  },
  {
    name: 'payments-api',
    kind: 'machine',
    team: 'payments',
    created: at('2022-12-12T12:12:12Z'),
    mfa: false,
    key1: active(daysAgo(55, '12:30:00'), at('2026-11-20T10:05:00Z'), 'secretsmanager'),
    // No owner tag: the owner comes from the team (config `owners.teams`) or the account default.
    expect: [],
    illustrates: 'Healthy machine user with only a `team` tag (owner resolved by team).',
  },
  {
    name: 'log-shipper',
    kind: 'machine',
    team: 'platform',
    created: at('2024-10-01T10:01:00Z'),
    mfa: false,
    key1: active(daysAgo(62, '10:20:30'), at('2026-11-20T10:06:00Z'), 's3'),
    tags: owner('platform-team@example.com'),
    expect: [],
    illustrates: 'Healthy machine user: ships on-premises logs to S3 every 15 minutes.',
  },
  {
    name: 'vendor-scanner',
    kind: 'machine',
    team: 'security',
    created: at('2025-02-03T14:00:00Z'),
    mfa: false,
    key1: active(daysAgo(33, '14:00:41'), at('2026-11-20T04:00:00Z'), 'config'),
    tags: owner('security-team@example.com'),
    expect: [],
    illustrates: 'Healthy third-party scanner key: nightly read-only scan.',
  },
];

/** Users the script tells the story with; every name must exist in USERS. */
function user(name: string): DemoUser {
  const found = USERS.find((u) => u.name === name);
  if (!found) throw new Error(`no demo user ${name}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Identifiers: user ids, key ids, ARNs
// ---------------------------------------------------------------------------------------------

interface Ids {
  readonly userId: ReadonlyMap<string, string>;
  /** `user/slot` → key id. */
  readonly keyId: ReadonlyMap<string, string>;
  /** A key of another account, used by the partner-webhook function (invalid-credentials). */
  readonly foreignKeyId: string;
}

function assignIds(random: Random): Ids {
  const userId = new Map<string, string>();
  const keyId = new Map<string, string>();
  const used = new Set<string>([ROOT_KEY_ID]);
  const fresh = (make: () => string): string => {
    for (;;) {
      const id = make();
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  for (const u of USERS) {
    userId.set(
      u.name,
      fresh(() => `AIDA${random.chars(UPPER_DIGITS, 10)}EXAMPLE`),
    );
    if (u.key1)
      keyId.set(
        `${u.name}/1`,
        fresh(() => fakeKeyId(random, 'AKIA')),
      );
    if (u.key2)
      keyId.set(
        `${u.name}/2`,
        fresh(() => fakeKeyId(random, 'AKIA')),
      );
  }
  return { userId, keyId, foreignKeyId: fresh(() => fakeKeyId(random, 'AKIA')) };
}

function keyIdOf(ids: Ids, name: string, slot: 1 | 2): string {
  const id = ids.keyId.get(`${name}/${slot}`);
  if (!id) throw new Error(`no key ${slot} for ${name}`);
  return id;
}

/** Machine users live under the `/service/` path, so their ARN is not `user/<name>`. */
function userPath(u: DemoUser): string {
  return u.kind === 'machine' ? '/service/' : '/';
}

function userArn(u: DemoUser): string {
  return `arn:aws:iam::${ACCOUNT}:user${userPath(u)}${u.name}`;
}

// ---------------------------------------------------------------------------------------------
// IAM exports
// ---------------------------------------------------------------------------------------------

export const CREDENTIAL_REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function keyColumns(key: DemoKey | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = key.lastUsed;
  return [
    key.status === 'Active' ? 'true' : 'false',
    awsDate(key.created),
    used ? awsDate(toMinute(used)) : 'N/A',
    used ? REGION : 'N/A',
    used ? (key.service ?? 'sts') : 'N/A',
  ];
}

function credentialReportCsv(): string {
  const rootRow = [
    '<root_account>',
    `arn:aws:iam::${ACCOUNT}:root`,
    awsDate(ROOT.created),
    'not_supported',
    awsDate(ROOT.passwordLastUsed),
    'not_supported',
    'not_supported',
    'false',
    ...keyColumns(ROOT.key1),
    ...keyColumns(undefined),
    'false',
    'N/A',
    'false',
    'N/A',
  ];
  const rows = USERS.map((u) => {
    const password = u.password;
    const lastUsed = password?.lastUsed;
    return [
      u.name,
      userArn(u),
      awsDate(u.created),
      password ? 'true' : 'false',
      lastUsed === undefined ? 'N/A' : typeof lastUsed === 'string' ? lastUsed : awsDate(lastUsed),
      password ? awsDate(password.changed) : 'N/A',
      // The account has no password expiry policy, so AWS writes N/A.
      'N/A',
      u.mfa ? 'true' : 'false',
      ...keyColumns(u.key1),
      ...keyColumns(u.key2),
      u.cert ? String(u.cert.active) : 'false',
      u.cert ? awsDate(u.cert.rotated) : 'N/A',
      'false',
      'N/A',
    ];
  });
  // AWS writes LF line ends and no newline after the last row.
  return [CREDENTIAL_REPORT_HEADER, rootRow.join(','), ...rows.map((r) => r.join(','))].join('\n');
}

function accessKeysJson(ids: Ids): unknown {
  // Root's key is not listed: list-access-keys is run per IAM user (the inventory never joins
  // root to it). Root's key id, AKIAIOSFODNN7EXAMPLE, shows up in CloudTrail instead.
  const metadata: unknown[] = [];
  for (const u of USERS) {
    for (const slot of [1, 2] as const) {
      const key = slot === 1 ? u.key1 : u.key2;
      if (!key) continue;
      metadata.push({
        UserName: u.name,
        AccessKeyId: keyIdOf(ids, u.name, slot),
        Status: key.status,
        CreateDate: awsDate(key.created),
      });
    }
  }
  return { AccessKeyMetadata: metadata };
}

function usersJson(ids: Ids): unknown {
  const groupOf: Record<DemoUser['team'], string> = {
    platform: 'platform-engineers',
    data: 'data-engineers',
    payments: 'payments-engineers',
    web: 'web-engineers',
    security: 'security-admins',
    finance: 'finance-analysts',
  };
  const list = [...USERS]
    .sort((a, b) => compareText(a.name, b.name))
    .map((u) => {
      const tags = Object.entries({ team: u.team, ...(u.tags ?? {}) }).map(([Key, Value]) => ({
        Key,
        Value,
      }));
      const attached =
        u.name === 'marketing-sync'
          ? [
              {
                PolicyName: 'AWSCompromisedKeyQuarantineV3',
                PolicyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
              },
            ]
          : [];
      return {
        Path: userPath(u),
        UserName: u.name,
        UserId: ids.userId.get(u.name),
        Arn: userArn(u),
        CreateDate: awsDate(u.created),
        UserPolicyList: [],
        GroupList: u.kind === 'human' ? [groupOf[u.team]] : [],
        AttachedManagedPolicies: attached,
        Tags: tags,
      };
    });
  return {
    UserDetailList: list,
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [],
    IsTruncated: false,
  };
}

function accountSummaryJson(): unknown {
  const mfaUsers = USERS.filter((u) => u.mfa).length;
  return {
    SummaryMap: {
      GroupPolicySizeQuota: 5120,
      InstanceProfilesQuota: 1000,
      Policies: 38,
      GroupsPerUserQuota: 10,
      InstanceProfiles: 6,
      AttachedPoliciesPerUserQuota: 10,
      Users: USERS.length,
      PoliciesQuota: 1500,
      Providers: 1,
      AccountMFAEnabled: 0,
      AccessKeysPerUserQuota: 2,
      AssumeRolePolicySizeQuota: 2048,
      PolicyVersionsInUseQuota: 10000,
      GlobalEndpointTokenVersion: 1,
      VersionsPerPolicyQuota: 5,
      AttachedPoliciesPerGroupQuota: 10,
      PolicySizeQuota: 6144,
      Groups: 6,
      AccountSigningCertificatesPresent: 0,
      UsersQuota: 5000,
      ServerCertificatesQuota: 20,
      MFADevices: mfaUsers,
      UserPolicySizeQuota: 2048,
      PolicyVersionsInUse: 61,
      ServerCertificates: 0,
      Roles: 24,
      RolesQuota: 1000,
      SigningCertificatesPerUserQuota: 2,
      MFADevicesInUse: mfaUsers,
      RolePolicySizeQuota: 10240,
      AttachedPoliciesPerRoleQuota: 10,
      AccountAccessKeysPresent: 1,
      AccountPasswordPresent: 1,
      GroupsQuota: 300,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CloudTrail: identities and records
// ---------------------------------------------------------------------------------------------

type TrailRecord = Record<string, unknown> & { readonly eventTime: string };

interface Role {
  readonly name: string;
  readonly roleId: string;
}

const ROLES = {
  deploy: { name: 'deploy-role', roleId: 'AROADEPLOYROLEEXAMPLE' },
  ordersSync: { name: 'orders-sync-role', roleId: 'AROAORDERSSYNCEXAMPLE' },
  ordersWriter: { name: 'orders-table-writer', roleId: 'AROAORDERSWRTREXAMPLE' },
  reconcileTask: { name: 'reconcile-task-role', roleId: 'AROARECONCILETEXAMPLE' },
  financeReader: { name: 'finance-reports-reader', roleId: 'AROAFINREADERSEXAMPLE' },
  webInstance: { name: 'web-app-instance-role', roleId: 'AROAWEBAPPINSTEXAMPLE' },
} satisfies Record<string, Role>;

const UA = {
  cliMac:
    'aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe',
  cliCi:
    'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#5.10.225-213.878.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2 md/prompt#off md/command#cloudformation.deploy',
  terraform:
    'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.72.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64',
  boto3:
    'Boto3/1.35.40 md/Botocore#1.35.40 ua/2.0 os/linux#6.1.112-124.190.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.40',
  jsLambda:
    'aws-sdk-js/3.687.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.18.0 api/sts#3.687.0 exec-env/AWS_Lambda_nodejs20.x',
  goAgent: 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)',
  java: 'aws-sdk-java/2.28.16 Linux/5.15.0-1071-aws OpenJDK_64-Bit_Server_VM/17.0.12+7-LTS Java/17.0.12 vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/legacy',
  ssmAgent: 'aws-sdk-go/1.44.260 (go1.22.5; linux; amd64) amazon-ssm-agent/3.3.987.0',
  browser:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  browserWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
  console: 'AWS Internal',
} as const;

/** Corporate egress, CI runners, the data centre: documentation address ranges only. */
const IP = {
  office: '203.0.113.24',
  vpn: '203.0.113.25',
  ci: '203.0.113.10',
  datacenter: '198.51.100.14',
  prober: '198.51.100.23',
  scanner: '203.0.113.45',
  anonymous: '198.51.100.77',
  leakUser: '192.0.2.199',
  home: '192.0.2.61',
  rootAdmin: '203.0.113.200',
  vendor: '192.0.2.150',
} as const;

interface TrailContext {
  readonly random: Random;
  readonly ids: Ids;
  readonly records: TrailRecord[];
  /** Records of other Regions, written to the LookupEvents export instead of the S3 tree. */
  readonly lookupRecords: TrailRecord[];
}

function iamUserIdentity(
  ctx: TrailContext,
  u: DemoUser,
  accessKeyId: string,
  /** For console sessions: when the user signed in. */
  consoleSince?: Date,
): Record<string, unknown> {
  return {
    type: 'IAMUser',
    principalId: ctx.ids.userId.get(u.name),
    arn: userArn(u),
    accountId: ACCOUNT,
    accessKeyId,
    userName: u.name,
    ...(consoleSince
      ? {
          sessionContext: {
            attributes: { creationDate: trailTime(consoleSince), mfaAuthenticated: String(u.mfa) },
          },
        }
      : {}),
  };
}

function assumedRoleIdentity(
  role: Role,
  session: string,
  accessKeyId: string,
  created: Date,
): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `${role.roleId}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/${session}`,
    accountId: ACCOUNT,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: role.roleId,
        arn: `arn:aws:iam::${ACCOUNT}:role/${role.name}`,
        accountId: ACCOUNT,
        userName: role.name,
      },
      attributes: { creationDate: trailTime(created), mfaAuthenticated: 'false' },
    },
  };
}

interface RecordInput {
  readonly time: Date;
  readonly identity: Record<string, unknown>;
  readonly source: string;
  readonly name: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly request?: unknown;
  readonly response?: unknown;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly readOnly?: boolean;
  /** S3 object-level calls are data events. */
  readonly data?: boolean;
  readonly resources?: unknown[];
  readonly additional?: Record<string, unknown>;
  readonly region?: string;
  readonly extra?: Record<string, unknown>;
}

function record(ctx: TrailContext, input: RecordInput): TrailRecord {
  const { random } = ctx;
  const region = input.region ?? REGION;
  const host = input.source.replace('.amazonaws.com', '');
  const readOnly = input.readOnly ?? /^(Get|List|Describe|Lookup|Head)/.test(input.name);
  const rec: TrailRecord = {
    eventVersion: input.data ? '1.10' : '1.09',
    userIdentity: input.identity,
    eventTime: trailTime(input.time),
    eventSource: input.source,
    eventName: input.name,
    awsRegion: region,
    sourceIPAddress: input.ip,
    userAgent:
      input.data && !input.userAgent.startsWith('[') ? `[${input.userAgent}]` : input.userAgent,
    ...(input.errorCode ? { errorCode: input.errorCode } : {}),
    // Console sign-in failures carry an errorMessage without an errorCode.
    ...(input.errorMessage ? { errorMessage: input.errorMessage } : {}),
    requestParameters: input.request ?? null,
    responseElements: input.response ?? null,
    ...(input.additional ? { additionalEventData: input.additional } : {}),
    requestID: input.data ? random.chars('0123456789ABCDEF', 16) : random.uuid(),
    eventID: random.uuid(),
    readOnly,
    ...(input.resources ? { resources: input.resources } : {}),
    eventType: 'AwsApiCall',
    managementEvent: !input.data,
    recipientAccountId: ACCOUNT,
    eventCategory: input.data ? 'Data' : 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader:
        host === 'iam' || host === 'signin'
          ? `${host}.amazonaws.com`
          : `${host}.${region}.amazonaws.com`,
    },
    ...(input.extra ?? {}),
  };
  if (region === REGION) ctx.records.push(rec);
  else ctx.lookupRecords.push(rec);
  return rec;
}

/** `count` instants spread over [start, end], in order, with a little jitter. */
function spread(random: Random, start: Date, end: Date, count: number): Date[] {
  if (count <= 1) return [end];
  const step = (end.getTime() - start.getTime()) / (count - 1);
  return Array.from({ length: count }, (_, i) => {
    const jitter =
      i === 0 || i === count - 1 ? 0 : random.int(-Math.floor(step / 3), Math.floor(step / 3));
    return new Date(Math.round(start.getTime() + i * step + jitter));
  });
}

/** Every `minutes` from `start` until `end`. */
function every(start: Date, end: Date, minutes: number): Date[] {
  const out: Date[] = [];
  for (let t = start.getTime(); t <= end.getTime(); t += minutes * 60_000) out.push(new Date(t));
  return out;
}

/**
 * An STS issuance: AssumeRole with the credentials in `responseElements`, the expiration in
 * CloudTrail's own non-ISO format, and a placeholder where the session token would be.
 */
function assumeRole(
  ctx: TrailContext,
  input: {
    time: Date;
    identity: Record<string, unknown>;
    role: Role;
    session: string;
    durationSeconds: number;
    ip: string;
    userAgent: string;
    region?: string;
  },
): { accessKeyId: string; expires: Date } {
  const accessKeyId = fakeKeyId(ctx.random, 'ASIA');
  const expires = plusSeconds(input.time, input.durationSeconds);
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${input.role.name}`;
  record(ctx, {
    time: input.time,
    identity: input.identity,
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    ip: input.ip,
    userAgent: input.userAgent,
    readOnly: true,
    ...(input.region ? { region: input.region } : {}),
    request: { roleArn, roleSessionName: input.session, durationSeconds: input.durationSeconds },
    response: {
      credentials: {
        accessKeyId,
        sessionToken: 'EXAMPLE-SESSION-TOKEN-PLACEHOLDER-NOT-A-REAL-TOKEN',
        expiration: cloudTrailExpiration(expires),
      },
      assumedRoleUser: {
        assumedRoleId: `${input.role.roleId}:${input.session}`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${input.role.name}/${input.session}`,
      },
    },
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: roleArn }],
  });
  return { accessKeyId, expires };
}

function s3Object(bucket: string, key: string): { request: unknown; resources: unknown[] } {
  return {
    request: { bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com`, key },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// CloudTrail SCENARIOS. Each function writes the records of one story.
// ---------------------------------------------------------------------------------------------

/** root-activity (critical: made with the root access key) + root-recent-use in the report. */
function rootUsesItsKey(ctx: TrailContext): void {
  const identity = {
    type: 'Root',
    principalId: ACCOUNT,
    arn: `arn:aws:iam::${ACCOUNT}:root`,
    accountId: ACCOUNT,
    accessKeyId: ROOT_KEY_ID,
  };
  const base = { identity, ip: IP.rootAdmin, userAgent: UA.cliMac };
  record(ctx, {
    ...base,
    time: at('2026-11-20T08:40:12Z'),
    source: 'iam.amazonaws.com',
    name: 'GetAccountSummary',
  });
  record(ctx, {
    ...base,
    time: at('2026-11-20T08:40:31Z'),
    source: 'iam.amazonaws.com',
    name: 'ListUsers',
  });
  record(ctx, {
    ...base,
    time: at('2026-11-20T08:41:07Z'),
    source: 's3.amazonaws.com',
    name: 'ListBuckets',
    request: { Host: 's3.us-east-1.amazonaws.com' },
  });
}

/**
 * key-quarantined and revoked-key-in-use (lifecycle): marketing-sync's key was pushed to a
 * public repository; someone tries it, AWS quarantines the user, and the security lead
 * deactivates the key 30 minutes after its last use, then issues a new one.
 */
function marketingSyncKeyLeaks(ctx: TrailContext): void {
  const ms = user('marketing-sync');
  const leaked = keyIdOf(ctx.ids, ms.name, 1);
  const replacement = keyIdOf(ctx.ids, ms.name, 2);
  const identity = iamUserIdentity(ctx, ms, leaked);
  // The sync job itself, every 15 minutes, from the data centre.
  for (const t of every(at('2026-11-19T00:07:00Z'), at('2026-11-19T13:52:00Z'), 15)) {
    const object = s3Object(
      'example-corp-marketing-assets',
      `campaigns/2026-11/feed-${trailTime(t).slice(11, 16).replace(':', '')}.json`,
    );
    record(ctx, {
      time: plusSeconds(t, ctx.random.int(0, 40)),
      identity,
      source: 's3.amazonaws.com',
      name: 'PutObject',
      ip: IP.datacenter,
      userAgent: UA.java,
      data: true,
      ...object,
    });
  }
  // Someone else tries the key from an address never seen before.
  record(ctx, {
    time: at('2026-11-19T13:41:26Z'),
    identity,
    source: 'sts.amazonaws.com',
    name: 'GetCallerIdentity',
    ip: IP.leakUser,
    userAgent: 'python-requests/2.32.3',
  });
  record(ctx, {
    time: at('2026-11-19T13:42:03Z'),
    identity,
    source: 's3.amazonaws.com',
    name: 'ListBuckets',
    ip: IP.leakUser,
    userAgent: UA.boto3,
    request: { Host: 's3.amazonaws.com' },
  });
  // AWS quarantines the user.
  record(ctx, {
    time: at('2026-11-19T13:58:20Z'),
    identity: { type: 'AWSService', invokedBy: 'AWS Internal' },
    source: 'iam.amazonaws.com',
    name: 'AttachUserPolicy',
    ip: 'AWS Internal',
    userAgent: 'AWS Internal',
    request: {
      userName: ms.name,
      policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
    },
  });
  // The job's next upload is refused by the quarantine policy (one denial: no access-denied burst).
  const last = s3Object('example-corp-marketing-assets', 'campaigns/2026-11/feed-1400.json');
  record(ctx, {
    time: at('2026-11-19T14:00:31Z'),
    identity,
    source: 's3.amazonaws.com',
    name: 'PutObject',
    ip: IP.datacenter,
    userAgent: UA.java,
    data: true,
    errorCode: 'AccessDenied',
    errorMessage: `User: ${userArn(ms)} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::example-corp-marketing-assets/campaigns/2026-11/feed-1400.json" with an explicit deny in an identity-based policy`,
    ...last,
  });
  const alice = user('alice.nguyen');
  const aliceConsole = iamUserIdentity(
    ctx,
    alice,
    fakeKeyId(ctx.random, 'ASIA'),
    at('2026-11-19T14:21:08Z'),
  );
  const consoleExtra = { sessionCredentialFromConsole: 'true' };
  record(ctx, {
    time: at('2026-11-19T14:30:05Z'),
    identity: aliceConsole,
    source: 'iam.amazonaws.com',
    name: 'UpdateAccessKey',
    ip: IP.office,
    userAgent: UA.console,
    request: { userName: ms.name, accessKeyId: leaked, status: 'Inactive' },
    extra: consoleExtra,
  });
  record(ctx, {
    time: at('2026-11-19T14:35:40Z'),
    identity: aliceConsole,
    source: 'iam.amazonaws.com',
    name: 'CreateAccessKey',
    ip: IP.office,
    userAgent: UA.console,
    request: { userName: ms.name },
    response: {
      accessKey: {
        userName: ms.name,
        accessKeyId: replacement,
        status: 'Active',
        createDate: 'Nov 19, 2026, 2:35:40 PM',
      },
    },
    extra: consoleExtra,
  });
}

/**
 * Near miss for revoked-key-in-use: analytics-export's old key is deactivated in the window,
 * but its last use was 3 days earlier (limit 24 h). A clean rotation.
 */
function analyticsExportRotation(ctx: TrailContext): void {
  const carol = user('carol.diaz');
  const ae = user('analytics-export');
  record(ctx, {
    time: at('2026-11-19T16:20:44Z'),
    identity: iamUserIdentity(ctx, carol, keyIdOf(ctx.ids, carol.name, 1)),
    source: 'iam.amazonaws.com',
    name: 'UpdateAccessKey',
    ip: IP.vpn,
    userAgent: `${UA.cliMac} md/command#iam.update-access-key`,
    request: { userName: ae.name, accessKeyId: keyIdOf(ctx.ids, ae.name, 1), status: 'Inactive' },
  });
  const identity = iamUserIdentity(ctx, ae, keyIdOf(ctx.ids, ae.name, 2));
  for (const t of every(at('2026-11-19T04:00:00Z'), at('2026-11-20T10:00:00Z'), 120)) {
    record(ctx, {
      time: plusSeconds(t, ctx.random.int(0, 20)),
      identity,
      source: 'athena.amazonaws.com',
      name: 'StartQueryExecution',
      ip: IP.datacenter,
      userAgent: UA.java,
      readOnly: false,
      request: { workGroup: 'analytics', queryExecutionContext: { database: 'sales' } },
    });
    record(ctx, {
      time: plusSeconds(t, ctx.random.int(21, 50)),
      identity,
      source: 'athena.amazonaws.com',
      name: 'GetQueryExecution',
      ip: IP.datacenter,
      userAgent: UA.java,
    });
  }
}

/** access-denied: 14 denied s3:GetObject on the payroll prefix by reporting-bot, in the window. */
function reportingBotDenied(ctx: TrailContext): void {
  const bot = user('reporting-bot');
  const identity = iamUserIdentity(ctx, bot, keyIdOf(ctx.ids, bot.name, 1));
  const bucket = 'example-corp-finance-reports';
  const base = {
    identity,
    source: 's3.amazonaws.com',
    ip: IP.datacenter,
    userAgent: UA.boto3,
    data: true,
  };
  // The nightly report reads what it may…
  for (const [i, t] of spread(
    ctx.random,
    at('2026-11-19T06:30:00Z'),
    at('2026-11-19T06:36:00Z'),
    6,
  ).entries()) {
    record(ctx, {
      ...base,
      time: t,
      name: 'GetObject',
      ...s3Object(bucket, `exports/2026/11/18/ledger-${i + 1}.csv`),
    });
  }
  for (const [i, t] of spread(
    ctx.random,
    at('2026-11-20T06:30:00Z'),
    at('2026-11-20T06:36:00Z'),
    6,
  ).entries()) {
    record(ctx, {
      ...base,
      time: t,
      name: 'GetObject',
      ...s3Object(bucket, `exports/2026/11/19/ledger-${i + 1}.csv`),
    });
  }
  // …then tries the new payroll files it was never granted.
  const times = spread(ctx.random, at('2026-11-20T06:37:10Z'), at('2026-11-20T06:45:20Z'), 14);
  for (const [i, t] of times.entries()) {
    const key = `payroll/2026/11/payroll-${String(i + 1).padStart(2, '0')}.csv`;
    record(ctx, {
      ...base,
      time: t,
      name: 'GetObject',
      errorCode: 'AccessDenied',
      errorMessage: `User: ${userArn(bot)} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${bucket}/${key}" because no identity-based policy allows the s3:GetObject action`,
      ...s3Object(bucket, key),
    });
  }
}

/** Near miss for access-denied: 12 denials, but on 19 Nov 08:10, before the window opens. */
function deniedBeforeTheWindow(ctx: TrailContext): void {
  const session = 'i-0a4c7e21b9d3f5e68';
  const identity = assumedRoleIdentity(
    ROLES.webInstance,
    session,
    fakeKeyId(ctx.random, 'ASIA'),
    at('2026-11-19T06:02:11Z'),
  );
  for (const t of spread(ctx.random, at('2026-11-19T08:10:00Z'), at('2026-11-19T08:16:00Z'), 12)) {
    record(ctx, {
      time: t,
      identity,
      source: 'secretsmanager.amazonaws.com',
      name: 'GetSecretValue',
      ip: '10.0.3.7',
      userAgent: UA.boto3,
      request: { secretId: 'prod/web/stripe-webhook' },
      errorCode: 'AccessDeniedException',
      errorMessage: `User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLES.webInstance.name}/${session} is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/web/stripe-webhook because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    });
  }
}

/**
 * console-login-failure twice: 11 wrong passwords for rachel.green from one address, and 12
 * sign-ins to user names that do not exist (HIDDEN_DUE_TO_SECURITY_REASONS) from another.
 * Near miss: frank.li mistypes 3 times, then signs in.
 */
function consoleSignIns(ctx: TrailContext): void {
  const loginTo =
    'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_0123456789abcdef';
  const signIn = (input: {
    time: Date;
    identity: Record<string, unknown>;
    ip: string;
    userAgent: string;
    ok: boolean;
    errorMessage?: string;
    mfa: boolean;
    mfaArn?: string;
  }): void => {
    record(ctx, {
      time: input.time,
      identity: input.identity,
      source: 'signin.amazonaws.com',
      name: 'ConsoleLogin',
      ip: input.ip,
      userAgent: input.userAgent,
      readOnly: false,
      response: { ConsoleLogin: input.ok ? 'Success' : 'Failure' },
      additional: {
        LoginTo: loginTo,
        MobileVersion: 'No',
        ...(input.mfaArn ? { MFAIdentifier: input.mfaArn } : {}),
        MFAUsed: input.mfa ? 'Yes' : 'No',
      },
      ...(input.ok ? {} : { errorMessage: input.errorMessage ?? 'Failed authentication' }),
      extra: { eventType: 'AwsConsoleSignIn' },
    });
  };
  const signInIdentity = (u: DemoUser) => ({
    type: 'IAMUser',
    principalId: ctx.ids.userId.get(u.name),
    arn: userArn(u),
    accountId: ACCOUNT,
    accessKeyId: '',
    userName: u.name,
  });
  // Every successful sign-in the credential report shows inside the trail's span.
  for (const u of USERS) {
    const last = u.password?.lastUsed;
    if (!(last instanceof Date) || last < TRAIL_START) continue;
    signIn({
      time: last,
      identity: signInIdentity(u),
      ip: ctx.random.pick([IP.office, IP.vpn, IP.home]),
      userAgent: ctx.random.pick([UA.browser, UA.browserWin]),
      ok: true,
      mfa: u.mfa,
      ...(u.mfa ? { mfaArn: `arn:aws:iam::${ACCOUNT}:mfa/${u.name}` } : {}),
    });
    consoleBrowsing(ctx, u, last);
  }
  const rachel = user('rachel.green');
  for (const t of spread(ctx.random, at('2026-11-20T02:14:00Z'), at('2026-11-20T02:31:00Z'), 11)) {
    signIn({
      time: t,
      identity: signInIdentity(rachel),
      ip: IP.prober,
      userAgent: UA.browserWin,
      ok: false,
      mfa: false,
    });
  }
  for (const t of spread(ctx.random, at('2026-11-20T04:02:00Z'), at('2026-11-20T04:09:00Z'), 12)) {
    signIn({
      time: t,
      identity: {
        type: 'IAMUser',
        accountId: ACCOUNT,
        accessKeyId: '',
        userName: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      },
      ip: IP.scanner,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0',
      ok: false,
      errorMessage: 'No username found in supplied account',
      mfa: false,
    });
  }
  const frank = user('frank.li');
  for (const t of spread(ctx.random, at('2026-11-20T08:52:40Z'), at('2026-11-20T08:54:30Z'), 3)) {
    signIn({
      time: t,
      identity: signInIdentity(frank),
      ip: IP.office,
      userAgent: UA.browser,
      ok: false,
      mfa: false,
    });
  }
}

/** A few read calls after a console sign-in, with the console session's ASIA key. */
function consoleBrowsing(ctx: TrailContext, u: DemoUser, signedIn: Date): void {
  const identity = iamUserIdentity(ctx, u, fakeKeyId(ctx.random, 'ASIA'), signedIn);
  const calls: [string, string][] = [
    ['health.amazonaws.com', 'DescribeEventAggregates'],
    ['ce.amazonaws.com', 'GetCostAndUsage'],
    ['cloudwatch.amazonaws.com', 'DescribeAlarms'],
    ['lambda.amazonaws.com', 'ListFunctions20150331'],
    ['ec2.amazonaws.com', 'DescribeInstances'],
    ['logs.amazonaws.com', 'DescribeLogGroups'],
    ['s3.amazonaws.com', 'ListBuckets'],
  ];
  const count = ctx.random.int(2, 6);
  for (let i = 0; i < count; i += 1) {
    const [source, name] = ctx.random.pick(calls);
    record(ctx, {
      time: plusSeconds(signedIn, 20 + i * ctx.random.int(15, 90)),
      identity,
      source,
      name,
      ip: IP.office,
      userAgent: UA.console,
      extra: { sessionCredentialFromConsole: 'true' },
    });
  }
}

/** anonymous-denied: 15 unsigned GetObject on a private bucket. Near miss: public site reads succeed. */
function anonymousS3(ctx: TrailContext): void {
  const identity = { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' };
  const invoices = 'example-corp-invoices';
  for (const [i, t] of spread(
    ctx.random,
    at('2026-11-20T03:00:00Z'),
    at('2026-11-20T03:18:00Z'),
    15,
  ).entries()) {
    const key = `invoices/2026/11/INV-2026-${String(41200 + i * 7)}.pdf`;
    record(ctx, {
      time: t,
      identity,
      source: 's3.amazonaws.com',
      name: 'GetObject',
      ip: IP.anonymous,
      userAgent: UA.boto3,
      data: true,
      errorCode: 'AccessDenied',
      errorMessage: 'Access Denied',
      ...s3Object(invoices, key),
      additional: {
        SignatureVersion: '',
        AuthenticationMethod: '',
        bytesTransferredIn: 0,
        bytesTransferredOut: 243,
      },
    });
  }
  const site = 'example-corp-public-site';
  for (const t of spread(ctx.random, at('2026-11-19T12:30:00Z'), at('2026-11-20T11:30:00Z'), 20)) {
    record(ctx, {
      time: t,
      identity,
      source: 's3.amazonaws.com',
      name: 'GetObject',
      ip: `192.0.2.${ctx.random.int(2, 120)}`,
      userAgent: UA.browser,
      data: true,
      ...s3Object(
        site,
        ctx.random.pick(['index.html', 'assets/app.js', 'assets/logo.svg', 'pricing/index.html']),
      ),
    });
  }
}

/** ci-deploy assumes deploy-role for each pipeline run, then deploys with the session. */
function ciDeployRuns(ctx: TrailContext): void {
  const ci = user('ci-deploy');
  const identity = iamUserIdentity(ctx, ci, keyIdOf(ctx.ids, ci.name, 1));
  const runs = [
    '2026-11-19T13:02:17Z',
    '2026-11-19T15:47:50Z',
    '2026-11-20T08:20:05Z',
    '2026-11-20T10:05:33Z',
  ];
  for (const [n, start] of runs.entries()) {
    const time = at(start);
    const session = `gh-run-${9_814_200 + n * 37}`;
    const { accessKeyId } = assumeRole(ctx, {
      time,
      identity,
      role: ROLES.deploy,
      session,
      durationSeconds: 3600,
      ip: IP.ci,
      userAgent: UA.cliCi,
    });
    const as = assumedRoleIdentity(ROLES.deploy, session, accessKeyId, time);
    const steps: [string, string][] = [
      ['sts.amazonaws.com', 'GetCallerIdentity'],
      ['cloudformation.amazonaws.com', 'DescribeStacks'],
      ['cloudformation.amazonaws.com', 'CreateChangeSet'],
      ['cloudformation.amazonaws.com', 'DescribeChangeSet'],
      ['cloudformation.amazonaws.com', 'ExecuteChangeSet'],
      ['cloudformation.amazonaws.com', 'DescribeStackEvents'],
      ['cloudformation.amazonaws.com', 'DescribeStackEvents'],
      ['cloudformation.amazonaws.com', 'DescribeStacks'],
    ];
    for (const [i, [source, name]] of steps.entries()) {
      record(ctx, {
        time: plusSeconds(time, 4 + i * ctx.random.int(8, 40)),
        identity: as,
        source,
        name,
        ip: IP.ci,
        userAgent: UA.cliCi,
        request: { stackName: 'orders-service-prod' },
      });
    }
    // The eu-west-1 stack of the same pipeline: these records are in the LookupEvents export.
    for (const [i, [source, name]] of steps.slice(1, 5).entries()) {
      record(ctx, {
        time: plusSeconds(time, 200 + i * 13),
        identity: as,
        source,
        name,
        ip: IP.ci,
        userAgent: UA.cliCi,
        region: 'eu-west-1',
        request: { stackName: 'orders-service-prod-eu' },
      });
    }
    if (n === 2) {
      // Near miss for access-denied: 4 UnauthorizedOperation in eu-west-1, below the 10 needed.
      for (let i = 0; i < 4; i += 1) {
        record(ctx, {
          time: plusSeconds(time, 260 + i * 7),
          identity: as,
          source: 'ec2.amazonaws.com',
          name: 'DescribeInstances',
          ip: IP.ci,
          userAgent: UA.cliCi,
          region: 'eu-west-1',
          request: { instancesSet: {}, filterSet: {} },
          errorCode: 'Client.UnauthorizedOperation',
          errorMessage: `You are not authorized to perform this operation. User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLES.deploy.name}/${session} is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action`,
        });
      }
    }
  }
}

/** terraform-runner's plans: bursts of read calls with its 120-day-old key. */
function terraformPlans(ctx: TrailContext): void {
  const tf = user('terraform-runner');
  const identity = iamUserIdentity(ctx, tf, keyIdOf(ctx.ids, tf.name, 1));
  const reads: [string, string][] = [
    ['sts.amazonaws.com', 'GetCallerIdentity'],
    ['ec2.amazonaws.com', 'DescribeVpcs'],
    ['ec2.amazonaws.com', 'DescribeSubnets'],
    ['ec2.amazonaws.com', 'DescribeSecurityGroups'],
    ['ec2.amazonaws.com', 'DescribeRouteTables'],
    ['iam.amazonaws.com', 'GetRole'],
    ['iam.amazonaws.com', 'GetPolicy'],
    ['iam.amazonaws.com', 'GetPolicyVersion'],
    ['iam.amazonaws.com', 'ListAttachedRolePolicies'],
    ['lambda.amazonaws.com', 'GetFunction20150331v2'],
    ['s3.amazonaws.com', 'GetBucketPolicy'],
    ['s3.amazonaws.com', 'GetBucketVersioning'],
    ['dynamodb.amazonaws.com', 'DescribeTable'],
    ['kms.amazonaws.com', 'DescribeKey'],
    ['logs.amazonaws.com', 'DescribeLogGroups'],
  ];
  for (const start of ['2026-11-19T14:10:00Z', '2026-11-19T17:45:00Z', '2026-11-20T09:30:00Z']) {
    const begin = at(start);
    const times = spread(ctx.random, begin, plusSeconds(begin, 110), 40);
    for (const [i, t] of times.entries()) {
      const [source, name] =
        i === times.length - 1
          ? (['ec2.amazonaws.com', 'DescribeVpcs'] as const)
          : ctx.random.pick(reads);
      record(ctx, { time: t, identity, source, name, ip: IP.ci, userAgent: UA.terraform });
    }
  }
  // The same plan reads eu-west-1: those records are in the LookupEvents export.
  const eu = at('2026-11-20T09:29:10Z');
  for (const t of spread(ctx.random, eu, plusSeconds(eu, 30), 8)) {
    record(ctx, {
      time: t,
      identity,
      source: 'ec2.amazonaws.com',
      name: ctx.random.pick(['DescribeVpcs', 'DescribeSubnets', 'DescribeInstances']),
      ip: IP.ci,
      userAgent: UA.terraform,
      region: 'eu-west-1',
    });
  }
}

/**
 * STS issuance behind two expired-credentials incidents seen in the logs:
 * - orders-sync (Lambda) caches an assumed-role DynamoDB client at module scope: the 07:15
 *   session expires at 08:15 and the warm function keeps using it;
 * - nightly-reconcile (ECS) assumes finance-reports-reader for 1 hour at 02:07:39 and runs
 *   longer: its session expires "Nov 20, 2026, 3:07:39 AM".
 */
function stsSessions(ctx: TrailContext): { ordersKey: string; reconcileKey: string } {
  let ordersKey = '';
  for (const start of [
    '2026-11-19T13:00:02Z',
    '2026-11-19T18:22:41Z',
    '2026-11-20T06:10:02Z',
    '2026-11-20T07:15:02Z',
    '2026-11-20T09:45:10Z',
  ]) {
    // Each cold start runs with fresh execution-role credentials from the Lambda service.
    const lambdaIdentity = assumedRoleIdentity(
      ROLES.ordersSync,
      'orders-sync',
      fakeKeyId(ctx.random, 'ASIA'),
      plusSeconds(at(start), -2),
    );
    const issued = assumeRole(ctx, {
      time: at(start),
      identity: lambdaIdentity,
      role: ROLES.ordersWriter,
      session: `orders-sync-${start.slice(11, 19).replaceAll(':', '')}`,
      durationSeconds: 3600,
      ip: '3.231.44.18',
      userAgent: UA.jsLambda,
    });
    if (start === '2026-11-20T07:15:02Z') ordersKey = issued.accessKeyId;
    record(ctx, {
      time: plusSeconds(at(start), -1),
      identity: lambdaIdentity,
      source: 'kms.amazonaws.com',
      name: 'Decrypt',
      ip: '3.231.44.18',
      userAgent: UA.jsLambda,
      readOnly: true,
      request: {
        encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        encryptionContext: { LambdaFunctionName: 'orders-sync' },
      },
    });
  }
  const taskKey = fakeKeyId(ctx.random, 'ASIA');
  const taskIdentity = assumedRoleIdentity(
    ROLES.reconcileTask,
    '5f0c2a9b7e3d4c1a8b6e9f2d0a1c3b5e',
    taskKey,
    at('2026-11-20T02:05:12Z'),
  );
  const issued = assumeRole(ctx, {
    time: at('2026-11-20T02:07:39Z'),
    identity: taskIdentity,
    role: ROLES.financeReader,
    session: 'reconcile-20261120',
    durationSeconds: 3600,
    ip: '10.0.12.44',
    userAgent: UA.boto3,
  });
  const reader = assumedRoleIdentity(
    ROLES.financeReader,
    'reconcile-20261120',
    issued.accessKeyId,
    at('2026-11-20T02:07:39Z'),
  );
  for (const [i, t] of spread(
    ctx.random,
    at('2026-11-20T02:08:05Z'),
    at('2026-11-20T03:05:50Z'),
    30,
  ).entries()) {
    record(ctx, {
      time: t,
      identity: reader,
      source: 's3.amazonaws.com',
      name: 'GetObject',
      ip: '10.0.12.44',
      userAgent: UA.boto3,
      data: true,
      ...s3Object(
        'example-corp-finance-reports',
        `settlements/2026/11/19/batch-${String(i + 1).padStart(4, '0')}.parquet`,
      ),
    });
  }
  return { ordersKey, reconcileKey: issued.accessKeyId };
}

/** The steady background: monitoring, log shipping, instance roles, people's CLI use. */
function backgroundTraffic(ctx: TrailContext): void {
  const end = at('2026-11-20T11:55:00Z');
  const mon = user('monitoring-agent');
  const monId = iamUserIdentity(ctx, mon, keyIdOf(ctx.ids, mon.name, 1));
  for (const t of every(TRAIL_START, end, 10)) {
    record(ctx, {
      time: plusSeconds(t, ctx.random.int(0, 25)),
      identity: monId,
      source: 'monitoring.amazonaws.com',
      name: 'GetMetricData',
      ip: IP.vendor,
      userAgent: UA.goAgent,
    });
    record(ctx, {
      time: plusSeconds(t, ctx.random.int(26, 50)),
      identity: monId,
      source: 'monitoring.amazonaws.com',
      name: 'ListMetrics',
      ip: IP.vendor,
      userAgent: UA.goAgent,
    });
  }
  const ship = user('log-shipper');
  const shipId = iamUserIdentity(ctx, ship, keyIdOf(ctx.ids, ship.name, 1));
  for (const t of every(plusSeconds(TRAIL_START, 360), end, 15)) {
    const stamp = trailTime(t).replaceAll(/[-:]/g, '').slice(0, 13);
    record(ctx, {
      time: plusSeconds(t, ctx.random.int(0, 30)),
      identity: shipId,
      source: 's3.amazonaws.com',
      name: 'PutObject',
      ip: IP.datacenter,
      userAgent: 'Fluent-Bit/3.1.9',
      data: true,
      ...s3Object('example-corp-onprem-logs', `syslog/${stamp}-${ctx.random.hex(6)}.gz`),
    });
  }
  for (const instance of ['i-0a4c7e21b9d3f5e68', 'i-0d83b1f6a2c94e071']) {
    // Instance profile credentials are replaced every 6 hours or so: a new ASIA key each time.
    let identity: Record<string, unknown> = {};
    let sessionStart = -1;
    for (const t of every(plusSeconds(TRAIL_START, ctx.random.int(0, 300)), end, 20)) {
      const slot = Math.floor(t.getUTCHours() / 6) + t.getUTCDate() * 4;
      if (slot !== sessionStart) {
        sessionStart = slot;
        identity = assumedRoleIdentity(
          ROLES.webInstance,
          instance,
          fakeKeyId(ctx.random, 'ASIA'),
          plusSeconds(t, -ctx.random.int(60, 900)),
        );
      }
      record(ctx, {
        time: t,
        identity,
        source: 'ssm.amazonaws.com',
        name: 'UpdateInstanceInformation',
        ip: '10.0.3.7',
        userAgent: UA.ssmAgent,
        readOnly: false,
        request: { instanceId: instance, agentVersion: '3.3.987.0', platformType: 'Linux' },
      });
    }
  }
  const pay = user('payments-api');
  const payId = iamUserIdentity(ctx, pay, keyIdOf(ctx.ids, pay.name, 1));
  for (const t of every(at('2026-11-19T00:05:00Z'), at('2026-11-20T10:05:00Z'), 30)) {
    record(ctx, {
      time: plusSeconds(t, ctx.random.int(0, 20)),
      identity: payId,
      source: 'secretsmanager.amazonaws.com',
      name: 'GetSecretValue',
      ip: IP.datacenter,
      userAgent: UA.java,
      request: { secretId: 'prod/payments/psp-api' },
    });
  }
  const vendor = user('vendor-scanner');
  const vendorId = iamUserIdentity(ctx, vendor, keyIdOf(ctx.ids, vendor.name, 1));
  for (const t of spread(ctx.random, at('2026-11-20T03:55:00Z'), at('2026-11-20T04:00:10Z'), 25)) {
    record(ctx, {
      time: t,
      identity: vendorId,
      source: 'config.amazonaws.com',
      name: ctx.random.pick([
        'DescribeConfigRules',
        'DescribeComplianceByConfigRule',
        'GetComplianceDetailsByConfigRule',
      ]),
      ip: IP.vendor,
      userAgent: UA.boto3,
    });
  }
  const crm = user('crm-export');
  const crmId = iamUserIdentity(ctx, crm, keyIdOf(ctx.ids, crm.name, 2));
  for (const t of every(at('2026-11-19T00:58:00Z'), at('2026-11-20T09:58:00Z'), 60)) {
    record(ctx, {
      time: plusSeconds(t, ctx.random.int(0, 30)),
      identity: crmId,
      source: 'sqs.amazonaws.com',
      name: 'GetQueueAttributes',
      ip: '10.0.21.9',
      userAgent: UA.boto3,
      request: {
        queueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/crm-export-out`,
        attributeNames: ['ApproximateNumberOfMessages'],
      },
    });
  }
  // People using the CLI with their own keys, ending at the "last used" the report shows.
  const cliUse: [string, 1 | 2, string, string][] = [
    ['alice.nguyen', 1, 'iam.amazonaws.com', 'ListUsers'],
    ['dan.okafor', 1, 's3.amazonaws.com', 'ListBuckets'],
    ['julia.rossi', 2, 's3.amazonaws.com', 'ListBuckets'],
    ['kevin.brown', 2, 'ec2.amazonaws.com', 'DescribeInstances'],
    ['nina.patel', 1, 'dynamodb.amazonaws.com', 'DescribeTable'],
    ['priya.shah', 1, 'glue.amazonaws.com', 'GetJobRuns'],
    ['sam.taylor', 2, 'securityhub.amazonaws.com', 'GetFindings'],
    ['umar.farouk', 1, 'lambda.amazonaws.com', 'ListFunctions20150331'],
    ['mike.obrien', 1, 'redshift.amazonaws.com', 'DescribeClusters'],
    ['xavier.lopez', 1, 'eks.amazonaws.com', 'ListClusters'],
  ];
  for (const [name, slot, source, eventName] of cliUse) {
    const u = user(name);
    const key = slot === 1 ? u.key1 : u.key2;
    const last = key?.lastUsed;
    if (!last || last < TRAIL_START) continue;
    const identity = iamUserIdentity(ctx, u, keyIdOf(ctx.ids, name, slot));
    for (const t of spread(
      ctx.random,
      plusSeconds(last, -600),
      plusSeconds(last, ctx.random.int(0, 50)),
      ctx.random.int(3, 8),
    )) {
      record(ctx, { time: t, identity, source, name: eventName, ip: IP.vpn, userAgent: UA.cliMac });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Workload logs (CloudWatch Logs): where authentication failures are really seen
// ---------------------------------------------------------------------------------------------

interface LogLine {
  readonly time: Date;
  readonly group: string;
  readonly stream: string;
  readonly message: string;
}

interface LogContext {
  readonly random: Random;
  readonly ids: Ids;
  readonly lines: LogLine[];
}

function lambdaStream(random: Random, day = '2026/11/20'): string {
  return `${day}/[$LATEST]${random.hex(32)}`;
}

/** Node.js Lambda runtime lines: START, a few INFO lines, END and REPORT. */
function lambdaInvocation(
  ctx: LogContext,
  input: {
    group: string;
    stream: string;
    time: Date;
    info: readonly string[];
    error?: string;
    memory: number;
  },
): void {
  const requestId = ctx.random.uuid();
  const lines: string[] = [`START RequestId: ${requestId} Version: $LATEST`];
  for (const text of input.info)
    lines.push(`${input.time.toISOString()}\t${requestId}\tINFO\t${text}`);
  if (input.error) lines.push(`${input.time.toISOString()}\t${requestId}\tERROR\t${input.error}`);
  const duration = (ctx.random.int(4000, 180_000) / 100).toFixed(2);
  lines.push(`END RequestId: ${requestId}`);
  lines.push(
    `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${Math.ceil(Number(duration))} ms\tMemory Size: ${input.memory} MB\tMax Memory Used: ${ctx.random.int(80, 190)} MB`,
  );
  lines.forEach((message, i) => {
    ctx.lines.push({
      time: new Date(input.time.getTime() + i * 7 + ctx.random.int(0, 5)),
      group: input.group,
      stream: input.stream,
      message,
    });
  });
}

/** expired-credentials (Lambda, JS v3): the cached session's key is logged by the function. */
function ordersSyncLogs(ctx: LogContext, ordersKey: string): void {
  const group = '/aws/lambda/orders-sync';
  const stream = lambdaStream(ctx.random);
  for (const t of every(at('2026-11-20T06:00:00Z'), at('2026-11-20T11:50:00Z'), 10)) {
    const time = plusSeconds(t, ctx.random.int(0, 50));
    const expired = time > at('2026-11-20T08:16:00Z') && time < at('2026-11-20T09:44:00Z');
    lambdaInvocation(ctx, {
      group,
      stream,
      time,
      memory: 512,
      info: [`synced ${ctx.random.int(3, 60)} orders from shard ${ctx.random.int(0, 7)}`],
      ...(expired
        ? {
            error: `DynamoDB PutItem failed with ${ordersKey}: ExpiredTokenException: The security token included in the request is expired\n    at throwDefaultError (/var/task/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)\n    at /var/task/node_modules/@smithy/smithy-client/dist-cjs/index.js:876:5`,
          }
        : {}),
    });
  }
}

/** no-credentials (Lambda, JS v3): a config loader wipes the runtime's credential variables. */
function invoicePdfLogs(ctx: LogContext): void {
  const group = '/aws/lambda/invoice-pdf';
  const stream = lambdaStream(ctx.random);
  for (const [i, t] of every(
    at('2026-11-20T09:50:00Z'),
    at('2026-11-20T11:40:00Z'),
    10,
  ).entries()) {
    const broken = i >= 3 && i < 8;
    lambdaInvocation(ctx, {
      group,
      stream,
      time: plusSeconds(t, ctx.random.int(0, 40)),
      memory: 1024,
      info: [`rendering invoice INV-2026-${41_900 + i}`],
      ...(broken
        ? {
            error: `Invoke Error \t{"errorType":"CredentialsProviderError","errorMessage":"Could not load credentials from any providers","name":"CredentialsProviderError","tryNextLink":false,"stack":["CredentialsProviderError: Could not load credentials from any providers","    at /var/runtime/node_modules/@aws-sdk/credential-provider-node/dist-cjs/index.js:152:13"]}`,
          }
        : {}),
    });
  }
}

/** invalid-credentials: a partner's key (not in this account) configured on a webhook. */
function partnerWebhookLogs(ctx: LogContext): void {
  const group = '/aws/lambda/partner-webhook';
  const stream = lambdaStream(ctx.random, '2026/11/19');
  for (const [i, t] of every(
    at('2026-11-19T21:00:00Z'),
    at('2026-11-20T00:20:00Z'),
    20,
  ).entries()) {
    const failing = i >= 2 && i < 8;
    lambdaInvocation(ctx, {
      group,
      stream,
      time: plusSeconds(t, ctx.random.int(0, 50)),
      memory: 256,
      info: [`received partner event ${ctx.random.hex(12)}`],
      ...(failing
        ? {
            error: `forward to partner queue failed (accessKeyId=${ctx.ids.foreignKeyId}): InvalidClientTokenId: The security token included in the request is invalid.`,
          }
        : {}),
    });
  }
}

/** Near miss for no-credentials: 3 lines in report-mailer, below the 5 needed. */
function reportMailerLogs(ctx: LogContext): void {
  const group = '/aws/lambda/report-mailer';
  const stream = lambdaStream(ctx.random);
  for (const [i, t] of every(
    at('2026-11-20T07:00:00Z'),
    at('2026-11-20T07:50:00Z'),
    10,
  ).entries()) {
    const requestId = ctx.random.uuid();
    const time = plusSeconds(t, ctx.random.int(0, 30));
    ctx.lines.push({
      time,
      group,
      stream,
      message: `START RequestId: ${requestId} Version: $LATEST`,
    });
    ctx.lines.push({
      time: plusSeconds(time, 1),
      group,
      stream,
      message:
        i % 2 === 1
          ? `[ERROR] NoCredentialsError: Unable to locate credentials\nTraceback (most recent call last):\n  File "/var/task/mailer.py", line 41, in handler\n    ses.send_email(**message)`
          : `[INFO]\t${time.toISOString()}\t${requestId}\tsent daily digest to 14 recipients`,
    });
    ctx.lines.push({
      time: plusSeconds(time, 2),
      group,
      stream,
      message: `END RequestId: ${requestId}`,
    });
  }
}

/** revoked-key-in-use from logs: an old ECS task still carries crm-export's deactivated key. */
function crmExportLogs(ctx: LogContext): void {
  const group = '/aws/ecs/crm-export';
  const revoked = keyIdOf(ctx.ids, 'crm-export', 1);
  const oldTask = `crm-export/crm-export/${ctx.random.hex(32)}`;
  const newTask = `crm-export/crm-export/${ctx.random.hex(32)}`;
  for (const t of every(at('2026-11-20T06:00:00Z'), at('2026-11-20T09:00:00Z'), 30)) {
    const time = plusSeconds(t, ctx.random.int(0, 20));
    const first = t.getTime() === at('2026-11-20T06:00:00Z').getTime();
    ctx.lines.push({
      time,
      group,
      stream: oldTask,
      message: first
        ? // The secret reaches the log through a careless error message: it must never reach a report.
          `${pyTime(time)} ERROR crm_export.push: batch ${ctx.random.int(4000, 4999)} failed with aws_access_key_id=${revoked} aws_secret_access_key=${DEMO_SECRET_FAKE}: botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling the SendMessage operation: The security token included in the request is invalid.`
        : `${pyTime(time)} ERROR crm_export.push: batch ${ctx.random.int(4000, 4999)} failed (key ${revoked}): botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling the SendMessage operation: The security token included in the request is invalid.`,
    });
    ctx.lines.push({
      time: plusSeconds(time, 40),
      group,
      stream: newTask,
      message: `${pyTime(plusSeconds(time, 40))} INFO crm_export.push: sent ${ctx.random.int(50, 400)} contacts to crm-export-out`,
    });
  }
}

/** expired-credentials (ECS, Python): the 1-hour session ends before the reconcile job does. */
function nightlyReconcileLogs(ctx: LogContext, reconcileKey: string): void {
  const group = '/aws/ecs/nightly-reconcile';
  const stream = `reconcile/reconcile/${ctx.random.hex(32)}`;
  const push = (time: Date, message: string) => ctx.lines.push({ time, group, stream, message });
  push(
    at('2026-11-20T02:07:40.210Z'),
    `2026-11-20 02:07:40,210 INFO reconcile.main: assumed finance-reports-reader, session key ${reconcileKey}, expires 2026-11-20T03:07:39Z`,
  );
  for (const [i, t] of spread(
    ctx.random,
    at('2026-11-20T02:10:00Z'),
    at('2026-11-20T03:05:00Z'),
    12,
  ).entries()) {
    push(
      t,
      `${pyTime(t)} INFO reconcile.settlements: batch ${i + 1}/40 reconciled, ${ctx.random.int(900, 4000)} rows`,
    );
  }
  for (const t of spread(ctx.random, at('2026-11-20T03:08:02Z'), at('2026-11-20T03:40:00Z'), 8)) {
    push(
      t,
      `${pyTime(t)} ERROR reconcile.settlements: read failed with ${reconcileKey}: botocore.exceptions.ClientError: An error occurred (ExpiredToken) when calling the GetObject operation: The provided token has expired.`,
    );
  }
  push(
    at('2026-11-20T03:40:05.002Z'),
    '2026-11-20 03:40:05,002 ERROR reconcile.main: giving up after 8 failed batches; exit 1',
  );
}

/** clock-skew: an EC2 host whose clock runs 30 minutes slow. */
function legacyLedgerLogs(ctx: LogContext): void {
  const group = '/ec2/legacy-ledger';
  const stream = 'i-0f1e2d3c4b5a69788/app.log';
  const compact = (d: Date) => d.toISOString().slice(0, 19).replaceAll(/[-:]/g, '') + 'Z';
  for (const t of every(at('2026-11-20T08:40:00Z'), at('2026-11-20T08:55:00Z'), 5)) {
    ctx.lines.push({
      time: t,
      group,
      stream,
      message: `${pyTime(t)} INFO ledger.upload: queued ${ctx.random.int(10, 90)} entries`,
    });
  }
  for (const t of every(at('2026-11-20T09:00:00Z'), at('2026-11-20T09:25:00Z'), 5)) {
    const signed = new Date(t.getTime() - 30 * 60_000);
    const limit = new Date(t.getTime() - 15 * 60_000);
    ctx.lines.push({
      time: plusSeconds(t, 2),
      group,
      stream,
      message: `${pyTime(plusSeconds(t, 2))} ERROR ledger.upload: botocore.exceptions.ClientError: An error occurred (SignatureDoesNotMatch) when calling the SendMessage operation: Signature expired: ${compact(signed)} is now earlier than ${compact(limit)} (${compact(t)} - 15 min.)`,
    });
  }
}

/** no-credentials (ECS, Python): a new task definition revision lost its taskRoleArn. */
function billingWorkerLogs(ctx: LogContext): LogLine[] {
  const group = '/aws/ecs/billing-worker';
  const oldTask = `billing-worker/billing-worker/${ctx.random.hex(32)}`;
  const newTask = `billing-worker/billing-worker/${ctx.random.hex(32)}`;
  const lines: LogLine[] = [];
  const push = (time: Date, stream: string, message: string) =>
    lines.push({ time, group, stream, message });
  for (const t of every(at('2026-11-20T04:00:00Z'), at('2026-11-20T05:05:00Z'), 5)) {
    push(
      plusSeconds(t, ctx.random.int(0, 30)),
      oldTask,
      `${pyTime(t)} INFO billing_worker.export: exported ${ctx.random.int(100, 900)} invoices to s3://example-corp-billing/exports/`,
    );
  }
  push(
    at('2026-11-20T05:08:11.404Z'),
    newTask,
    '2026-11-20 05:08:11,404 INFO billing_worker: starting revision 42',
  );
  push(
    at('2026-11-20T05:08:11.420Z'),
    newTask,
    `2026-11-20 05:08:11,420 DEBUG billing_worker.settings: loaded /app/.env.example: AWS_REGION=us-east-1 aws_secret_access_key=${DEMO_SECRET_FAKE} (ignored: credentials come from the task role)`,
  );
  for (const t of spread(ctx.random, at('2026-11-20T05:10:00Z'), at('2026-11-20T05:35:00Z'), 6)) {
    push(
      t,
      newTask,
      `${pyTime(t)} ERROR billing_worker.export: export failed: botocore.exceptions.NoCredentialsError: Unable to locate credentials`,
    );
  }
  return lines;
}

function pyTime(date: Date): string {
  return date.toISOString().slice(0, 23).replace('T', ' ').replace('.', ',');
}

// ---------------------------------------------------------------------------------------------
// Output files
// ---------------------------------------------------------------------------------------------

/** What the script writes: relative path → content. */
export type DemoFiles = Map<string, Buffer>;

function json(value: unknown): Buffer {
  // The AWS CLI prints JSON with 4-space indentation.
  return Buffer.from(`${JSON.stringify(value, null, 4)}\n`);
}

function trailFiles(ctx: TrailContext, files: DemoFiles): void {
  // One delivery file per hour, as a quiet trail delivers them; records keep no order inside.
  const byHour = new Map<string, TrailRecord[]>();
  for (const rec of ctx.records) {
    const hour = rec.eventTime.slice(0, 13);
    const list = byHour.get(hour) ?? [];
    list.push(rec);
    byHour.set(hour, list);
  }
  for (const hour of [...byHour.keys()].sort()) {
    const records = byHour.get(hour) ?? [];
    const [date, hh] = hour.split('T') as [string, string];
    const [yyyy, mm, dd] = date.split('-') as [string, string, string];
    const minute = String(ctx.random.int(55, 59));
    const suffix = ctx.random.chars(
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
      16,
    );
    const name = `${ACCOUNT}_CloudTrail_${REGION}_${yyyy}${mm}${dd}T${hh}${minute}Z_${suffix}.json.gz`;
    // Delivery order, not event order: shuffle deterministically.
    const shuffled = [...records].sort((a, b) => compareText(String(a.eventID), String(b.eventID)));
    const body = JSON.stringify({ Records: shuffled });
    files.set(
      `cloudtrail/AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${yyyy}/${mm}/${dd}/${name}`,
      gzipSync(body, { level: 9 }),
    );
  }
}

/** `aws cloudtrail lookup-events --region eu-west-1` output: what the S3 tree above does not hold. */
function lookupEventsFile(ctx: TrailContext): Buffer {
  const events = [...ctx.lookupRecords]
    .sort((a, b) => compareText(b.eventTime, a.eventTime))
    .map((rec) => {
      const identity = rec.userIdentity as Record<string, unknown>;
      const arn = typeof identity.arn === 'string' ? identity.arn : '';
      return {
        EventId: rec.eventID,
        EventName: rec.eventName,
        ReadOnly: String(rec.readOnly),
        AccessKeyId: identity.accessKeyId,
        EventTime: awsDate(new Date(rec.eventTime)),
        EventSource: rec.eventSource,
        Username: arn.split('/').at(-1) ?? '',
        Resources: [],
        CloudTrailEvent: JSON.stringify(rec),
      };
    });
  return json({ Events: events });
}

function insightsFile(ctx: LogContext, lines: readonly LogLine[]): Buffer {
  const sorted = [...lines].sort((a, b) => b.time.getTime() - a.time.getTime());
  const results = sorted.map((line) => [
    { field: '@timestamp', value: insightsTime(line.time) },
    { field: '@log', value: `${ACCOUNT}:${line.group}` },
    { field: '@logStream', value: line.stream },
    { field: '@message', value: line.message },
    { field: '@ptr', value: Buffer.from(`${ctx.random.hex(24)}`).toString('base64') },
  ]);
  const bytes = sorted.reduce((sum, l) => sum + l.message.length + 60, 0);
  return json({
    results,
    statistics: {
      recordsMatched: sorted.length,
      recordsScanned: sorted.length * 3,
      bytesScanned: bytes * 3,
    },
    status: 'Complete',
  });
}

function filterLogEventsFile(ctx: LogContext, group: string, lines: readonly LogLine[]): Buffer {
  const events = [...lines]
    .sort((a, b) => a.time.getTime() - b.time.getTime())
    .map((line) => ({
      logStreamName: line.stream,
      timestamp: line.time.getTime(),
      message: line.message,
      ingestionTime: line.time.getTime() + ctx.random.int(150, 2500),
      eventId: ctx.random.chars('0123456789', 56),
    }));
  // `logGroupName` is ours: filter-log-events does not say which group it searched.
  return json({ logGroupName: group, events, searchedLogStreams: [] });
}

/** Every file of the demo account, in memory; deterministic for a given seed. */
export function buildDemoAccount(seed = 20261120): DemoFiles {
  const random = createRandom(seed);
  const ids = assignIds(random);
  const files: DemoFiles = new Map();

  const csv = credentialReportCsv();
  files.set('account.json', json({ id: ACCOUNT, alias: DEMO_ACCOUNT_ALIAS }));
  files.set('credential-report.csv', Buffer.from(csv));
  files.set(
    'credential-report.json',
    json({
      Content: Buffer.from(csv).toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: REPORT_GENERATED,
    }),
  );
  files.set('access-keys.json', json(accessKeysJson(ids)));
  files.set('users.json', json(usersJson(ids)));
  files.set('account-summary.json', json(accountSummaryJson()));

  const trail: TrailContext = { random, ids, records: [], lookupRecords: [] };
  rootUsesItsKey(trail);
  marketingSyncKeyLeaks(trail);
  analyticsExportRotation(trail);
  reportingBotDenied(trail);
  deniedBeforeTheWindow(trail);
  consoleSignIns(trail);
  anonymousS3(trail);
  ciDeployRuns(trail);
  terraformPlans(trail);
  const sessions = stsSessions(trail);
  backgroundTraffic(trail);
  trailFiles(trail, files);
  files.set('cloudtrail/lookup-events.json', lookupEventsFile(trail));

  const logs: LogContext = { random, ids, lines: [] };
  ordersSyncLogs(logs, sessions.ordersKey);
  invoicePdfLogs(logs);
  partnerWebhookLogs(logs);
  reportMailerLogs(logs);
  const lambdaLines = [...logs.lines];
  logs.lines.length = 0;
  crmExportLogs(logs);
  nightlyReconcileLogs(logs, sessions.reconcileKey);
  legacyLedgerLogs(logs);
  const containerLines = [...logs.lines];
  files.set('logs/insights-lambda.json', insightsFile(logs, lambdaLines));
  files.set('logs/insights-ecs-ec2.json', insightsFile(logs, containerLines));
  files.set(
    'logs/filter-log-events.aws-ecs-billing-worker.json',
    filterLogEventsFile(logs, '/aws/ecs/billing-worker', billingWorkerLogs(logs)),
  );

  files.set('README.md', Buffer.from(readme(trail)));
  return files;
}

// ---------------------------------------------------------------------------------------------
// README: generated from the tables above, so it cannot drift from the data
// ---------------------------------------------------------------------------------------------

function readme(trail: TrailContext): string {
  const rows = USERS.map((u) => {
    const findings = u.expect.length > 0 ? u.expect.map((c) => `\`${c}\``).join(', ') : 'none';
    const incidents = (u.incidents ?? []).map((k) => `\`${k}\``).join(', ') || '';
    return `| \`${u.name}\` | ${u.kind} | ${u.team} | ${findings} | ${incidents} | ${u.illustrates} |`;
  });
  const healthy = USERS.filter((u) => u.expect.length === 0).length;
  return `# Demo account: Example Corp (\`${ACCOUNT}\`, \`${DEMO_ACCOUNT_ALIAS}\`)

Generated by \`scripts/generate-demo.ts\` (\`npm run demo:generate\`); do not edit by hand: the
test \`test/examples/demo-account.test.ts\` regenerates it and fails on any difference.
\`npm run demo\` audits it as of \`${DEMO_NOW}\` with the default 24-hour lookback
(window 2026-11-19T12:00Z → 2026-11-20T12:00Z) and the default thresholds.

Every key id, user id and secret here is fake: key ids are \`AKIA\`/\`ASIA\` + \`EXAMPLE\` + 9
characters, the root key is the documented \`AKIAIOSFODNN7EXAMPLE\`, and the one "secret" is the
documented \`${DEMO_SECRET_FAKE}\`, which the workloads log on purpose to show that it never
reaches a report.

## Files

| file | what it is |
|---|---|
| \`credential-report.csv\` | the decoded IAM credential report (\`<root_account>\` first, \`N/A\`, \`no_information\`, \`not_supported\` as AWS writes them) |
| \`credential-report.json\` | \`aws iam get-credential-report\` output: the same CSV in base64, with \`GeneratedTime\` ${REPORT_GENERATED} (the report's age is known) |
| \`access-keys.json\` | \`aws iam list-access-keys\` for every user, merged: key ids, status, \`CreateDate\` = the report's \`last_rotated\` (IAM users only; root's key id appears in CloudTrail) |
| \`users.json\` | \`aws iam get-account-authorization-details --filter User\`: tags (\`team\`, \`credential-health:owner\`, \`owner\`, \`credential-health:exempt\`); machine users are under the \`/service/\` path |
| \`account-summary.json\` | \`aws iam get-account-summary\` (root has a key, no MFA) |
| \`account.json\` | \`{"id","alias"}\` |
| \`cloudtrail/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/{19,20}/*.json.gz\` | the trail as delivered to S3, one file per hour, ${trail.records.length} records (management events and S3 data events) |
| \`cloudtrail/lookup-events.json\` | \`aws cloudtrail lookup-events --region eu-west-1\` output, ${trail.lookupRecords.length} events the S3 tree does not hold (\`CloudTrailEvent\` is a JSON string) |
| \`logs/insights-lambda.json\` | \`aws logs get-query-results\` over the Lambda log groups |
| \`logs/insights-ecs-ec2.json\` | \`aws logs get-query-results\` over ECS and EC2 log groups |
| \`logs/filter-log-events.aws-ecs-billing-worker.json\` | \`aws logs filter-log-events --log-group-name /aws/ecs/billing-worker\` output. That command does not say which group it searched, so we add a top-level \`logGroupName\` field (and name the file after the group) |

## The users (${USERS.length} IAM users + root; ${healthy} have no finding, one of them by exemption)

"Findings" are the checks the audit must report for the user at the default thresholds; "none"
means the user must not appear in the findings at all.

| user | kind | team | findings | incidents | what it illustrates |
|---|---|---|---|---|---|
| \`<root_account>\` | root | - | ${ROOT.expect.map((c) => `\`${c}\``).join(', ')} | \`root-activity\` | Root has an active access key, no MFA, and used the key at 08:41 to list users and buckets. |
${rows.join('\n')}

## The incidents (all inside the window)

| kind | evidence | where |
|---|---|---|
| \`access-denied\` | 14 \`AccessDenied\` s3:GetObject by \`reporting-bot\` on \`payroll/\` at 06:37–06:45 | CloudTrail (S3 data events) |
| \`console-login-failure\` | 11 failed \`ConsoleLogin\` for \`rachel.green\` from 198.51.100.23; 12 for \`HIDDEN_DUE_TO_SECURITY_REASONS\` from 203.0.113.45 | CloudTrail |
| \`root-activity\` | 3 calls with the root access key from 203.0.113.200 | CloudTrail |
| \`anonymous-denied\` | 15 unsigned GetObject on \`example-corp-invoices\` from 198.51.100.77 | CloudTrail (S3 data events) |
| \`key-quarantined\` | AWS attaches \`AWSCompromisedKeyQuarantineV3\` to \`marketing-sync\` at 13:58 on 19 Nov | CloudTrail |
| \`revoked-key-in-use\` | \`marketing-sync\`'s key deactivated 30 min after its last use (lifecycle); \`crm-export\`'s inactive key fails with \`InvalidClientTokenId\` 7 times | CloudTrail; \`/aws/ecs/crm-export\` |
| \`expired-credentials\` | \`ExpiredToken\` ×8 in \`/aws/ecs/nightly-reconcile\` after the 1-hour session issued at 02:07:39 expires ("Nov 20, 2026, 3:07:39 AM"); \`ExpiredTokenException\` in \`/aws/lambda/orders-sync\` with the session issued at 07:15:02 | logs, joined to the AssumeRole issuance by the ASIA key id the apps log |
| \`no-credentials\` | \`NoCredentialsError\` ×6 in \`/aws/ecs/billing-worker\`; \`CredentialsProviderError\` ×5 in \`/aws/lambda/invoice-pdf\` | logs |
| \`invalid-credentials\` | \`InvalidClientTokenId\` ×6 in \`/aws/lambda/partner-webhook\` with a key id that is not in this account | logs |
| \`clock-skew\` | \`SignatureDoesNotMatch: Signature expired\` ×6 in \`/ec2/legacy-ledger\` | logs |

The quarantine record's caller is modelled as \`{"type":"AWSService","invokedBy":"AWS Internal"}\`:
we have not seen a real one, and the audit keys on the event name and policy ARN, not the caller.

CloudTrail holds no authentication failures (ExpiredToken, InvalidClientTokenId,
SignatureDoesNotMatch…): AWS does not deliver those, so they only appear in the logs.

## Near misses (must not be reported)

- 3 failed sign-ins by \`frank.li\` (minimum 10), then a success.
- 12 \`AccessDeniedException\` by \`web-app-instance-role\` at 08:10 on 19 Nov: before the window.
- 4 \`Client.UnauthorizedOperation\` by \`deploy-role\` in eu-west-1 (in the LookupEvents export): below 10.
- 1 \`AccessDenied\` by \`marketing-sync\` after the quarantine: below 10.
- 20 anonymous GetObject on \`example-corp-public-site\` that succeed: not denied.
- 3 \`NoCredentialsError\` lines in \`/aws/lambda/report-mailer\`: below 5.
- \`analytics-export\`'s old key deactivated 3 days after its last use: not within 24 h.
- Keys and passwords two days inside their thresholds (\`priya.shah\`, \`tina.wong\`, \`oscar.silva\`,
  \`image-resizer\`), and \`zoe.martins\`'s never-used password 3 days after it was set.
- \`mike.obrien\`, exempt by tag until 2027-01-31.
`;
}

/** Writes the demo account into `outDir`, replacing what was there. Returns the files written. */
export function generateDemoAccount(outDir: string, seed?: number): string[] {
  const files = buildDemoAccount(seed);
  // Only ever clear a previous demo (or an empty directory), never an arbitrary path.
  if (
    existsSync(outDir) &&
    readdirSync(outDir).length > 0 &&
    !existsSync(join(outDir, 'credential-report.csv'))
  ) {
    throw new Error(
      `${outDir} is not empty and does not hold a demo account; refusing to replace it`,
    );
  }
  rmSync(outDir, { recursive: true, force: true });
  for (const [name, content] of files) {
    const path = join(outDir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return [...files.keys()].sort();
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'demo-account');
  const written = generateDemoAccount(outDir);
  process.stdout.write(`wrote ${written.length} files to ${outDir}\n`);
}
