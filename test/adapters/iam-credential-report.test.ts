import {
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  IAMServiceException,
  LimitExceededException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { CredentialChainError } from '../../lambdas/adapters/aws-errors.js';
import { fetchCredentialReport } from '../../lambdas/adapters/iam-credential-report.js';
import { RequiredSourceError } from '../../lambdas/core/errors.js';

const iamMock = mockClient(IAMClient);
const CSV = 'user,arn\n<root_account>,arn:aws:iam::123456789012:root\n';
const GENERATED = new Date('2026-11-20T10:00:00Z');
const meta = { $metadata: {} };

function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe('fetchCredentialReport', () => {
  beforeEach(() => {
    iamMock.reset();
  });

  it('reads a report that is ready at once in two calls, decoding the CSV', async () => {
    // Prepare
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(CSV),
      GeneratedTime: GENERATED,
      ReportFormat: 'text/csv',
    });
    const { sleep, waits } = recordingSleep();

    // Act
    const report = await fetchCredentialReport(new IAMClient({}), { sleep });

    // Assess
    expect(report).toEqual({ csv: CSV, generatedAt: GENERATED, generateCalls: 1 });
    expect(iamMock).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 1);
    expect(iamMock).toHaveReceivedCommandTimes(GetCredentialReportCommand, 1);
    expect(waits).toEqual([]);
  });

  it('polls with a doubling wait while the report is being generated', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .resolves({ Content: new TextEncoder().encode(CSV), GeneratedTime: GENERATED });
    const { sleep, waits } = recordingSleep();

    const report = await fetchCredentialReport(new IAMClient({}), {
      sleep,
      initialDelayMs: 1_000,
      maxDelayMs: 3_000,
    });

    expect(report.generateCalls).toBe(4);
    expect(waits).toEqual([1_000, 2_000, 3_000]);
  });

  it('waits out LimitExceeded on generation', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejectsOnce(new LimitExceededException({ message: 'Rate exceeded', ...meta }))
      .resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .resolves({ Content: new TextEncoder().encode(CSV), GeneratedTime: GENERATED });
    const { sleep, waits } = recordingSleep();

    const report = await fetchCredentialReport(new IAMClient({}), { sleep });

    expect(report.csv).toBe(CSV);
    expect(waits).toHaveLength(1);
  });

  it('starts again when the report is still in progress or gone between the two calls', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportNotReadyException({ message: 'ReportInProgress', ...meta }))
      .rejectsOnce(
        new CredentialReportNotPresentException({ message: 'ReportNotPresent', ...meta }),
      )
      .resolves({ Content: new TextEncoder().encode(CSV), GeneratedTime: GENERATED });
    const { sleep } = recordingSleep();

    const report = await fetchCredentialReport(new IAMClient({}), { sleep });

    expect(report.csv).toBe(CSV);
    expect(iamMock).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 3);
  });

  it('gives up with one clear error when the report is never ready within the bound', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const { sleep, waits } = recordingSleep();

    const attempt = fetchCredentialReport(new IAMClient({}), {
      sleep,
      maxWaitMs: 10_000,
      initialDelayMs: 2_000,
    });

    await expect(attempt).rejects.toThrow(RequiredSourceError);
    await expect(attempt).rejects.toThrow(/not ready after \d+ s \(state INPROGRESS\)/);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
    expect(iamMock).toHaveReceivedCommandTimes(GetCredentialReportCommand, 0);
  });

  it('explains expired credentials instead of failing on the SDK error', async () => {
    iamMock.on(GenerateCredentialReportCommand).rejects(
      new IAMServiceException({
        name: 'ExpiredToken',
        $fault: 'client',
        message: 'The security token included in the request is expired',
        ...meta,
      }),
    );

    await expect(fetchCredentialReport(new IAMClient({}))).rejects.toBeInstanceOf(
      CredentialChainError,
    );
  });

  it('says which permission is missing', async () => {
    iamMock.on(GenerateCredentialReportCommand).rejects(
      new IAMServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'not authorized',
        ...meta,
      }),
    );

    const attempt = fetchCredentialReport(new IAMClient({}));

    await expect(attempt).rejects.toBeInstanceOf(RequiredSourceError);
    await expect(attempt).rejects.toThrow(
      'not allowed to call iam:GenerateCredentialReport: not authorized',
    );
  });
});
