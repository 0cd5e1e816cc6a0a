/** Word wrapping for terminal prose. Pure. */

/** Characters as a terminal counts them, for the box-drawing and punctuation we emit. */
export function displayWidth(text: string): number {
  return [...text].length;
}

/**
 * Wraps `text` to `width` columns: the first line starts with `firstPrefix`, the rest with
 * `restPrefix` (a hanging indent for bullets). A word longer than a line is kept whole
 * rather than broken, so numbers and identifiers stay copyable.
 */
export function wrapText(text: string, width: number, firstPrefix = '', restPrefix = firstPrefix): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = firstPrefix;
  let lineHasWord = false;
  for (const word of words) {
    const candidate = lineHasWord ? `${line} ${word}` : `${line}${word}`;
    if (lineHasWord && displayWidth(candidate) > width) {
      lines.push(line);
      line = `${restPrefix}${word}`;
    } else {
      line = candidate;
    }
    lineHasWord = true;
  }
  lines.push(line);
  return lines;
}
