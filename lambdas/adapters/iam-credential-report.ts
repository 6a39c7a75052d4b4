import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { RequiredSourceError } from '../core/errors.js';
import { errorCode, toCredentialHealthError } from './aws-errors.js';
import { realSleep, type Sleep } from './sleep.js';

/** The IAM credential report as AWS returned it. */
export interface FetchedCredentialReport {
  /** The decoded CSV (the API returns it base64-encoded; the SDK gives bytes). */
  readonly csv: string;
  /** `GeneratedTime`: the report can be up to four hours old. */
  readonly generatedAt: Date | null;
  /** GenerateCredentialReport calls it took before the report was ready. */
  readonly generateCalls: number;
}

export interface CredentialReportOptions {
  /** Gives up after this long. @default 120_000 */
  readonly maxWaitMs?: number;
  /** First wait between polls; doubles up to `maxDelayMs`. @default 2_000 */
  readonly initialDelayMs?: number;
  /** @default 15_000 */
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
}

const NOT_READY = new Set(['ReportInProgress', 'CredentialReportNotReadyException']);
const NOT_PRESENT = new Set([
  'ReportNotPresent',
  'CredentialReportNotPresentException',
  'ReportExpired',
  'CredentialReportExpiredException',
]);
const RATE_LIMITED = new Set([
  'LimitExceeded',
  'LimitExceededException',
  'Throttling',
  'ThrottlingException',
]);

/**
 * Asks IAM for a credential report and waits until it is ready: GenerateCredentialReport until
 * `COMPLETE`, then GetCredentialReport. A report generated in the last four hours is reused
 * by AWS, so this is usually two calls. Bounded by `maxWaitMs`.
 *
 * @throws RequiredSourceError when the report is not ready in time or cannot be read.
 * @throws CredentialChainError when the credentials are missing, expired or invalid.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  options: CredentialReportOptions = {},
): Promise<FetchedCredentialReport> {
  const sleep = options.sleep ?? realSleep;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const maxDelayMs = options.maxDelayMs ?? 15_000;
  let delayMs = options.initialDelayMs ?? 2_000;
  let waitedMs = 0;
  let generateCalls = 0;
  let lastState = 'not started';

  const wait = async (why: string): Promise<void> => {
    if (waitedMs + delayMs > maxWaitMs) {
      throw new RequiredSourceError(
        `IAM credential report not ready after ${Math.round(waitedMs / 1000)} s (${why}); try again in a minute`,
      );
    }
    await sleep(delayMs);
    waitedMs += delayMs;
    delayMs = Math.min(delayMs * 2, maxDelayMs);
  };

  for (;;) {
    try {
      generateCalls += 1;
      const generated = await iam.send(new GenerateCredentialReportCommand({}));
      lastState = generated.State ?? 'unknown';
    } catch (error) {
      if (!RATE_LIMITED.has(errorCode(error))) throw wrap(error, 'iam:GenerateCredentialReport');
      await wait('GenerateCredentialReport rate limited');
      continue;
    }
    if (lastState !== 'COMPLETE') {
      await wait(`state ${lastState}`);
      continue;
    }
    try {
      const report = await iam.send(new GetCredentialReportCommand({}));
      if (report.Content === undefined)
        throw new RequiredSourceError('GetCredentialReport returned no content');
      return {
        csv: new TextDecoder('utf-8').decode(report.Content),
        generatedAt: report.GeneratedTime ?? null,
        generateCalls,
      };
    } catch (error) {
      const code = errorCode(error);
      // The report can expire or still be in progress between the two calls: start again.
      if (NOT_READY.has(code) || NOT_PRESENT.has(code) || RATE_LIMITED.has(code)) {
        await wait(code);
        continue;
      }
      throw wrap(error, 'iam:GetCredentialReport');
    }
  }
}

function wrap(error: unknown, operation: string): Error {
  if (error instanceof RequiredSourceError) return error;
  const ours = toCredentialHealthError(error, operation);
  if (ours instanceof RequiredSourceError) return ours;
  return new RequiredSourceError(`IAM credential report could not be read: ${ours.message}`, {
    cause: ours,
  });
}
