/**
 * Cuts a stream of JSON text, fed line by line, into its top-level objects: one object per line
 * (NDJSON), objects spread over several lines (pretty-printed), or the elements of one JSON
 * array (`[ {…}, {…} ]`, as Cloud Logging exports and `gcloud logging read --format=json` write
 * them). Memory stays at one entry, whatever the file size. Pure: no I/O.
 */

export type SplitPiece =
  /** The text of one top-level object and the line it started on. */
  | { kind: 'entry'; text: string; lineNumber: number }
  /** Text outside any object that is not array punctuation. */
  | { kind: 'junk'; text: string; lineNumber: number };

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

export class JsonEntrySplitter {
  /** Nesting inside the current entry (0: between entries). */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside a top-level `[`: its elements are the entries. */
  private inTopArray = false;
  private parts: string[] = [];
  private entryLine = 0;

  /** Feeds one line (without its newline); returns the pieces that ended in it. */
  push(line: string, lineNumber: number): SplitPiece[] {
    const pieces: SplitPiece[] = [];
    // The common case, one whole object on its own line, needs no character walk.
    if (this.depth === 0 && !this.inTopArray && isOneObjectLine(line)) {
      pieces.push({ kind: 'entry', text: line, lineNumber });
      return pieces;
    }
    // An object opening in column 0 while another is still open: the open one was cut short (a
    // truncated NDJSON line). Pretty-printed entries indent their inner lines, so this is safe.
    if (this.depth > 0 && !this.inTopArray && line.charCodeAt(0) === OPEN_BRACE) {
      pieces.push(this.abandonEntry());
      if (isOneObjectLine(line)) {
        pieces.push({ kind: 'entry', text: line, lineNumber });
        return pieces;
      }
    }
    let entryStart = this.depth > 0 ? 0 : -1;
    for (let p = 0; p < line.length; p++) {
      const code = line.charCodeAt(p);
      if (this.depth === 0) {
        if (code === OPEN_BRACE) {
          this.depth = 1;
          entryStart = p;
          this.entryLine = lineNumber;
        } else if (code === OPEN_BRACKET && !this.inTopArray) {
          this.inTopArray = true;
        } else if (code === CLOSE_BRACKET && this.inTopArray) {
          this.inTopArray = false;
        } else if (!(code === COMMA || code <= 32)) {
          pieces.push({ kind: 'junk', text: line.slice(p), lineNumber });
          return pieces;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (code === BACKSLASH) this.escaped = true;
        else if (code === QUOTE) this.inString = false;
        continue;
      }
      if (code === QUOTE) this.inString = true;
      else if (code === OPEN_BRACE || code === OPEN_BRACKET) this.depth++;
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          this.parts.push(line.slice(entryStart, p + 1));
          pieces.push({ kind: 'entry', text: this.parts.join('\n'), lineNumber: this.entryLine });
          this.parts = [];
          entryStart = -1;
        }
      }
    }
    if (this.depth > 0) this.parts.push(line.slice(Math.max(entryStart, 0)));
    return pieces;
  }

  /** At the end of the input: the start of an entry that never closed (a cut file), if any. */
  finish(): SplitPiece | null {
    return this.depth === 0 ? null : this.abandonEntry();
  }

  private abandonEntry(): SplitPiece {
    const text = this.parts.join('\n');
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.parts = [];
    return { kind: 'junk', text, lineNumber: this.entryLine };
  }
}

/** `{…}` with nothing around it: an NDJSON line (a wrong guess only makes JSON.parse fail). */
function isOneObjectLine(line: string): boolean {
  return line.charCodeAt(0) === OPEN_BRACE && line.charCodeAt(line.length - 1) === CLOSE_BRACE;
}
