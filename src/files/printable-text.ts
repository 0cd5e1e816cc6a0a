/**
 * Pure: text made safe to print. Log files' names, log lines and model answers may hold terminal
 * control sequences (ESC c resets the screen, OSC 0 retitles the window, OSC 8 hides a link
 * behind harmless text, BEL rings); printed raw, they act on the reader's terminal.
 */

// C0 controls but \t and \n, DEL, and the C1 controls (U+0080–U+009F: CSI and OSC have 8-bit forms).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this matches
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this matches
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f]/g;

export interface PrintableOptions {
  /**
   * Keep line feeds and tabs (a report, a draft). Otherwise (a file name inside a message, a
   * progress line) they go too, so a name cannot start a new line or a new Markdown block.
   */
  multiline?: boolean;
}

/** `text` without C0 and C1 control characters and DEL (line feeds and tabs kept when `multiline`). */
export function printableText(text: string, options: PrintableOptions = {}): string {
  return text.replace(options.multiline ? CONTROL_MULTILINE : CONTROL_ONE_LINE, '');
}
