/**
 * The logger the Slack and Lambda edges write to: a message and optional structured fields.
 * pino in production, a recorder or nothing in tests. Never pass secrets or tokens as fields.
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';

export type LogFields = Record<string, unknown>;

export interface AppLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** The part of pino's API used here, so any pino-compatible logger fits. */
export interface PinoLike {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export function fromPino(pino: PinoLike): AppLogger {
  return {
    debug: (message, fields = {}) => pino.debug(fields, message),
    info: (message, fields = {}) => pino.info(fields, message),
    warn: (message, fields = {}) => pino.warn(fields, message),
    error: (message, fields = {}) => pino.error(fields, message),
  };
}

/** Bolt's own log lines (receiver errors, unhandled events) go to the same place as ours. */
export function toBoltLogger(logger: AppLogger, name = 'bolt'): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const enabled = (at: LogLevel) => order.indexOf(at) >= order.indexOf(level);
  const text = (parts: unknown[]) =>
    parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    debug: (...msg: unknown[]) => enabled(LogLevel.DEBUG) && logger.debug(text(msg), { component: name }),
    info: (...msg: unknown[]) => enabled(LogLevel.INFO) && logger.info(text(msg), { component: name }),
    warn: (...msg: unknown[]) => enabled(LogLevel.WARN) && logger.warn(text(msg), { component: name }),
    error: (...msg: unknown[]) => enabled(LogLevel.ERROR) && logger.error(text(msg), { component: name }),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}

/** A short, loggable description of any thrown value (no stack, no request bodies). */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const slackError = (error as { data?: { error?: unknown } }).data?.error;
    return {
      error: error.message,
      errorName: error.name,
      ...(code ? { code } : {}),
      ...(slackError ? { slackError } : {}),
    };
  }
  return { error: String(error) };
}
