import {
  CloudTrailClient,
  DescribeTrailsCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
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
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCallCounter } from '../../lambdas/adapters/call-counter.js';
import { runAudit } from '../../lambdas/core/audit.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Report } from '../../lambdas/core/report.js';
import { createLiveAuditSources } from '../../lambdas/sources/live/live-sources.js';

/**
 * A Logs Insights query that times out (status `Timeout`, or still `Running` past the
 * adapter's limit). moto always completes a query at once, so these use mocked clients: the
 * other sources still produce a report, and `workload-logs` is degraded with the reason.
 */

const iamMock = mockClient(IAMClient);
const ctMock = mockClient(CloudTrailClient);
const logsMock = mockClient(CloudWatchLogsClient);

const NOW = new Date('2026-11-20T12:00:00Z');
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const CSV = [
  HEADER,
  '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
].join('\n');

async function audit(maxWaitMs = 300_000): Promise<Report> {
  const sources = createLiveAuditSources({
    iam: new IAMClient({}),
    sts: new STSClient({}),
    cloudTrail: new CloudTrailClient({}),
    s3: new S3Client({}),
    logs: new CloudWatchLogsClient({}),
    counter: createCallCounter(),
    region: 'eu-west-1',
    accountId: '123456789012',
    cloudTrailMode: 'lookup',
    includeLambdaLogGroups: false,
    logGroups: ['/app/orders', '/app/billing'],
    lookup: { sleep: async () => {}, clock: () => 0 },
    logsQuery: { sleep: async () => {}, maxWaitMs, pollIntervalMs: 1_000 },
  });
  return runAudit(sources, { config: DEFAULT_CONFIG, now: NOW, generatedAt: NOW });
}

describe('a Logs Insights query that times out', () => {
  beforeEach(() => {
    iamMock.reset();
    ctMock.reset();
    logsMock.reset();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .resolves({ Content: new TextEncoder().encode(CSV), GeneratedTime: NOW });
    iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({ UserDetailList: [] });
    iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 0 } });
    ctMock.on(DescribeTrailsCommand).resolves({ trailList: [] });
    ctMock.on(LookupEventsCommand).resolves({ Events: [] });
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logsMock.on(StopQueryCommand).resolves({ success: true });
  });

  it('status Timeout: the batch is skipped and named, the report still comes', async () => {
    // Prepare
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Timeout' });

    // Act
    const report = await audit();

    // Assess
    expect(report.sources.find((s) => s.name === 'workload-logs')).toMatchObject({
      status: 'degraded',
      itemsRead: 0,
      itemsSkipped: 2,
    });
    expect(report.sources.find((s) => s.name === 'workload-logs')?.detail).toContain(
      '2 log groups not read: query timeout',
    );
    expect(report.sources.find((s) => s.name === 'cloudtrail')?.status).toBe('ok');
    expect(report.findings.map((f) => f.check)).toContain('root-mfa-disabled');
  });

  it('still Running past the limit: the query is stopped, and the source says so', async () => {
    // Prepare
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Running' });

    // Act
    const report = await audit(5_000);

    // Assess
    expect(logsMock).toHaveReceivedCommandWith(StopQueryCommand, { queryId: 'q-1' });
    expect(report.sources.find((s) => s.name === 'workload-logs')?.detail).toContain(
      'query still running after 5 s, stopped',
    );
    expect(report.sources.find((s) => s.name === 'workload-logs')?.status).toBe('degraded');
  });
});
