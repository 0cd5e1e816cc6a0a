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
    if (this.count <= this.limit) this.warn(`${file}:${lineNumber}: malformed line skipped (${reason})`);
  }

  /** A closing line when more malformed lines were seen than reported. */
  finish(): void {
    if (this.count > this.limit) this.warn(`… ${this.count - this.limit} more malformed lines not shown (${this.count} in all).`);
  }
}
