/**
 * Reading an ALB line's target group and request in place, for the millions of lines of a
 * files-mode read: the same answers as parseLbLine's record and createIndexMatcher (tested
 * against both), without cutting strings out of every line.
 */
import type { IndexSelector } from '../../evidence/index-matcher.js';

const SPACE = 32;
const QUOTE = 34;
const DASH = 45;
const SLASH = 47;
/** Past this many distinct target groups, new ones are cut out of their line each time (a hostile file cannot grow the table). */
const MAX_INTERNED = 4096;

/**
 * One string per distinct target group ARN: the tally's per-tenant map is then looked up with
 * the same string every time (its hash computed once), not a fresh slice per line.
 */
export class ArnInterner {
  private readonly byKey = new Map<number, string[]>();
  private size = 0;

  /** text[start, end) as a string equal to it, the same one every time. */
  intern(text: string, start: number, end: number): string {
    // A target group's ARN differs from its neighbours' in its name and id, at the end.
    let key = end - start;
    for (let i = Math.max(start, end - 8); i < end; i++) key = (Math.imul(key, 31) + text.charCodeAt(i)) | 0;
    const bucket = this.byKey.get(key);
    if (bucket) {
      // One candidate (nearly always): a native compare. Two ARNs that share a key: a bounded one.
      if (bucket.length === 1 && startsAt(text, start, end, bucket[0]!)) return bucket[0]!;
      if (bucket.length > 1)
        for (const candidate of bucket) if (equalsSpan(candidate, text, start, end)) return candidate;
    }
    // A copy, not a slice: a slice would keep the whole decoded chunk alive.
    const fresh = [...text.slice(start, end)].join('');
    if (this.size < MAX_INTERNED) {
      this.size++;
      if (bucket) bucket.push(fresh);
      else this.byKey.set(key, [fresh]);
    }
    return fresh;
  }
}

/**
 * text[start, end) equals `candidate`, compared natively: indexOf is about twice as fast as a JS
 * loop or a slice looked up in a map. When it is not there, indexOf runs on through the rest of
 * the text: the caller uses this once per new ARN that shares a key, then equalsSpan.
 */
function startsAt(text: string, start: number, end: number, candidate: string): boolean {
  return candidate.length === end - start && text.indexOf(candidate, start) === start;
}

/** text[start, end) equals `candidate`, compared within the span. */
function equalsSpan(candidate: string, text: string, start: number, end: number): boolean {
  if (candidate.length !== end - start) return false;
  for (let i = candidate.length - 1; i >= 0; i--)
    if (candidate.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * Whether an ALB line belongs to the index (CONTRACT §5, as createIndexMatcher decides it): by its
 * target group when one is configured, else by its request URL (`match` as a substring, or a path
 * segment equal to the index name). The ARN and request are spans of `text`; the ARN is null for "-".
 */
export function createAlbSpanMatcher(
  selector: IndexSelector,
): (text: string, arn: string | null, requestStart: number, requestEnd: number) => boolean {
  const { targetGroup, match } = selector;
  if (targetGroup) {
    const byArn = new Map<string, boolean>();
    return (_text, arn) => {
      if (arn === null) return false;
      const known = byArn.get(arn);
      if (known !== undefined) return known;
      const belongs = arn.endsWith(targetGroup);
      if (byArn.size < MAX_INTERNED) byArn.set(arn, belongs);
      return belongs;
    };
  }
  const url = { start: 0, end: 0 };
  if (match)
    return (text, _arn, requestStart, requestEnd) =>
      urlSpan(text, requestStart, requestEnd, url) && containsAt(text, url.start, url.end, match);
  const needle = `/${selector.index}`;
  return (text, _arn, requestStart, requestEnd) =>
    urlSpan(text, requestStart, requestEnd, url) && hasPathSegment(text, url.start, url.end, needle);
}

// The searches below stay inside the span: indexOf on the whole decoded chunk would run on
// through every later line when the span does not hold what it looks for.

/** text[start, end) contains `part`. */
function containsAt(text: string, start: number, end: number, part: string): boolean {
  const first = part.charCodeAt(0);
  for (let at = start; at + part.length <= end; at++) {
    if (text.charCodeAt(at) === first && matchesAt(text, at, part)) return true;
  }
  return part.length === 0;
}

/** text holds `part` at `at` (its first character already checked). */
function matchesAt(text: string, at: number, part: string): boolean {
  for (let i = 1; i < part.length; i++) if (text.charCodeAt(at + i) !== part.charCodeAt(i)) return false;
  return true;
}

/**
 * Where the URL of the request field text[start, end) lies, as parseLbLine's AlbRecord.url has
 * it: between the method and the last space. False when the record's url is null ("-", empty,
 * or no method).
 */
export function urlSpan(text: string, start: number, end: number, out: { start: number; end: number }): boolean {
  let from = start;
  let to = end;
  if (to - from >= 2 && text.charCodeAt(from) === QUOTE) {
    from++;
    to--;
  }
  let methodEnd = text.indexOf(' ', from);
  if (methodEnd === -1 || methodEnd >= to) methodEnd = -1;
  if (methodEnd <= from || (methodEnd === from + 1 && text.charCodeAt(from) === DASH)) return false;
  let urlEnd = to;
  while (urlEnd > methodEnd + 1 && text.charCodeAt(urlEnd - 1) === SPACE) urlEnd--;
  const versionStart = text.lastIndexOf(' ', urlEnd - 1);
  if (versionStart > methodEnd) urlEnd = versionStart;
  const urlStart = methodEnd + 1;
  if (urlEnd <= urlStart || (urlEnd === urlStart + 1 && text.charCodeAt(urlStart) === DASH)) return false;
  out.start = urlStart;
  out.end = urlEnd;
  return true;
}

/**
 * matchPathSegment (index-matcher.ts) on the URL text[start, end): the needle ("/<index>") occurs
 * before the query string, followed by "/" or by the end of the path.
 */
function hasPathSegment(text: string, start: number, end: number, needle: string): boolean {
  let pathEnd = -1; // found on the first candidate: most URLs hold none
  // The needle starts with "/", and a URL holds a few: the next one is never far, even past the URL's end.
  for (let at = text.indexOf('/', start); at !== -1 && at < end; at = text.indexOf('/', at + 1)) {
    if (!matchesAt(text, at, needle)) continue;
    const after = at + needle.length;
    if (after > end) return false; // past the URL: so is every later candidate
    if (pathEnd === -1) pathEnd = queryStart(text, start, end);
    if (at >= pathEnd) return false;
    if (after === pathEnd || (after < end && text.charCodeAt(after) === SLASH)) return true;
  }
  return false;
}

/** Where the query string of the URL text[start, end) starts, or its end. */
function queryStart(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 63 /* ? */) return i;
  return end;
}
