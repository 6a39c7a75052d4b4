import { CommanderError } from 'commander';
import {
  ConfigError,
  CredentialHealthError,
  InputFormatError,
  RequiredSourceError,
} from '../core/errors.js';

/**
 * The CLI's exit codes (PRODUCT.md, "The CLI"), plus one for our own bugs.
 *
 * `internal` is 70 (`EX_SOFTWARE` of sysexits.h), not 1: a CI step gated on `--fail-on` reads 1
 * as "findings at or above the threshold", so a crash must not look like a finding, nor like
 * bad usage that the user could fix.
 */
export const EXIT_CODES = {
  /** Done; findings or not. */
  ok: 0,
  /** Done, and `--fail-on` was met. */
  failOn: 1,
  /** Bad usage or bad input: an option, the config file, an input file's format. */
  usage: 2,
  /** A required source (the credential report) could not be read. */
  requiredSource: 3,
  /** An unexpected error: a bug in credhealth. */
  internal: 70,
} as const;

/** A command line that cannot be run as given (conflicting options, a bad ARN…): exit code 2. */
export class UsageError extends CredentialHealthError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/**
 * The exit code for an error that ended a run. Any `CredentialHealthError` other than
 * `RequiredSourceError` is a failure we explain in one line (bad input, a mode not available):
 * 2. Anything else is unexpected: 70.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof RequiredSourceError) return EXIT_CODES.requiredSource;
  if (
    error instanceof InputFormatError ||
    error instanceof ConfigError ||
    error instanceof UsageError
  ) {
    return EXIT_CODES.usage;
  }
  if (error instanceof CredentialHealthError) return EXIT_CODES.usage;
  return EXIT_CODES.internal;
}

/**
 * The one line printed on stderr for an error: `credhealth: error: …`. Never the stack: a
 * user cannot act on it, and a payload could carry a secret. `CREDHEALTH_DEBUG=1` adds the
 * stack of an unexpected error, for a bug report.
 */
export function errorLine(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const text = oneLine(message);
  if (error instanceof CredentialHealthError) return `credhealth: error: ${text}\n`;
  const name = error instanceof Error ? error.name : 'Error';
  const line = `credhealth: internal error: ${name}: ${text} (a bug in credhealth; rerun with CREDHEALTH_DEBUG=1 for details)\n`;
  return debug && error instanceof Error && error.stack ? `${line}${error.stack}\n` : line;
}

/** Collapses a message to one line of reasonable length. */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
