import type { CliIo, CliServices } from '../../lambdas/cli/cli-io.js';
import { CredentialHealthError } from '../../lambdas/core/errors.js';

/** A captured stdout or stderr. */
export interface CapturedOutput {
  readonly isTTY: boolean;
  readonly columns: number;
  text: string;
  write(text: string): void;
}

export function capture(isTTY = false, columns = 100): CapturedOutput {
  const output: CapturedOutput = {
    isTTY,
    columns,
    text: '',
    write(text: string) {
      output.text += text;
    },
  };
  return output;
}

/** Services that never reach AWS or Slack: each says it is not available here. */
export const OFFLINE_SERVICES: CliServices = {
  createLiveSources: () =>
    Promise.reject(new CredentialHealthError('live mode is not available in tests')),
  publishReport: () =>
    Promise.reject(new CredentialHealthError('publishing is not available in tests')),
  postReportToSlack: () =>
    Promise.reject(new CredentialHealthError('Slack is not available in tests')),
  invokeAuditFunction: () =>
    Promise.reject(new CredentialHealthError('invoke is not available in tests')),
};

export function fakeIo(
  options: { stdoutTTY?: boolean; env?: Record<string, string>; services?: CliServices } = {},
) {
  const stdout = capture(options.stdoutTTY ?? false);
  const stderr = capture(false);
  const io: CliIo = {
    stdout,
    stderr,
    env: options.env ?? {},
    clock: () => new Date('2026-11-20T12:00:04Z'),
    services: options.services ?? OFFLINE_SERVICES,
  };
  return { io, stdout, stderr };
}
