import { LambdaClient } from '@aws-sdk/client-lambda';
import { invokeAuditLambda } from '../adapters/lambda-invoke.js';
import type { Report } from '../core/report.js';
import { connect, credentialContext } from './live.js';

/** `credhealth invoke`: which deployed audit function to run, and with what. */
export interface InvokeCliOptions {
  /** `--function`: the audit Lambda's name or ARN. */
  readonly functionName: string;
  readonly profile?: string;
  readonly region?: string;
  readonly roleArn?: string;
  /** `--now`, passed to the function so it evaluates as of that instant. */
  readonly now?: Date;
  /** `--lookback` in milliseconds. */
  readonly lookbackMs?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Invokes the deployed audit function and returns the schema-1 report it answers with. The
 * credentials are proven first (one line naming the failed step of the chain, exit 3), and the
 * Lambda client reuses them, so `--profile` and `--role-arn` mean the same as for `audit`.
 *
 * @throws CredentialChainError when credentials are missing, expired or rejected.
 * @throws RemoteAuditError when the function fails or does not answer with a report.
 */
export async function invokeAuditFunction(options: InvokeCliOptions): Promise<Report> {
  const { clients, region } = await connect(options);
  const lambda = new LambdaClient({ region, credentials: clients.sts.config.credentials });
  return invokeAuditLambda(
    lambda,
    options.functionName,
    {
      ...(options.lookbackMs === undefined
        ? {}
        : { lookback: `${Math.max(1, Math.round(options.lookbackMs / 60_000))}m` }),
      ...(options.now === undefined ? {} : { now: options.now.toISOString() }),
    },
    credentialContext(options),
  );
}
