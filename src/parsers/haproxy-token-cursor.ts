/**
 * A forward-only walk over the space-separated fields of one log line (HAProxy, nginx, Traefik
 * CLF, Envoy).
 * It works by index (`indexOf`), never by regex, and allocates only the strings a caller asks
 * for: proxy logs run to millions of lines.
 */

const SPACE = 32;
const COMMA = 44;
const QUOTE = 34;
const DIGIT_0 = 48;
const BACKSLASH = 92;

export class TokenCursor {
  /** Start (inclusive) and end (exclusive) of the current token. */
  start = 0;
  end = 0;

  constructor(
    readonly line: string,
    /** Where the next token is searched from. */
    public pos: number,
  ) {}

  /** Moves to the next token, skipping any run of spaces; false at the end of the line. */
  next(): boolean {
    const line = this.line;
    let p = this.pos;
    while (p < line.length && line.charCodeAt(p) === SPACE) p++;
    if (p >= line.length) return false;
    const space = line.indexOf(' ', p);
    this.start = p;
    this.end = space < 0 ? line.length : space;
    this.pos = this.end;
    return true;
  }

  text(): string {
    return this.line.slice(this.start, this.end);
  }

  firstCode(): number {
    return this.line.charCodeAt(this.start);
  }

  lastCode(): number {
    return this.line.charCodeAt(this.end - 1);
  }

  /** True when the current token is one or more ASCII digits. */
  isDigits(): boolean {
    if (this.end <= this.start) return false;
    for (let p = this.start; p < this.end; p++) {
      const code = this.line.charCodeAt(p);
      if (code < DIGIT_0 || code > DIGIT_0 + 9) return false;
    }
    return true;
  }

  /** Index (in the line) of `char` inside the current token, or -1. */
  indexInToken(char: string): number {
    const at = this.line.indexOf(char, this.start);
    return at >= 0 && at < this.end ? at : -1;
  }

  /** Index of the next non-space character from `pos` (the line length at the end). */
  skipSpaces(): number {
    const line = this.line;
    let p = this.pos;
    while (p < line.length && line.charCodeAt(p) === SPACE) p++;
    this.pos = p;
    return p;
  }

  /**
   * Moves to the next `"quoted"` field; `start`/`end` then bound the text inside the quotes.
   * False when the next field is not quoted or its closing quote is missing. The quote cannot
   * occur inside: HAProxy writes it as `#22`, nginx as `\x22`.
   */
  nextQuoted(): boolean {
    const line = this.line;
    const open = this.skipSpaces();
    if (line.charCodeAt(open) !== QUOTE) return false;
    const close = line.indexOf('"', open + 1);
    if (close < 0) return false;
    this.start = open + 1;
    this.end = close;
    this.pos = close + 1;
    return true;
  }

  /**
   * Like nextQuoted, for writers that escape a quote inside the value as `\"` (Traefik's CLF):
   * the closing quote is the first one not preceded by a backslash.
   */
  nextQuotedEscaped(): boolean {
    const line = this.line;
    const open = this.skipSpaces();
    if (line.charCodeAt(open) !== QUOTE) return false;
    let close = line.indexOf('"', open + 1);
    while (close > 0 && line.charCodeAt(close - 1) === BACKSLASH) close = line.indexOf('"', close + 1);
    if (close < 0) return false;
    this.start = open + 1;
    this.end = close;
    this.pos = close + 1;
    return true;
  }

  /**
   * Extends the current token over the rest of a list: nginx writes several upstreams as
   * "a, b" and an internal redirect between upstream groups as "a, b : c".
   */
  extendOverList(): void {
    const line = this.line;
    for (;;) {
      let continuation = -1;
      if (line.charCodeAt(this.end - 1) === COMMA && line.charCodeAt(this.end) === SPACE) {
        continuation = this.end + 1;
      } else if (line.startsWith(' : ', this.end)) {
        continuation = this.end + 3;
      }
      if (continuation < 0 || continuation >= line.length) return;
      const space = line.indexOf(' ', continuation);
      this.end = space < 0 ? line.length : space;
      this.pos = this.end;
    }
  }
}
