import { GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../lambdas/adapters/clients.js';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Report } from '../../lambdas/core/report.js';
import {
  createLiveAuditSources,
  type LiveSourcesDeps,
} from '../../lambdas/sources/live/live-sources.js';
import {
  MOTO_ACCOUNT,
  motoClients,
  REGION,
  type SeededAccount,
  seedIam,
  seedLogGroup,
  seedTrail,
  trailFileKey,
} from './moto-aws.js';

/**
 * The live audit end to end over HTTP against moto: the same `runAudit` the CLI and the
 * Lambdas call, with `createLiveAuditSources` reading IAM, the trail bucket and Logs Insights.
 *
 * moto stamps keys and users with the wall clock, so the findings audit is evaluated 100 days
 * ahead of it (keys are then 100 days old). The incident audit is evaluated at the wall clock,
 * so its 24-hour window holds the events seeded now.
 *
 * Where moto's credential report differs from AWS's (checked against moto 5.2.5):
 * - `access_key_N_last_used_region`/`_service` are `not_supported` even for a used key;
 * - `GeneratedTime` is always 2015-02-02T20:02:02Z, and the report is rebuilt on every
 *   GetCredentialReport (AWS serves a snapshot up to 4 hours old), so "key deleted since the
 *   report" cannot be reproduced here; the mocked adapter tests cover it;
 * - there is no `<root_account>` row;
 * - `password_last_used` is `no_information` for a console user who never signed in (AWS: `N/A`)
 *   and `not_supported` for a user without a password (AWS: `N/A`);
 * - `access_key_N_last_used_region`/`_service` are `not_supported` for an unused key (AWS: `N/A`);
 * - `password_last_changed` is the user's creation time;
 * - GetAccountAuthorizationDetails ignores MaxItems and never pages;
 * - Logs Insights ignores the query's `filter` (the adapter keeps only matching lines), and
 *   `@timestamp` is epoch milliseconds where AWS writes `2026-11-20 09:00:01.123`.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const BUCKET = 'acme-trail-logs';
const TRAIL_ROOT = `audit/AWSLogs/${MOTO_ACCOUNT}/`;

let clients: AwsClients;
let seeded: SeededAccount;
let seededAt: Date;

function deps(overrides: Partial<LiveSourcesDeps> = {}): LiveSourcesDeps {
  return {
    iam: clients.iam,
    sts: clients.sts,
    cloudTrail: clients.cloudTrail,
    s3: clients.s3,
    logs: clients.logs,
    counter: clients.counter,
    region: REGION,
    ...overrides,
  };
}

function trailEvent(
  name: string,
  at: Date,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    eventTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'iam.amazonaws.com',
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    eventID: `0000-${name}-${at.getTime()}`,
    eventType: 'AwsApiCall',
    recipientAccountId: MOTO_ACCOUNT,
    ...extra,
  };
}

beforeAll(async () => {
  clients = motoClients();
  seededAt = new Date();
  seeded = await seedIam(clients.iam);

  const fileTime = new Date(seededAt.getTime() - 5 * 60 * 1000);
  const eventTime = new Date(seededAt.getTime() - 10 * 60 * 1000);
  await seedTrail(clients.s3, clients.cloudTrail, BUCKET, {
    [trailFileKey(TRAIL_ROOT, REGION, fileTime, 'AbCdEfGhIjKlMnOp')]: {
      Records: [
        trailEvent('GetAccountSummary', eventTime, {
          userIdentity: {
            type: 'Root',
            principalId: MOTO_ACCOUNT,
            arn: `arn:aws:iam::${MOTO_ACCOUNT}:root`,
            accountId: MOTO_ACCOUNT,
            accessKeyId: 'ASIA2DEMO0000EXAMPLE',
          },
          readOnly: true,
        }),
        trailEvent('AttachUserPolicy', eventTime, {
          userIdentity: { type: 'AWSService', invokedBy: 'iam.amazonaws.com' },
          requestParameters: {
            userName: 'orphan',
            policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
          },
        }),
        // Outside the 24-hour window: must not be read.
        trailEvent('GetAccountSummary', new Date(seededAt.getTime() - 3 * DAY_MS), {
          userIdentity: { type: 'Root', principalId: MOTO_ACCOUNT, accountId: MOTO_ACCOUNT },
        }),
      ],
    },
    [trailFileKey(TRAIL_ROOT, REGION, fileTime, 'BrokenFile000000')]: 'not gzip at all',
  });
  await seedLogGroup(
    clients.logs,
    '/aws/lambda/orders-sync',
    [
      ...Array.from(
        { length: 6 },
        () =>
          'ERROR Invoke Error {"errorType":"ExpiredTokenException","errorMessage":"The security token included in the request is expired"}',
      ),
      'INFO order 42 synced',
    ],
    new Date(seededAt.getTime() - 15 * 60 * 1000),
  );
});

describe('live audit over moto: IAM findings', () => {
  let report: Report;
  let auditCalls: number;

  beforeAll(async () => {
    const now = new Date(seededAt.getTime() + 100 * DAY_MS);
    const before = clients.counter.total();
    report = await runAudit(createLiveAuditSources(deps()), {
      config: DEFAULT_CONFIG,
      now,
      generatedAt: now,
    });
    auditCalls = clients.counter.total() - before;
  });

  it('reads the account id and alias', () => {
    expect(report.account).toEqual({ id: MOTO_ACCOUNT, alias: 'acme-moto' });
  });

  it("reports overdue rotation for each of ci-bot's two keys, with their ids and owner", () => {
    const overdue = report.findings.filter(
      (f) => f.check === 'key-rotation-overdue' && f.principal.name === 'ci-bot',
    );
    expect(overdue.map((f) => f.accessKey?.id).sort()).toEqual(
      [...(seeded.users['ci-bot']?.keyIds ?? [])].sort(),
    );
    expect(overdue.every((f) => f.owner === 'platform@example.com')).toBe(true);
    expect(
      report.findings.some(
        (f) => f.check === 'multiple-active-keys' && f.principal.name === 'ci-bot',
      ),
    ).toBe(true);
  });

  it("knows the last use of a key a request was signed with, and that ci-bot's keys were never used", () => {
    const aliceKeyId = seeded.users.alice?.keyIds[0];
    const alice = report.findings.find((f) => f.accessKey?.id === aliceKeyId);
    // moto records the use at the wall clock, 100 days before `now`: unused since then.
    expect(alice?.accessKey?.lastUsedAt).not.toBeNull();
    const ciBot = report.findings.filter(
      (f) => f.check === 'key-unused' && f.principal.name === 'ci-bot',
    );
    expect(ciBot).toHaveLength(2);
    expect(ciBot.every((f) => f.accessKey?.lastUsedAt === null)).toBe(true);
  });

  it('flags the console user without MFA and not the one with MFA', () => {
    const noMfa = report.findings
      .filter((f) => f.check === 'console-user-no-mfa')
      .map((f) => f.principal.name);
    expect(noMfa).toContain('alice');
    expect(noMfa).not.toContain('bob');
  });

  it("reports bob's inactive key (his exemption expired) and hides the exempt vendor", () => {
    const bobInactive = report.findings.find(
      (f) => f.check === 'key-inactive' && f.principal.name === 'bob',
    );
    expect(bobInactive?.accessKey).toMatchObject({
      id: seeded.users.bob?.keyIds[0],
      status: 'Inactive',
      slot: 1,
    });
    expect(report.findings.some((f) => f.principal.name === 'vendor')).toBe(false);
  });

  it('leaves the owner of an untagged user empty', () => {
    const orphan = report.findings.filter((f) => f.principal.name === 'orphan');
    expect(orphan.length).toBeGreaterThan(0);
    expect(orphan.every((f) => f.owner === null)).toBe(true);
  });

  it('reads every user, with tags, in one GetAccountAuthorizationDetails call', () => {
    // moto returns every user on one page whatever MaxItems says (AWS pages at 1,000 at most);
    // paging over Marker is tested with a mocked client in test/adapters/iam-inventory.test.ts.
    const users = report.sources.find((s) => s.name === 'iam-users');
    expect(users?.detail).toContain(`${seeded.fillerUsers + 5} users`);
    expect(users).toMatchObject({ status: 'ok', apiCalls: 1 });
  });

  it("says how many API calls each source made, and they add up to the audit's", () => {
    const counted = report.sources.reduce((sum, source) => sum + (source.apiCalls ?? 0), 0);
    expect(
      report.sources.find((s) => s.name === 'iam-credential-report')?.apiCalls,
    ).toBeGreaterThanOrEqual(2);
    expect(report.sources.find((s) => s.name === 'iam-access-keys')?.apiCalls).toBe(5);
    expect(counted).toBe(auditCalls);
  });

  it('confirms the key ids against ListAccessKeys without listing a user twice', () => {
    const confirmation = report.sources.find((s) => s.name === 'iam-access-keys-confirmation');
    expect(confirmation?.status).toBe('ok');
    expect(confirmation?.apiCalls).toBe(0);
  });
});

describe('live audit over moto: incidents from the trail bucket and Logs Insights', () => {
  let report: Report;

  beforeAll(async () => {
    const now = new Date(seededAt.getTime() + 5 * 60 * 1000);
    report = await runAudit(createLiveAuditSources(deps({ cloudTrailMode: 'auto' })), {
      config: DEFAULT_CONFIG,
      now,
      generatedAt: now,
    });
  });

  it("reads the trail's gzipped files under its prefix, skipping the broken one and old events", () => {
    const trail = report.sources.find((s) => s.name === 'cloudtrail');
    expect(trail).toMatchObject({ status: 'degraded', itemsRead: 2, itemsSkipped: 1 });
    expect(trail?.detail).toContain(`s3://${BUCKET}/${TRAIL_ROOT}`);
  });

  it('turns trail records into root-activity and key-quarantined incidents', () => {
    const kinds = report.incidents.map((i) => i.kind);
    expect(kinds).toContain('root-activity');
    expect(kinds).toContain('key-quarantined');
  });

  it('finds the expired-token lines of the Lambda log group and ignores the others', () => {
    const logs = report.sources.find((s) => s.name === 'workload-logs');
    expect(logs).toMatchObject({ status: 'ok', itemsRead: 6 });
    const expired = report.incidents.find((i) => i.kind === 'expired-credentials');
    expect(expired?.count).toBe(6);
    expect(expired?.logGroups).toEqual(['/aws/lambda/orders-sync']);
  });

  it('reports CloudTrail as missing in s3 mode when no trail covers the Region', async () => {
    const sources = createLiveAuditSources(deps({ cloudTrailMode: 's3', region: 'ap-south-1' }));
    const stream = sources.cloudTrail({
      start: new Date(seededAt.getTime() - DAY_MS),
      end: seededAt,
    });
    for await (const _ of stream.records()) {
      // drained
    }
    expect(stream.status()).toMatchObject({ status: 'missing' });
    expect(stream.status().detail).toContain('no trail delivers ap-south-1 events');
  });
});

describe("moto's credential report", () => {
  it('has no root row and a fixed GeneratedTime, unlike AWS', async () => {
    const report = await clients.iam.send(new GetCredentialReportCommand({}));
    const csv = new TextDecoder().decode(report.Content);
    expect(csv).not.toContain('<root_account>');
    expect(report.GeneratedTime?.toISOString()).toBe('2015-02-02T20:02:02.000Z');
  });
});
