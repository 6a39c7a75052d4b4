import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { CredentialHealthError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import type { AuditRequest } from '../use-cases/run-on-demand-audit.js';
import { type CredentialChainContext, toCredentialHealthError } from './aws-errors.js';

/** The deployed audit function answered with an error, or with something that is not a report. */
export class RemoteAuditError extends CredentialHealthError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RemoteAuditError';
  }
}

/**
 * Just enough of the schema-1 contract to know the answer is a report and not, say, a
 * rendered body or another function's output; the renderers read the rest as typed data.
 */
const reportShape = z.looseObject({
  schemaVersion: z.literal(1),
  generatedAt: z.string(),
  now: z.string(),
  sources: z.array(z.looseObject({ name: z.string(), status: z.string(), detail: z.string() })),
  summary: z.looseObject({}),
  findings: z.array(z.looseObject({ id: z.string(), check: z.string(), severity: z.string() })),
  incidents: z.array(z.looseObject({ id: z.string(), kind: z.string(), severity: z.string() })),
});

/**
 * Runs the deployed `audit` function synchronously (RequestResponse) and returns its report.
 * `format` is always `json`: the CLI renders the report itself, like a local audit.
 *
 * @throws RemoteAuditError when the function fails or answers with something else.
 * @example
 * const report = await invokeAuditLambda(lambda, 'credhealth-audit', { lookback: '7d' });
 */
export async function invokeAuditLambda(
  client: LambdaClient,
  functionName: string,
  request: Omit<AuditRequest, 'format' | 'publish'>,
  context: CredentialChainContext = {},
): Promise<Report> {
  const payload: AuditRequest = { ...request, format: 'json', publish: false };
  let response: InvokeCommandOutput;
  try {
    response = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  } catch (error) {
    throw toCredentialHealthError(error, 'lambda:Invoke', context);
  }
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  if (response.FunctionError) {
    throw new RemoteAuditError(
      `${functionName} failed (${response.FunctionError}): ${functionErrorMessage(text)}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RemoteAuditError(`${functionName} did not answer with JSON: ${text.slice(0, 120)}`);
  }
  const checked = reportShape.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new RemoteAuditError(
      `${functionName} did not answer with a schema-1 report (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'unexpected shape'}); is it the credential-health audit function?`,
    );
  }
  // The shape check above guards the fields the renderers rely on; the rest is the contract.
  return parsed as Report;
}

/** Lambda's error payload is `{"errorType","errorMessage"}`; show only those, never a stack. */
function functionErrorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    const type = typeof body.errorType === 'string' ? `${body.errorType}: ` : '';
    const message = typeof body.errorMessage === 'string' ? body.errorMessage : 'no message';
    return `${type}${message}`.slice(0, 300);
  } catch {
    return text.slice(0, 300) || 'no message';
  }
}
