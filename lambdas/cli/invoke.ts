import { CredentialHealthError } from '../core/errors.js';
import type { Report } from '../core/report.js';

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
 * Invokes the deployed audit function and returns the schema-1 report it answers with.
 *
 * @throws CredentialHealthError until invoking from the CLI is built.
 */
export async function invokeAuditFunction(_options: InvokeCliOptions): Promise<Report> {
  throw new CredentialHealthError(
    'credhealth invoke is not available in this build yet: run credhealth audit, or aws lambda invoke on the audit function',
  );
}
