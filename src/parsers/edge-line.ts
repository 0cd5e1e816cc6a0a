/**
 * One line of an edge log → a record: CloudFront standard logs (`#` headers, tab-separated
 * lines) or Cloudflare Logpush NDJSON (`{`). A CloudFront file's `#Fields` line sets the layout
 * of the lines after it, so a parser is made per file and remembers the last one.
 */

import { parseCloudflareLine } from './cloudflare-line.js';
import {
  type CloudFrontLayout,
  DEFAULT_CLOUDFRONT_LAYOUT,
  parseCloudFrontHeader,
  parseCloudFrontLine,
} from './cloudfront-line.js';
import type { EdgeLine } from './edge-record.js';
import { malformed } from './proxy-record.js';

const HASH = 35;
const OPEN_BRACE = 123;
const SPACE = 32;

export type EdgeLineParser = (line: string) => EdgeLine;

/** A parser for the lines of one file, in order. */
export function createEdgeLineParser(): EdgeLineParser {
  let layout: CloudFrontLayout = DEFAULT_CLOUDFRONT_LAYOUT;
  return (line) => {
    const text = line.length > 0 && line.charCodeAt(line.length - 1) <= SPACE ? line.trimEnd() : line;
    if (text.length === 0) return malformed('empty line');
    const first = text.charCodeAt(0);
    if (first === OPEN_BRACE) return parseCloudflareLine(text);
    if (first === HASH) {
      const { header, layout: next } = parseCloudFrontHeader(text);
      if (next !== null) layout = next;
      return header;
    }
    if (!text.includes('\t'))
      return malformed('neither a CloudFront line (tab-separated) nor a Cloudflare JSON object');
    return parseCloudFrontLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line, layout);
  };
}
