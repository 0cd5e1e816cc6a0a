import { printableText } from '../files/printable-text.js';

export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The terminal as the commands see it: injected, so tests run commands in-process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: CliStream;
  stderr: CliStream;
  cwd?: string;
  /**
   * The terminal's own control sequences, written as they are: only constants such as
   * ERASE_LINE go here, never text. Absent when nothing should be written raw.
   */
  terminal?: { write(sequence: string): unknown };
}

export const EXIT = { ok: 0, unexpected: 1, badInput: 2 } as const;

/** Erases the progress line and returns to its start. */
export const ERASE_LINE = '\u001b[2K\r';

/**
 * The terminal sink: stdout and stderr drop control characters (ESC, BEL, NUL, C1…; line feeds
 * and tabs stay), so nothing printed — a log file's name, a log line, a model's draft — can
 * move the cursor, retitle the window, hide a link or reset the screen. The progress line's own
 * erase sequence goes through `terminal`, the one raw channel (stderr, when it is a TTY).
 */
export function withPrintableOutput(io: CliIo): CliIo {
  const printable = (stream: CliStream): CliStream => ({
    write: (text: string) => stream.write(printableText(text, { multiline: true })),
    ...(stream.isTTY === undefined ? {} : { isTTY: stream.isTTY }),
  });
  const raw = io.terminal ?? (io.stderr.isTTY ? io.stderr : undefined);
  return { ...io, stdout: printable(io.stdout), stderr: printable(io.stderr), ...(raw ? { terminal: raw } : {}) };
}
