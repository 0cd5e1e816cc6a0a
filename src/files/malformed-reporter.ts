import { type LineFileStats, MAX_LINE_BYTES } from './for-each-line.js';
import { printableText } from './printable-text.js';

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
    if (this.count <= this.limit)
      this.warn(`${printableText(file)}:${lineNumber}: malformed line skipped (${printable(reason)})`);
  }

  /**
   * A file's over-long lines (forEachLine skips them: see MAX_LINE_BYTES), named once by the first
   * of them and counted with the malformed lines.
   */
  reportOverlong(
    file: string,
    stats: Pick<LineFileStats, 'overlongLines' | 'firstOverlongLine'>,
    maxLineBytes = MAX_LINE_BYTES,
  ): void {
    if (stats.overlongLines === 0 || stats.firstOverlongLine === null) return;
    const shown = this.count < this.limit;
    this.count += stats.overlongLines;
    if (!shown) return;
    const others = stats.overlongLines > 1 ? ` (${stats.overlongLines} such lines in this file)` : '';
    this.warn(
      `${printableText(file)}:${stats.firstOverlongLine}: line longer than ${maxLineBytes >> 10} KiB skipped${others}`,
    );
  }

  /** A closing line when more malformed lines were seen than reported. */
  finish(): void {
    if (this.count > this.limit)
      this.warn(`… ${this.count - this.limit} more malformed lines not shown (${this.count} in all).`);
  }
}

/** Reasons quote bits of the line: binary garbage must not reach a terminal as raw bytes. */
function printable(text: string): string {
  return printableText(text).replace(/\ufffd/g, '?');
}
