import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type AuditConfigInput, parseAuditConfig } from '../../../lambdas/core/config.js';
import {
  createIncidentCorrelator,
  type IncidentCorrelator,
} from '../../../lambdas/core/incidents/correlator.js';
import type {
  AccessKeyRecord,
  Inventory,
  PrincipalRecord,
} from '../../../lambdas/core/inventory.js';
import type { Incident } from '../../../lambdas/core/report.js';
import type { LogEntry, TimeWindow } from '../../../lambdas/core/sources.js';

/** Fixed clock of every incident test. */
export const NOW = new Date('2026-11-20T12:00:00Z');
/** The default 24-hour window ending at NOW. */
export const WINDOW: TimeWindow = { start: new Date('2026-11-19T12:00:00Z'), end: NOW };
export const ACCOUNT = '123456789012';

/** Fake key ids shaped like AWS's (AKIA + 16 characters ending in EXAMPLE). */
export const KEY_ACTIVE = 'AKIA2DEMO0000EXAMPLE';
export const KEY_INACTIVE = 'AKIA2DEMO0001EXAMPLE';
export const KEY_UNKNOWN = 'AKIAI44QH8DHBEXAMPLE';
export const KEY_ROOT = 'AKIA2DEMO0009EXAMPLE';
export const SESSION_KEY = 'ASIA2DEMO0000EXAMPLE';
/** The AWS documentation's fake secret access key. */
export const FAKE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export function keyRecord(
  userName: string,
  id: string | null,
  status: 'Active' | 'Inactive',
  lastUsed: string | null = null,
  slot: 1 | 2 = 1,
): AccessKeyRecord {
  return {
    userName,
    slot,
    id,
    status,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    lastUsed: lastUsed
      ? { state: 'date', value: new Date(lastUsed) }
      : { state: 'never', value: null },
    lastUsedRegion: null,
    lastUsedService: null,
  };
}

export function userRecord(name: string, keys: readonly AccessKeyRecord[] = []): PrincipalRecord {
  return {
    type: name === '<root_account>' ? 'Root' : 'IAMUser',
    name,
    arn:
      name === '<root_account>'
        ? `arn:aws:iam::${ACCOUNT}:root`
        : `arn:aws:iam::${ACCOUNT}:user/${name}`,
    createdAt: new Date('2025-01-01T00:00:00Z'),
    passwordEnabled: false,
    passwordLastUsed: { state: 'never', value: null },
    passwordLastChanged: { state: 'never', value: null },
    mfaActive: false,
    accessKeys: keys,
    signingCerts: [],
    tags: {},
  };
}

export function inventoryOf(principals: readonly PrincipalRecord[]): Inventory {
  const keysById = new Map<string, AccessKeyRecord>();
  for (const principal of principals) {
    for (const key of principal.accessKeys) if (key.id) keysById.set(key.id, key);
  }
  return { accountId: ACCOUNT, reportGeneratedAt: NOW, principals, keysById };
}

/** ci-bot has an active key, old-bot an inactive one. */
export const DEFAULT_INVENTORY = inventoryOf([
  userRecord('ci-bot', [keyRecord('ci-bot', KEY_ACTIVE, 'Active', '2026-11-20T08:00:00Z')]),
  userRecord('old-bot', [keyRecord('old-bot', KEY_INACTIVE, 'Inactive', '2026-11-10T08:00:00Z')]),
]);

export function newCorrelator(
  options: { inventory?: Inventory; config?: AuditConfigInput; window?: TimeWindow } = {},
): IncidentCorrelator {
  return createIncidentCorrelator({
    inventory: options.inventory ?? DEFAULT_INVENTORY,
    config: parseAuditConfig(options.config ?? {}),
    window: options.window ?? WINDOW,
    accountId: ACCOUNT,
  });
}

/** A log line as the Logs Insights reader hands it over. */
export function logLine(
  message: string,
  at = '2026-11-20 09:00:01.123',
  logGroup = '/aws/lambda/orders-sync',
): LogEntry {
  return { timestamp: at, logGroup, logStream: '2026/11/20/[$LATEST]abc', message };
}

/** `n` log lines a second apart starting at `start` (ISO). */
export function logLines(
  n: number,
  message: string,
  logGroup = '/aws/lambda/orders-sync',
  start = '2026-11-20T09:00:00Z',
): LogEntry[] {
  const base = new Date(start).getTime();
  return Array.from({ length: n }, (_, i) => ({
    timestamp: base + i * 1_000,
    logGroup,
    logStream: 'stream',
    message,
  }));
}

type Json = Record<string, unknown>;

/** A CloudTrail record with sane defaults; `overrides` replaces top-level fields. */
export function trailRecord(overrides: Json = {}): Json {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL',
      arn: `arn:aws:iam::${ACCOUNT}:user/ci-bot`,
      accountId: ACCOUNT,
      accessKeyId: KEY_ACTIVE,
      userName: 'ci-bot',
    },
    eventTime: '2026-11-20T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2',
    requestParameters: null,
    responseElements: null,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    ...overrides,
  };
}

/** `n` copies of a record, one minute apart from `start`. */
export function trailRecords(
  n: number,
  overrides: Json = {},
  start = '2026-11-20T10:00:00Z',
): Json[] {
  const base = new Date(start).getTime();
  return Array.from({ length: n }, (_, i) =>
    trailRecord({ ...overrides, eventTime: new Date(base + i * 60_000).toISOString() }),
  );
}

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** The `Records` of a trail file under test/fixtures/cloudtrail/. */
export function trailFixture(name: string): unknown[] {
  const parsed = JSON.parse(readFileSync(`${FIXTURES}cloudtrail/${name}`, 'utf8')) as {
    Records?: unknown[];
    Events?: unknown[];
  };
  return parsed.Records ?? parsed.Events ?? [];
}

/** Log entries from a Logs Insights `get-query-results` export under test/fixtures/logs/. */
export function insightsFixture(name: string): LogEntry[] {
  const parsed = JSON.parse(readFileSync(`${FIXTURES}logs/${name}`, 'utf8')) as {
    results: { field: string; value: string }[][];
  };
  return parsed.results.map((row) => {
    const field = (f: string) => row.find((cell) => cell.field === f)?.value ?? null;
    return {
      timestamp: field('@timestamp'),
      logGroup: field('@log'),
      logStream: field('@logStream'),
      message: field('@message') ?? '',
    };
  });
}

/** Log entries from an `aws logs filter-log-events` export under test/fixtures/logs/. */
export function filterEventsFixture(name: string, logGroup: string): LogEntry[] {
  const parsed = JSON.parse(readFileSync(`${FIXTURES}logs/${name}`, 'utf8')) as {
    events: { timestamp: number; logStreamName: string; message: string }[];
  };
  return parsed.events.map((event) => ({
    timestamp: event.timestamp,
    logGroup,
    logStream: event.logStreamName,
    message: event.message,
  }));
}

/** The one incident of `kind`; fails the test when there is none or more than one. */
export function only(incidents: Incident[], kind: Incident['kind']): Incident {
  const matching = incidents.filter((incident) => incident.kind === kind);
  expect(matching).toHaveLength(1);
  const [incident] = matching;
  if (!incident) throw new Error('unreachable');
  return incident;
}
