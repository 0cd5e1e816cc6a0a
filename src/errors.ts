/**
 * Typed errors. The message says what failed and where; the hint says what to try next.
 * The edges (CLI, Slack) decide what the user sees: known errors are shown, others logged.
 */
export class Why502Error extends Error {
  override name = 'Why502Error';
  constructor(
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Bad input from a person: a malformed command, time, zone, window or index. Exit 2. */
export class UsageError extends Why502Error {
  override name = 'UsageError';
}

/** A config file that is missing, unreadable or invalid. Exit 2. */
export class ConfigError extends Why502Error {
  override name = 'ConfigError';
}

/** A log file that cannot be read: missing, unreadable, or a corrupt .gz. */
export class LogFileError extends Why502Error {
  override name = 'LogFileError';
}

/** An evidence source (CloudWatch, OpenAI, Slack) failed or timed out. */
export class SourceError extends Why502Error {
  override name = 'SourceError';
}

/** One line for a person: the message and, when there is one, the hint. */
export function describeError(error: unknown): string {
  if (error instanceof Why502Error) return [error.message, error.hint].filter(Boolean).join(' ');
  return 'Something went wrong on our side; the details are in the logs.';
}
