import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputFormatError, RequiredSourceError } from '../../../lambdas/core/errors.js';
import {
  createExportDirSources,
  EXPORT_DIR_FILES,
} from '../../../lambdas/sources/files/export-dir-sources.js';
import {
  CREDENTIAL_REPORT_CSV,
  collect,
  createTempExportDir,
  type TempExportDir,
} from './temp-export-dir.js';

const WINDOW = { start: new Date('2026-11-19T12:00:00Z'), end: new Date('2026-11-20T12:00:00Z') };
const canChmod = process.getuid?.() !== 0;

let dir: TempExportDir;
beforeEach(async () => {
  dir = await createTempExportDir();
});
afterEach(async () => {
  await dir.remove();
});

describe('credentialReport', () => {
  it('reads the decoded CSV, with no generation time', async () => {
    // Prepare
    await dir.write('credential-report.csv', CREDENTIAL_REPORT_CSV);
    // Act
    const input = await createExportDirSources(dir.path).credentialReport();
    // Assess
    expect(input.csv).toBe(CREDENTIAL_REPORT_CSV);
    expect(input.generatedAt).toBeNull();
    expect(input.detail).toContain('credential-report.csv');
    expect(input.detail).toContain('generation time unknown');
  });

  it('prefers the raw get-credential-report JSON, which carries GeneratedTime', async () => {
    // Prepare
    await dir.write('credential-report.csv', 'not the one to read');
    await dir.write('credential-report.json', {
      Content: Buffer.from(CREDENTIAL_REPORT_CSV).toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: '2026-11-20T08:00:00+00:00',
    });
    // Act
    const input = await createExportDirSources(dir.path).credentialReport();
    // Assess
    expect(input.csv).toBe(CREDENTIAL_REPORT_CSV);
    expect(input.generatedAt?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    expect(input.detail).toContain('credential-report.json');
  });

  it('falls back to the CSV when the JSON is damaged, and says so', async () => {
    // Prepare
    await dir.write('credential-report.csv', CREDENTIAL_REPORT_CSV);
    await dir.write('credential-report.json', {
      Content: 'not base64 !',
      GeneratedTime: '2026-11-20T08:00:00Z',
    });
    // Act
    const input = await createExportDirSources(dir.path).credentialReport();
    // Assess
    expect(input.csv).toBe(CREDENTIAL_REPORT_CSV);
    expect(input.generatedAt).toBeNull();
    expect(input.detail).toMatch(
      /credential-report\.json was skipped: Content is not a base64 string/,
    );
  });

  it.each([
    [
      'a GeneratedTime that is no date',
      { Content: 'YQ==', GeneratedTime: 'yesterday' },
      /GeneratedTime/,
    ],
    [
      'another ReportFormat',
      { Content: 'YQ==', ReportFormat: 'text/xml', GeneratedTime: '2026-11-20T08:00:00Z' },
      /ReportFormat/,
    ],
  ])('rejects a JSON report with %s (no CSV: exit 3)', async (_name, content, reason) => {
    // Prepare
    await dir.write('credential-report.json', content);
    // Act
    const reading = createExportDirSources(dir.path).credentialReport();
    // Assess
    await expect(reading).rejects.toBeInstanceOf(RequiredSourceError);
    await expect(reading).rejects.toThrow(reason);
  });

  it('strips a UTF-8 byte-order mark and decodes UTF-16 (PowerShell redirection)', async () => {
    // Prepare
    await dir.write(
      'credential-report.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CREDENTIAL_REPORT_CSV, 'utf16le')]),
    );
    // Act
    const input = await createExportDirSources(dir.path).credentialReport();
    // Assess
    expect(input.csv).toBe(CREDENTIAL_REPORT_CSV);
  });

  it('is a RequiredSourceError naming both accepted files when there is no report', async () => {
    // Prepare
    await dir.write('access-keys.json', { AccessKeyMetadata: [] });
    // Act
    const reading = createExportDirSources(dir.path).credentialReport();
    // Assess
    await expect(reading).rejects.toBeInstanceOf(RequiredSourceError);
    await expect(reading).rejects.toThrow(/credential-report\.csv.*credential-report\.json/);
  });

  it('is a RequiredSourceError when the directory does not exist', async () => {
    // Act
    const reading = createExportDirSources(join(dir.path, 'nope')).credentialReport();
    // Assess
    await expect(reading).rejects.toBeInstanceOf(RequiredSourceError);
    await expect(reading).rejects.toThrow(/nope does not exist/);
  });

  it('is a RequiredSourceError when the directory is a file', async () => {
    // Prepare
    const file = await dir.write('plain.txt', 'x');
    // Act
    const reading = createExportDirSources(file).credentialReport();
    // Assess
    await expect(reading).rejects.toThrow(/is not a directory/);
  });

  it('is a RequiredSourceError when the CSV is a directory', async () => {
    // Prepare
    await dir.write('credential-report.csv/inner.txt', 'x');
    // Act
    const reading = createExportDirSources(dir.path).credentialReport();
    // Assess
    await expect(reading).rejects.toBeInstanceOf(RequiredSourceError);
    await expect(reading).rejects.toThrow(/is a directory/);
  });

  it.skipIf(!canChmod)('is a RequiredSourceError when the CSV cannot be read', async () => {
    // Prepare
    const file = await dir.write('credential-report.csv', CREDENTIAL_REPORT_CSV);
    await chmod(file, 0o000);
    // Act
    const reading = createExportDirSources(dir.path).credentialReport();
    // Assess
    await expect(reading).rejects.toThrow(/permission denied/);
  });
});

describe('accessKeys', () => {
  const alice = {
    UserName: 'alice',
    AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    Status: 'Active',
    CreateDate: '2026-05-04T10:00:00+00:00',
  };
  const bot = {
    UserName: 'ci-bot',
    AccessKeyId: 'AKIAI44QH8DHBEXAMPLE',
    Status: 'Inactive',
    CreateDate: '2025-01-01T00:00:00Z',
  };

  it('reads list-access-keys output', async () => {
    // Prepare
    await dir.write('access-keys.json', { AccessKeyMetadata: [alice, bot], IsTruncated: false });
    // Act
    const result = await createExportDirSources(dir.path).accessKeys();
    // Assess
    expect(result).toEqual({
      status: 'ok',
      detail: expect.stringContaining('read 2 access keys of 2 users'),
      value: [alice, bot],
    });
  });

  it('merges outputs written one after another by a shell loop, without duplicates', async () => {
    // Prepare
    const page = (key: object) => JSON.stringify({ AccessKeyMetadata: [key] }, null, 2);
    await dir.write('access-keys.json', `${page(alice)}\n${page(bot)}\n${page(alice)}\n`);
    // Act
    const result = await createExportDirSources(dir.path).accessKeys();
    // Assess
    expect(result.status).toBe('ok');
    expect(result.status !== 'missing' && result.value.map((k) => k.AccessKeyId)).toEqual([
      'AKIAIOSFODNN7EXAMPLE',
      'AKIAI44QH8DHBEXAMPLE',
    ]);
  });

  it('leaves out entries of the wrong shape and is degraded', async () => {
    // Prepare
    await dir.write('access-keys.json', {
      AccessKeyMetadata: [alice, { UserName: 'x' }, { ...bot, CreateDate: 'soon' }],
    });
    // Act
    const result = await createExportDirSources(dir.path).accessKeys();
    // Assess
    expect(result.status).toBe('degraded');
    expect(result.detail).toMatch(
      /skipped 2 entries: AccessKeyMetadata\[1\].*AccessKeyMetadata\[2\]/,
    );
    expect(result.status !== 'missing' && result.value).toEqual([alice]);
  });

  it('is degraded when the output was truncated', async () => {
    // Prepare
    await dir.write('access-keys.json', {
      AccessKeyMetadata: [alice],
      IsTruncated: true,
      Marker: 'abc',
    });
    // Act
    const result = await createExportDirSources(dir.path).accessKeys();
    // Assess
    expect(result.status).toBe('degraded');
    expect(result.detail).toContain('truncated');
  });

  it('is missing, saying which file would give key ids, when absent', async () => {
    // Act
    const result = await createExportDirSources(dir.path).accessKeys();
    // Assess
    expect(result.status).toBe('missing');
    expect(result.detail).toContain('access-keys.json');
    expect(result.detail).toContain('list-access-keys');
  });

  it.each([
    ['bad JSON', '{"AccessKeyMetadata": [', /access-keys\.json: not JSON/],
    ['an empty file', '', /access-keys\.json: empty file/],
    ['the wrong shape', '{"Users": []}', /access-keys\.json: not list-access-keys output/],
    ['bad gzip', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]), /access-keys\.json: not valid gzip/],
  ])('rejects %s with an InputFormatError naming the file', async (_name, content, message) => {
    // Prepare
    await dir.write('access-keys.json', content);
    // Act
    const reading = createExportDirSources(dir.path).accessKeys();
    // Assess
    await expect(reading).rejects.toBeInstanceOf(InputFormatError);
    await expect(reading).rejects.toThrow(message);
  });
});

describe('users', () => {
  it('keeps the user name, ARN, id, creation date and well-formed tags only', async () => {
    // Prepare
    await dir.write('users.json', {
      UserDetailList: [
        {
          UserName: 'alice',
          Arn: 'arn:aws:iam::123456789012:user/alice',
          UserId: 'AIDAEXAMPLE',
          CreateDate: '2024-01-10T10:00:00Z',
          UserPolicyList: [{ PolicyName: 'big' }],
          Tags: [{ Key: 'owner', Value: 'alice@example.com' }, { Key: 'broken' }],
        },
        { UserName: 'bob' },
      ],
      GroupDetailList: [],
    });
    // Act
    const result = await createExportDirSources(dir.path).users();
    // Assess
    expect(result).toEqual({
      status: 'ok',
      detail: expect.stringContaining('read 2 users'),
      value: [
        {
          UserName: 'alice',
          Arn: 'arn:aws:iam::123456789012:user/alice',
          UserId: 'AIDAEXAMPLE',
          CreateDate: '2024-01-10T10:00:00Z',
          Tags: [{ Key: 'owner', Value: 'alice@example.com' }],
        },
        { UserName: 'bob', Tags: [] },
      ],
    });
  });

  it('is degraded when a user has no name', async () => {
    // Prepare
    await dir.write('users.json', { UserDetailList: [{ UserName: 'alice' }, { Arn: 'x' }] });
    // Act
    const result = await createExportDirSources(dir.path).users();
    // Assess
    expect(result.status).toBe('degraded');
    expect(result.detail).toContain('user 1 has no UserName');
  });

  it('is missing when absent', async () => {
    // Act
    const result = await createExportDirSources(dir.path).users();
    // Assess
    expect(result).toMatchObject({
      status: 'missing',
      detail: expect.stringContaining('get-account-authorization-details'),
    });
  });

  it('rejects the wrong shape', async () => {
    // Prepare
    await dir.write('users.json', { RoleDetailList: [] });
    // Act / Assess
    await expect(createExportDirSources(dir.path).users()).rejects.toThrow(
      /users\.json: not get-account-authorization-details output/,
    );
  });
});

describe('accountSummary', () => {
  it('reads SummaryMap numbers', async () => {
    // Prepare
    await dir.write('account-summary.json', {
      SummaryMap: { AccountAccessKeysPresent: 1, AccountMFAEnabled: 0 },
    });
    // Act
    const result = await createExportDirSources(dir.path).accountSummary();
    // Assess
    expect(result).toMatchObject({
      status: 'ok',
      value: { AccountAccessKeysPresent: 1, AccountMFAEnabled: 0 },
    });
  });

  it('is degraded when a value is not a number', async () => {
    // Prepare
    await dir.write('account-summary.json', { SummaryMap: { AccountMFAEnabled: 'yes', Users: 3 } });
    // Act
    const result = await createExportDirSources(dir.path).accountSummary();
    // Assess
    expect(result).toMatchObject({ status: 'degraded', value: { Users: 3 } });
    expect(result.detail).toContain('SummaryMap.AccountMFAEnabled is not a number');
  });

  it('is missing when absent and rejects the wrong shape', async () => {
    // Prepare
    const sources = createExportDirSources(dir.path);
    // Act
    const missing = await sources.accountSummary();
    await dir.write('account-summary.json', { Summary: {} });
    // Assess
    expect(missing.status).toBe('missing');
    await expect(sources.accountSummary()).rejects.toThrow(/no "SummaryMap" object/);
  });
});

describe('account', () => {
  it('reads account.json', async () => {
    // Prepare
    await dir.write('account.json', { id: '123456789012', alias: 'prod' });
    // Act
    const result = await createExportDirSources(dir.path).account();
    // Assess
    expect(result).toMatchObject({ status: 'ok', value: { id: '123456789012', alias: 'prod' } });
  });

  it('combines get-caller-identity and list-account-aliases outputs', async () => {
    // Prepare
    await dir.write(EXPORT_DIR_FILES.callerIdentity, {
      UserId: 'AIDA',
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:user/a',
    });
    await dir.write(EXPORT_DIR_FILES.accountAliases, { AccountAliases: ['prod'] });
    // Act
    const result = await createExportDirSources(dir.path).account();
    // Assess
    expect(result).toMatchObject({ status: 'ok', value: { id: '123456789012', alias: 'prod' } });
  });

  it('accepts either AWS output saved as account.json, and an account without alias', async () => {
    // Prepare
    await dir.write('account.json', { AccountAliases: [] });
    await dir.write('caller-identity.json', { Account: '123456789012' });
    // Act
    const result = await createExportDirSources(dir.path).account();
    // Assess
    expect(result).toMatchObject({ status: 'ok', value: { id: '123456789012', alias: null } });
  });

  it('is degraded, naming the file, when one of the files is damaged', async () => {
    // Prepare
    await dir.write('account.json', { id: '12345', alias: 'prod' });
    await dir.write('caller-identity.json', { Account: '123456789012' });
    // Act
    const result = await createExportDirSources(dir.path).account();
    // Assess
    expect(result).toMatchObject({
      status: 'degraded',
      value: { id: '123456789012', alias: null },
    });
    expect(result.detail).toMatch(/account\.json: account id "12345" is not 12 digits/);
  });

  it('rejects when every account file is damaged, and is missing when there is none', async () => {
    // Prepare
    const sources = createExportDirSources(dir.path);
    // Act
    const missing = await sources.account();
    await dir.write('account.json', 'nope');
    // Assess
    expect(missing).toMatchObject({
      status: 'missing',
      detail: expect.stringContaining("report's ARNs"),
    });
    await expect(sources.account()).rejects.toThrow(/account\.json: not JSON/);
  });
});

describe('cloudTrail and workloadLogs', () => {
  it('are missing, saying what to export, when the directories are absent', async () => {
    // Prepare
    const sources = createExportDirSources(dir.path);
    const trail = sources.cloudTrail(WINDOW);
    const logs = sources.workloadLogs(WINDOW);
    // Act
    const records = [...(await collect(trail.records())), ...(await collect(logs.records()))];
    // Assess
    expect(records).toEqual([]);
    expect(trail.status()).toMatchObject({
      name: 'cloudtrail',
      status: 'missing',
      detail: expect.stringContaining('lookup-events'),
    });
    expect(logs.status()).toMatchObject({
      name: 'workload-logs',
      status: 'missing',
      detail: expect.stringContaining('get-query-results'),
    });
  });

  it('read records from both and report progress per file', async () => {
    // Prepare
    await dir.write('cloudtrail/a.json.gz', { Records: [{ eventName: 'ListUsers' }] });
    await dir.write('logs/aws/lambda/billing.json', {
      events: [{ timestamp: 1, message: 'NoCredentialsError', logStreamName: 's' }],
    });
    const seen: string[] = [];
    const sources = createExportDirSources(dir.path, {
      onFile: (name, index, total) => seen.push(`${name} ${index}/${total}`),
    });
    // Act
    const records = await collect(sources.cloudTrail(WINDOW).records());
    const entries = await collect(sources.workloadLogs(WINDOW).records());
    // Assess
    expect(records).toEqual([{ eventName: 'ListUsers' }]);
    expect(entries).toEqual([
      {
        timestamp: 1,
        logGroup: '/aws/lambda/billing',
        logStream: 's',
        message: 'NoCredentialsError',
      },
    ]);
    expect(seen).toEqual(['cloudtrail/a.json.gz 1/1', 'logs/aws/lambda/billing.json 1/1']);
  });
});
