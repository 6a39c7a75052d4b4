import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
} from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCallCounter } from '../../lambdas/adapters/call-counter.js';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { reminderKey } from '../../lambdas/core/reminders.js';
import { createLiveAuditSources } from '../../lambdas/sources/live/live-sources.js';
import { runKeyScan } from '../../lambdas/use-cases/run-key-scan.js';
import { keyScanSources } from '../../lambdas/use-cases/scan-sources.js';
import { fixedClock, memoryLedger, recordingPublisher } from './fakes.js';

/**
 * What the live key scan asks IAM, counted at a mocked IAM client: keys are listed only for the
 * users whose reminder goes out in this run, and a key is still confirmed before it is announced.
 */

const iamMock = mockClient(IAMClient);
const ACCOUNT = '123456789012';
const NOW = '2026-11-20T12:00:00Z';
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

interface TestKey {
  readonly id: string;
  readonly active: boolean;
  readonly created: string;
  readonly lastUsed: string;
}

const YESTERDAY = '2026-11-19T09:00:00+00:00';

/** Machine users (no password), one key each. */
const USERS: Readonly<Record<string, TestKey>> = {
  // 111 days old: past the 90-day limit, on the weekly overdue ladder.
  'ci-deploy': {
    id: 'AKIAEXAMPLEA1B2C3D4E',
    active: true,
    created: '2026-08-01T00:00:00+00:00',
    lastUsed: YESTERDAY,
  },
  // 19 days old: nothing to say.
  'build-bot': {
    id: 'AKIAEXAMPLEF5G6H7J8K',
    active: true,
    created: '2026-11-01T00:00:00+00:00',
    lastUsed: YESTERDAY,
  },
  // 142 days old, but deleted after the credential report was generated.
  'old-svc': {
    id: 'AKIAEXAMPLEL9M0N1P2Q',
    active: true,
    created: '2026-07-01T00:00:00+00:00',
    lastUsed: YESTERDAY,
  },
  // Inactive, last used in June: a weekly reminder.
  'legacy-app': {
    id: 'AKIAEXAMPLER3S4T5U6V',
    active: false,
    created: '2026-05-01T00:00:00+00:00',
    lastUsed: '2026-06-01T09:00:00+00:00',
  },
};

/** The report as IAM generated it; `without` users' keys are gone from a report made since. */
function credentialReport(without: readonly string[]): string {
  const rows = Object.entries(USERS).map(([user, key]) =>
    without.includes(user)
      ? `${user},arn:aws:iam::${ACCOUNT}:user/${user},2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`
      : `${user},arn:aws:iam::${ACCOUNT}:user/${user},2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,${key.active},${key.created},${key.lastUsed},us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  );
  return [
    HEADER,
    `<root_account>,arn:aws:iam::${ACCOUNT}:root,2020-01-01T00:00:00+00:00,not_supported,2026-08-12T17:03:55+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    ...rows,
  ].join('\n');
}

/**
 * IAM as it is now: old-svc's key is deleted. A `stale` credential report (the first day's, made
 * before the deletion) still shows it; one generated later does not.
 */
function mockIam(report: 'stale' | 'fresh' = 'stale'): void {
  const deleted = ['old-svc'];
  iamMock.reset();
  iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iamMock.on(GetCredentialReportCommand).callsFake(() => ({
    Content: new TextEncoder().encode(credentialReport(report === 'stale' ? [] : deleted)),
    GeneratedTime: new Date(Date.parse(NOW) - 3_600_000),
  }));
  iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['test'] });
  iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1 } });
  iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
    UserDetailList: Object.keys(USERS).map((name) => ({
      UserName: name,
      Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
      Tags: [{ Key: 'owner', Value: 'platform@example.com' }],
    })),
    IsTruncated: false,
  });
  iamMock.on(ListAccessKeysCommand).callsFake((input: { UserName?: string }) => {
    const name = input.UserName ?? '';
    const key = USERS[name];
    return {
      AccessKeyMetadata:
        key === undefined || deleted.includes(name)
          ? []
          : [
              {
                UserName: name,
                AccessKeyId: key.id,
                Status: key.active ? 'Active' : 'Inactive',
                CreateDate: new Date(key.created),
              },
            ],
      IsTruncated: false,
    };
  });
}

/** Fresh live sources, as one Lambda invocation gets them. */
function liveSources() {
  return createLiveAuditSources({
    iam: new IAMClient({}),
    sts: new STSClient({}),
    cloudTrail: new CloudTrailClient({}),
    s3: new S3Client({}),
    logs: new CloudWatchLogsClient({}),
    counter: createCallCounter(),
    region: 'eu-west-1',
    accountId: ACCOUNT,
  });
}

/** The users whose keys were listed, in call order. */
function listedUsers(): string[] {
  return iamMock
    .commandCalls(ListAccessKeysCommand)
    .map((call) => call.args[0].input.UserName ?? '');
}

function setup() {
  const ledger = memoryLedger();
  const publisher = recordingPublisher();
  const clock = fixedClock(NOW);
  const scan = () =>
    runKeyScan(
      { sources: liveSources(), ledger, publish: publisher.publish, clock },
      DEFAULT_CONFIG,
    );
  return { ledger, publisher, clock, scan };
}

/** Everything published, as one string. */
const published = (sent: readonly unknown[]): string => JSON.stringify(sent);

describe('the live key scan lists keys only for what it announces', () => {
  beforeEach(() => mockIam());

  it('lists the keys of the users it reminds, once each, and names their keys', async () => {
    // Prepare
    const { scan, publisher } = setup();
    // Act
    const summary = await scan();
    // Assess
    expect(listedUsers().sort()).toEqual(['ci-deploy', 'legacy-app', 'old-svc']);
    expect(summary.reminded).toBe(2);
    const text = published(publisher.sent);
    expect(text).toContain('AKIA…3D4E');
    expect(text).toContain('AKIA…5U6V');
  });

  it('lists no key on a day no reminder is due', async () => {
    // Prepare
    const { scan, clock, publisher } = setup();
    await scan();
    mockIam('fresh');
    clock.set('2026-11-22T12:00:00Z');
    // Act
    const summary = await scan();
    // Assess
    expect(summary).toMatchObject({ reminded: 0, messagesPublished: 0 });
    expect(listedUsers()).toEqual([]);
    expect(publisher.sent).toHaveLength(1);
  });

  it('lists only the user whose next rung is due a week later', async () => {
    // Prepare
    const { scan, clock } = setup();
    await scan();
    mockIam('fresh');
    // ci-deploy reaches its next weekly overdue rung on 11-27 at midnight (90 days + 4 weeks);
    // legacy-app's weekly reminder is due again a week after it went out, at noon.
    clock.set('2026-11-27T06:00:00Z');
    // Act
    const summary = await scan();
    // Assess
    expect(listedUsers()).toEqual(['ci-deploy']);
    expect(summary.reminded).toBe(1);
  });

  it('never announces a key deleted since the credential report, and does not record it', async () => {
    // Prepare
    const { scan, publisher, ledger } = setup();
    // Act: twice within the report's four hours, so the report still shows the key.
    const first = await scan();
    mockIam('stale');
    const again = await scan();
    // Assess
    expect(first.reminded).toBe(2);
    expect(published(publisher.sent)).not.toContain('old-svc');
    expect(ledger.reminders.size).toBe(2);
    expect(again.reminded).toBe(0);
    // Still owed by the report's picture, so looked up again, and again found gone.
    expect(listedUsers()).toEqual(['old-svc']);
  });

  it('does not send again a reminder recorded under its key id by an earlier version', async () => {
    // Prepare: the ledger holds ci-deploy's current rung (3 weeks overdue) under its key id.
    const { scan, ledger, publisher, clock } = setup();
    const report = await runAudit(keyScanSources(liveSources()).sources, {
      config: DEFAULT_CONFIG,
      now: new Date(NOW),
      generatedAt: new Date(NOW),
    });
    const finding = report.findings.find((f) => f.principal.name === 'ci-deploy');
    const legacyKey = finding ? reminderKey(finding, ACCOUNT) : null;
    expect(finding?.accessKey?.id).toBe(USERS['ci-deploy']?.id);
    if (legacyKey === null) throw new Error('no reminder key');
    ledger.reminders.set(legacyKey, {
      key: legacyKey,
      rung: 6,
      stage: 'overdue',
      sentAt: '2026-11-19T12:00:00.000Z',
    });
    mockIam();
    // Act
    const first = await scan();
    mockIam('fresh');
    clock.set('2026-11-27T06:00:00Z');
    const nextRung = await scan();
    mockIam('fresh');
    clock.set('2026-11-28T06:00:00Z');
    await scan();
    // Assess
    expect(first.reminded).toBe(1);
    expect(published(publisher.sent[0] ?? [])).not.toContain('ci-deploy');
    expect(nextRung.reminded).toBe(1);
    expect(published(publisher.sent[1] ?? [])).toContain('ci-deploy');
    expect(listedUsers()).toEqual(['legacy-app']);
  });
});
