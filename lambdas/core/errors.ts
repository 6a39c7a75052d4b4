/**
 * One base error for everything credential-health raises on purpose. Subclasses say which
 * kind of failure it is, so the CLI can map it to an exit code and a handler to a metric.
 */
export class CredentialHealthError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialHealthError';
  }
}

/** Input that does not have the shape AWS writes (exit code 2 in the CLI). */
export class InputFormatError extends CredentialHealthError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InputFormatError';
  }
}

/** A configuration file or option that is not valid (exit code 2 in the CLI). */
export class ConfigError extends CredentialHealthError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** A source the audit cannot do without (the credential report) could not be read (exit code 3). */
export class RequiredSourceError extends CredentialHealthError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RequiredSourceError';
  }
}

/**
 * One line about an error for a status or a log, without its stack or any payload it carries,
 * at most 300 characters.
 *
 * @example describeError(new Error('Rate exceeded')) // 'Error: Rate exceeded'
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
