/** The first N malformed lines are reported with file:line; the rest are only counted. */
export const MAX_REPORTED_MALFORMED = 10;

export class MalformedLineReporter {
  count = 0;
  constructor(
    private readonly warn: (message: string) => void,
    private readonly limit = MAX_REPORTED_MALFORMED,
  ) {}

  report(file: string, lineNumber: number, reason: string): void {
    this.count++;
    if (this.count <= this.limit) this.warn(`${file}:${lineNumber}: malformed line skipped (${printable(reason)})`);
  }

  /** A closing line when more malformed lines were seen than reported. */
  finish(): void {
    if (this.count > this.limit) this.warn(`… ${this.count - this.limit} more malformed lines not shown (${this.count} in all).`);
  }
}

/** Reasons quote bits of the line: binary garbage must not reach a terminal as raw bytes. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g, '?');
}
