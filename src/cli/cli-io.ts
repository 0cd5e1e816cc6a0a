/** The terminal as the commands see it: injected, so tests run commands in-process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  cwd?: string;
}

export const EXIT = { ok: 0, unexpected: 1, badInput: 2 } as const;
