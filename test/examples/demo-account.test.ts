import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { CHECK_IDS, INCIDENT_KINDS, type Report } from '../../lambdas/core/report.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import {
  buildDemoAccount,
  CREDENTIAL_REPORT_HEADER,
  DEMO_ACCOUNT_ALIAS,
  DEMO_ACCOUNT_ID,
  DEMO_NOW,
  DEMO_SECRET_FAKE,
  generateDemoAccount,
  USERS,
} from '../../scripts/generate-demo.js';

const COMMITTED = resolve(import.meta.dirname, '..', '..', 'examples', 'demo-account');
const NOW = new Date(DEMO_NOW);
const WINDOW_START = new Date('2026-11-19T12:00:00Z');
const REPORT_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const FAKE_KEY_ID = /^AKIA[A-Z0-9]{16}$/;
/** Failures AWS never delivers to CloudTrail (authentication, not authorization). */
const AUTHENTICATION_CODES = [
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'InvalidAccessKeyId',
  'RequestExpired',
  'RequestTimeTooSkewed',
  'AuthFailure',
];

type Json = Record<string, unknown>;
type CsvRow = Record<string, string>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** gzip bytes depend on the zlib build; what must not change is what they hold. */
function content(name: string, bytes: Buffer): Buffer {
  return name.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

function readJson(name: string): Json {
  return JSON.parse(readFileSync(join(COMMITTED, name), 'utf8')) as Json;
}

function reportRows(): CsvRow[] {
  return parse(readFileSync(join(COMMITTED, 'credential-report.csv'), 'utf8'), {
    columns: true,
  }) as CsvRow[];
}

function trailFiles(): string[] {
  return filesUnder(COMMITTED).filter((name) => name.endsWith('.json.gz'));
}

function trailRecords(): Json[] {
  return trailFiles().flatMap((name) => {
    const body = JSON.parse(gunzipSync(readFileSync(join(COMMITTED, name))).toString('utf8')) as {
      Records: Json[];
    };
    return body.Records;
  });
}

function lookupRecords(): Json[] {
  const events = readJson('cloudtrail/lookup-events.json').Events as Json[];
  return events.map((event) => JSON.parse(String(event.CloudTrailEvent)) as Json);
}

describe('demo account generator', () => {
  it('builds the same bytes on every run', () => {
    // Act
    const first = buildDemoAccount();
    const second = buildDemoAccount();

    // Assess
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [name, bytes] of first) expect(second.get(name)?.equals(bytes), name).toBe(true);
  });

  it('builds a different account from a different seed (the PRNG is really used)', () => {
    // Act
    const other = buildDemoAccount(7);

    // Assess
    expect(
      other
        .get('access-keys.json')
        ?.equals(buildDemoAccount().get('access-keys.json') ?? Buffer.alloc(0)),
    ).toBe(false);
  });

  describe('written to a directory', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'demo-account-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('matches the committed examples/demo-account file for file (nobody edits it by hand)', () => {
      // Act
      const written = generateDemoAccount(dir);

      // Assess
      expect(filesUnder(dir)).toEqual(written);
      expect(filesUnder(COMMITTED)).toEqual(written);
      for (const name of written) {
        const fresh = content(name, readFileSync(join(dir, name)));
        const committed = content(name, readFileSync(join(COMMITTED, name)));
        expect(committed.equals(fresh), `${name} differs: run npm run demo:generate`).toBe(true);
      }
    });
  });
});

describe('demo account files', () => {
  it('has the credential report in AWS format, root first', () => {
    // Prepare
    const text = readFileSync(join(COMMITTED, 'credential-report.csv'), 'utf8');

    // Act
    const rows = reportRows();

    // Assess
    expect(text.split('\n')[0]).toBe(CREDENTIAL_REPORT_HEADER);
    expect(rows).toHaveLength(USERS.length + 1);
    expect(USERS.length).toBeGreaterThanOrEqual(30);
    expect(rows[0]).toMatchObject({
      user: '<root_account>',
      arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:root`,
      password_enabled: 'not_supported',
      password_last_changed: 'not_supported',
      password_next_rotation: 'not_supported',
      mfa_active: 'false',
      access_key_1_active: 'true',
    });
    expect(rows.some((row) => row.password_last_used === 'no_information')).toBe(true);
    const dateColumns = Object.keys(rows[0] ?? {}).filter((c) =>
      /time|last_used$|last_used_date|rotated|changed/.test(c),
    );
    for (const row of rows) {
      for (const column of dateColumns) {
        expect(row[column], `${row.user} ${column}`).toMatch(
          /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00|N\/A|no_information|not_supported)$/,
        );
      }
    }
  });

  it('gives the report its generation time through the get-credential-report output', () => {
    // Act
    const output = readJson('credential-report.json');

    // Assess
    expect(output.ReportFormat).toBe('text/csv');
    expect(output.GeneratedTime).toBe('2026-11-20T10:12:44Z');
    expect(Buffer.from(String(output.Content), 'base64').toString('utf8')).toBe(
      readFileSync(join(COMMITTED, 'credential-report.csv'), 'utf8'),
    );
  });

  it('lists every key of the report with its creation time and a distinct fake id', () => {
    // Prepare
    const rows = reportRows();
    const metadata = readJson('access-keys.json').AccessKeyMetadata as Json[];

    // Act
    const inReport = rows.slice(1).flatMap((row) =>
      [1, 2]
        .filter((slot) => row[`access_key_${slot}_last_rotated`] !== 'N/A')
        .map((slot) => ({
          UserName: row.user,
          Status: row[`access_key_${slot}_active`] === 'true' ? 'Active' : 'Inactive',
          CreateDate: row[`access_key_${slot}_last_rotated`],
        })),
    );

    // Assess
    expect(metadata.map(({ AccessKeyId: _, ...rest }) => rest)).toEqual(inReport);
    const ids = metadata.map((key) => String(key.AccessKeyId));
    for (const id of ids) {
      expect(id).toMatch(FAKE_KEY_ID);
      expect(id.includes('EXAMPLE')).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const key of metadata) expect(String(key.CreateDate)).toMatch(REPORT_DATE);
  });

  it('describes the users, the account and its summary consistently', () => {
    // Act
    const users = readJson('users.json').UserDetailList as Json[];
    const summary = readJson('account-summary.json').SummaryMap as Json;

    // Assess
    expect(readJson('account.json')).toEqual({ id: DEMO_ACCOUNT_ID, alias: DEMO_ACCOUNT_ALIAS });
    expect(users.map((u) => u.UserName).sort()).toEqual(USERS.map((u) => u.name).sort());
    expect(summary).toMatchObject({
      AccountAccessKeysPresent: 1,
      AccountMFAEnabled: 0,
      Users: USERS.length,
    });
    for (const u of users) {
      const tags = u.Tags as { Key: string; Value: string }[];
      expect(
        tags.some((tag) => tag.Key === 'team'),
        String(u.UserName),
      ).toBe(true);
      expect(String(u.UserId)).toMatch(/^AIDA[A-Z0-9]{17}$/);
    }
    const exemptions = users.flatMap((u) =>
      (u.Tags as { Key: string; Value: string }[])
        .filter((tag) => tag.Key === 'credential-health:exempt')
        .map((tag) => tag.Value),
    );
    expect(exemptions.sort()).toEqual(['2026-10-01', '2027-01-31']);
  });

  it('delivers CloudTrail as gzip files named and placed the way S3 holds them', () => {
    // Act
    const names = trailFiles();
    const records = trailRecords();

    // Assess
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const match =
        /^cloudtrail\/AWSLogs\/111122223333\/CloudTrail\/us-east-1\/(\d{4})\/(\d{2})\/(\d{2})\/111122223333_CloudTrail_us-east-1_(\d{8})T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/.exec(
          name,
        );
      expect(match, name).not.toBeNull();
      expect(`${match?.[1]}${match?.[2]}${match?.[3]}`).toBe(match?.[4]);
    }
    expect(records.length).toBeGreaterThan(300);
    expect(records.length).toBeLessThan(5000);
    for (const rec of records) {
      expect(rec).toMatchObject({ eventSource: expect.any(String), eventName: expect.any(String) });
      expect(String(rec.eventTime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
  });

  it('holds no authentication failure in CloudTrail, since AWS does not deliver those', () => {
    // Act
    const codes = new Set([...trailRecords(), ...lookupRecords()].map((rec) => rec.errorCode));

    // Assess
    for (const code of AUTHENTICATION_CODES) expect(codes.has(code), code).toBe(false);
    expect(codes.has('AccessDenied')).toBe(true);
  });

  it('records STS issuance with ASIA keys and the non-ISO expiration CloudTrail writes', () => {
    // Act
    const issued = trailRecords().filter((rec) => rec.eventName === 'AssumeRole');

    // Assess
    expect(issued.length).toBeGreaterThanOrEqual(5);
    for (const rec of issued) {
      const credentials = (rec.responseElements as { credentials: Json }).credentials;
      expect(String(credentials.accessKeyId)).toMatch(/^ASIAEXAMPLE[A-Z0-9]{9}$/);
      expect(String(credentials.expiration)).toMatch(
        /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/,
      );
    }
    expect(
      issued.map((rec) => (rec.responseElements as { credentials: Json }).credentials.expiration),
    ).toContain('Nov 20, 2026, 3:07:39 AM');
  });

  it('exports LookupEvents with each record as a JSON string', () => {
    // Act
    const events = readJson('cloudtrail/lookup-events.json').Events as Json[];

    // Assess
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const rec = JSON.parse(String(event.CloudTrailEvent)) as Json;
      expect(rec.eventID).toBe(event.EventId);
      expect(rec.eventName).toBe(event.EventName);
    }
  });

  it('exports workload logs as get-query-results and filter-log-events output, with the secret fake in them', () => {
    // Act
    const insights = ['logs/insights-lambda.json', 'logs/insights-ecs-ec2.json'].map(readJson);
    const filtered = readJson('logs/filter-log-events.aws-ecs-billing-worker.json');

    // Assess
    for (const output of insights) {
      expect(output.status).toBe('Complete');
      for (const row of output.results as { field: string; value: string }[][]) {
        const fields = Object.fromEntries(row.map((cell) => [cell.field, cell.value]));
        expect(fields['@timestamp']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
        expect(fields['@log']).toMatch(/^111122223333:\//);
        expect(typeof fields['@message']).toBe('string');
      }
    }
    expect(filtered.logGroupName).toBe('/aws/ecs/billing-worker');
    for (const event of filtered.events as Json[]) {
      expect(event).toMatchObject({
        logStreamName: expect.any(String),
        timestamp: expect.any(Number),
        message: expect.any(String),
      });
    }
    const allText = [
      'logs/insights-ecs-ec2.json',
      'logs/filter-log-events.aws-ecs-billing-worker.json',
    ]
      .map((name) => readFileSync(join(COMMITTED, name), 'utf8'))
      .join('');
    expect(allText).toContain(DEMO_SECRET_FAKE);
  });
});

describe('audit of the demo account (npm run demo)', () => {
  let report: Report;
  // Act, once for the block: audit the committed demo the way `npm run demo` does.
  beforeAll(async () => {
    report = await runAudit(createExportDirSources(COMMITTED), {
      config: DEFAULT_CONFIG,
      now: NOW,
      generatedAt: NOW,
    });
  });

  const checksOf = (name: string): string[] =>
    [
      ...new Set(report.findings.filter((f) => f.principal.name === name).map((f) => f.check)),
    ].sort();
  const incidentsMentioning = (text: string) =>
    report.incidents.filter((i) => JSON.stringify(i).includes(text));

  it('reports the account and the 24-hour window', () => {
    expect(report.account).toEqual({ id: DEMO_ACCOUNT_ID, alias: DEMO_ACCOUNT_ALIAS });
    expect(new Date(report.window?.start ?? 0)).toEqual(WINDOW_START);
    expect(new Date(report.window?.end ?? 0)).toEqual(NOW);
  });

  it('reads every file of the demo without a degraded or missing source', () => {
    expect(report.sources.filter((source) => source.status !== 'ok')).toEqual([]);
  });

  it('shows every check id at least once', () => {
    expect(new Set(report.findings.map((f) => f.check))).toEqual(new Set(CHECK_IDS));
  });

  it('shows every incident kind at least once', () => {
    expect(new Set(report.incidents.map((i) => i.kind))).toEqual(new Set(INCIDENT_KINDS));
  });

  it('reports for each user exactly the checks its row of the table expects (no false alarm, nothing missed)', () => {
    expect(checksOf('<root_account>')).toEqual([
      'root-access-key',
      'root-mfa-disabled',
      'root-recent-use',
    ]);
    for (const u of USERS) expect(checksOf(u.name), u.name).toEqual([...u.expect].sort());
  });

  it('hides the user exempted until 2027-01-31 and reports the one whose exemption expired', () => {
    expect(report.findings.filter((f) => f.principal.name === 'mike.obrien')).toEqual([]);
    expect(checksOf('nina.patel')).toContain('key-rotation-overdue');
  });

  it('never lets the logged secret into the report', () => {
    const text = JSON.stringify(report);
    expect(text).not.toContain(DEMO_SECRET_FAKE);
    expect(text).not.toContain('EXAMPLEKEY');
  });

  it('turns none of the near misses into an incident', () => {
    expect(incidentsMentioning('report-mailer')).toEqual([]);
    expect(incidentsMentioning('frank.li')).toEqual([]);
    expect(incidentsMentioning('web-app-instance-role')).toEqual([]);
    expect(incidentsMentioning('deploy-role')).toEqual([]);
    expect(incidentsMentioning('analytics-export')).toEqual([]);
    expect(incidentsMentioning('example-corp-public-site')).toEqual([]);
    expect(report.incidents.filter((i) => i.kind === 'access-denied')).toHaveLength(1);
  });

  it('finds the revoked key both ways: lifecycle in CloudTrail and failures in the logs', () => {
    const revoked = report.incidents.filter((i) => i.kind === 'revoked-key-in-use');
    expect(revoked.some((i) => JSON.stringify(i).includes('marketing-sync'))).toBe(true);
    expect(revoked.some((i) => i.logGroups.includes('/aws/ecs/crm-export'))).toBe(true);
  });
});
