/**
 * RFC 3339 timestamps as the JSON and ISO-stamped formats write them: Envoy's `%START_TIME%`
 * (`2016-04-15T20:17:00.310Z`), Traefik's `StartUTC` (nanoseconds), GCP's `timestamp`
 * (microseconds), Cloudflare's `rfc3339` timestamps, with `Z` or a `±hh:mm` offset.
 * A time without a zone is refused rather than read in the machine's zone.
 */

const DIGIT_0 = 48;
const DASH = 45;
const PLUS = 43;
const COLON = 58;
const T = 84;
const Z = 90;

/** Epoch ms, or NaN when `text` is not an RFC 3339 date-time with a zone. */
export function parseRfc3339Ms(text: string): number {
  if (text.length < 20 || text.length > 40) return NaN;
  if (!isDigit(text.charCodeAt(0)) || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return NaN;
  const t = text.charCodeAt(10);
  if (t !== T && t !== T + 32) return NaN;
  if (text.charCodeAt(13) !== COLON || !hasZone(text)) return NaN;
  return Date.parse(text);
}

/** True when `[yyyy-mm-ddT` opens at `start`: Envoy's `[%START_TIME%]`. */
export function isRfc3339At(line: string, start: number): boolean {
  return (
    isDigit(line.charCodeAt(start)) &&
    isDigit(line.charCodeAt(start + 3)) &&
    line.charCodeAt(start + 4) === DASH &&
    line.charCodeAt(start + 7) === DASH &&
    line.charCodeAt(start + 10) === T
  );
}

function hasZone(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  if (last === Z || last === Z + 32) return true;
  const sign = text.charCodeAt(text.length - 6);
  return (sign === PLUS || sign === DASH) && text.charCodeAt(text.length - 3) === COLON;
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_0 + 9;
}
