import { readFileSync } from 'node:fs';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { CredentialChainError } from '../../lambdas/adapters/aws-errors.js';
import { invokeAuditLambda, RemoteAuditError } from '../../lambdas/adapters/lambda-invoke.js';

// moto can store a Lambda function but runs it only in Docker, which this machine does not
// have: Invoke is mocked with aws-sdk-client-mock.
const lambdaMock = mockClient(LambdaClient);
const FUNCTION = 'credential-health-audit';
const REPORT_TEXT = readFileSync(
  new URL('../fixtures/reports/sample-report.json', import.meta.url),
  'utf8',
);

/** The SDK hands payloads back as a Uint8Array with a `transformToString` helper. */
function payload(value: unknown): InvokeCommandOutput['Payload'] {
  const bytes = new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
  return Object.assign(bytes, { transformToString: () => new TextDecoder().decode(bytes) });
}

describe('invokeAuditLambda', () => {
  beforeEach(() => {
    lambdaMock.reset();
  });

  it('asks for the json report, synchronously and without publishing, and returns it', async () => {
    // Prepare
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(REPORT_TEXT) });

    // Act
    const report = await invokeAuditLambda(new LambdaClient({ region: 'eu-west-1' }), FUNCTION, {
      lookback: '7d',
      now: '2026-11-20T12:00:00Z',
    });

    // Assess
    expect(report).toEqual(JSON.parse(REPORT_TEXT));
    expect(lambdaMock).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const input = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input?.FunctionName).toBe(FUNCTION);
    expect(input?.InvocationType).toBe('RequestResponse');
    expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).toEqual({
      lookback: '7d',
      now: '2026-11-20T12:00:00Z',
      format: 'json',
      publish: false,
    });
  });

  it('fails with the function error type and message, not its stack', async () => {
    // Prepare
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({
        errorType: 'RequiredSourceError',
        errorMessage: 'credential report still in progress after 120 s',
        stackTrace: ['at fetchCredentialReport (index.mjs:1:1)'],
      }),
    });

    // Act
    const call = invokeAuditLambda(new LambdaClient({ region: 'eu-west-1' }), FUNCTION, {});

    // Assess
    await expect(call).rejects.toThrow(RemoteAuditError);
    await expect(call).rejects.toThrow(
      /failed \(Unhandled\): RequiredSourceError: credential report still in progress/,
    );
    await expect(call).rejects.not.toThrow(/index\.mjs/);
  });

  it.each([
    ['a rendered body', { format: 'text', body: 'Credential health…', summary: {} }],
    ['another schema version', { ...JSON.parse(REPORT_TEXT), schemaVersion: 2 }],
    ['not JSON', 'null\n<html>'],
  ])('refuses %s: it is not a schema-1 report', async (_name, answer) => {
    // Prepare
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(answer) });

    // Act
    const call = invokeAuditLambda(new LambdaClient({ region: 'eu-west-1' }), FUNCTION, {});

    // Assess
    await expect(call).rejects.toThrow(RemoteAuditError);
  });

  it('explains expired credentials as a step of the chain', async () => {
    // Prepare
    const expired = Object.assign(
      new Error('The security token included in the request is expired'),
      {
        name: 'ExpiredTokenException',
      },
    );
    lambdaMock.on(InvokeCommand).rejects(expired);

    // Act
    const call = invokeAuditLambda(
      new LambdaClient({ region: 'eu-west-1' }),
      FUNCTION,
      {},
      {
        profile: 'prod',
        profileFound: true,
      },
    );

    // Assess
    await expect(call).rejects.toThrow(CredentialChainError);
  });
});
