/**
 * The quoted request line of an access log (`"GET /path HTTP/1.1"`), split into method and path
 * without copying the whole request. Shared by the HAProxy and nginx parsers.
 */

export interface RequestParts {
  method: string | null;
  path: string | null;
  /** The line ended inside the request (or before it): cut at the syslog length limit. */
  truncated: boolean;
}

/** A line cut before any request text, e.g. inside a captured header. */
export const CUT_BEFORE_REQUEST: RequestParts = Object.freeze({ method: null, path: null, truncated: true });

const NO_REQUEST: RequestParts = Object.freeze({ method: null, path: null, truncated: false });

/** Index of the next space in [from, end), or `end`. */
function wordEnd(line: string, from: number, end: number): number {
  const space = line.indexOf(' ', from);
  return space < 0 || space > end ? end : space;
}

/**
 * Splits the request text in [start, end). `""`, `"-"` and HAProxy's `"<BADREQ>"` carry no
 * request; a request without an HTTP version (`"GET http://host/"`) still has method and path.
 */
export function splitRequestLine(line: string, start: number, end: number, truncated: boolean): RequestParts {
  if (end <= start) return truncated ? CUT_BEFORE_REQUEST : NO_REQUEST;
  const methodEnd = wordEnd(line, start, end);
  const method = line.slice(start, methodEnd);
  if (method === '<BADREQ>' || method === '-') return truncated ? CUT_BEFORE_REQUEST : NO_REQUEST;
  const pathStart = methodEnd + 1;
  const pathEnd = pathStart < end ? wordEnd(line, pathStart, end) : pathStart;
  const path = pathEnd > pathStart ? line.slice(pathStart, pathEnd) : null;
  return { method, path, truncated };
}
