/**
 * The Logs Insights query of templates/queries/proxy-signals.insights: filled only with
 * validated, escaped values, and its result rows read back into a ProxyTally — the same
 * tally files mode fills line by line, so both modes count the same things the same way.
 */
import path from 'node:path';
import { ConfigError, UsageError } from '../../errors.js';
import type { IndexSelector } from '../../evidence/index-matcher.js';
import type { ProxyTally } from '../../evidence/proxy-tally.js';
import { fillQueryTemplate, loadQueryTemplate, QUERY_TEMPLATES_DIR } from './insights-template.js';

const TEMPLATE_FILE = 'proxy-signals.insights';
export const PROXY_SIGNALS_TEMPLATE_PATH = path.join(QUERY_TEMPLATES_DIR, TEMPLATE_FILE);

const INDEX_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_MATCH_LENGTH = 256;

/** The query template as stored (comments included). Read once per process. */
export function loadProxySignalsTemplate(): string {
  return loadQueryTemplate(TEMPLATE_FILE);
}

export interface ProxySignalsQueryInput {
  selector: IndexSelector;
  slowRequestSeconds: number;
}

/**
 * The query text to send: placeholders filled, comment and blank lines dropped. Throws
 * UsageError for an index name outside ^[A-Za-z0-9_.-]{1,128}$ and ConfigError for a
 * `match` or threshold that cannot be put in a query safely: nothing unvalidated reaches it.
 */
export function buildProxySignalsQuery(input: ProxySignalsQueryInput, template = loadProxySignalsTemplate()): string {
  return fillQueryTemplate(template, {
    indexFilter: indexPathRegex(input.selector),
    slowTrPattern: integerAtLeastPattern(slowThresholdMs(input.slowRequestSeconds)),
  });
}

/**
 * The body of the path regex that selects the index's requests (CONTRACT §5): the `match`
 * substring anywhere in the path, else a path segment equal to the index name before any
 * query string — the same decision as src/evidence/index-matcher.ts.
 */
export function indexPathRegex(selector: IndexSelector): string {
  if (!INDEX_NAME.test(selector.index)) {
    throw new UsageError(
      `"${selector.index.slice(0, 40)}" is not an index name.`,
      'Index names are letters, digits, "_", "." and "-" (at most 128), e.g. prod_000_audio.',
    );
  }
  if (selector.match !== undefined) return escapeInsightsRegex(validatedMatch(selector.index, selector.match));
  return `^[^?]*\\/${escapeInsightsRegex(selector.index)}(?:[\\/?]|$)`;
}

function validatedMatch(index: string, match: string): string {
  if (match.length === 0 || match.length > MAX_MATCH_LENGTH) {
    throw new ConfigError(`indexes.${index}.match must be 1 to ${MAX_MATCH_LENGTH} characters.`);
  }
  if (!/^[\x20-\x7e]*$/.test(match)) {
    throw new ConfigError(
      `indexes.${index}.match must be printable ASCII to be used in a Logs Insights query.`,
      'Request paths in HAProxy logs are percent-encoded: write the match as it appears in the log.',
    );
  }
  return match;
}

/**
 * Escapes text for the inside of a Logs Insights `/regex/` literal so that it matches itself
 * and nothing else: letters, digits, "_" and "-" stay, "/" becomes "\/" (the literal's
 * delimiter), every other printable ASCII character becomes "\xHH" (understood by Java, RE2
 * and JavaScript regexes alike), so quotes, backslashes, pipes and brackets cannot end the
 * literal or the command. Anything else is refused.
 */
export function escapeInsightsRegex(text: string): string {
  let escaped = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (/[A-Za-z0-9_-]/.test(char)) escaped += char;
    else if (char === '/') escaped += '\\/';
    else if (code >= 0x20 && code <= 0x7e) escaped += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else
      throw new ConfigError(
        `Cannot put the character U+${code.toString(16).toUpperCase().padStart(4, '0')} in a Logs Insights query.`,
      );
  }
  return escaped;
}

/**
 * Whole milliseconds at or above which a server response time is slow. Tr is logged in
 * whole ms, so `Tr >= ceil(s × 1000)` decides exactly as files mode's `Tr >= s × 1000`.
 */
export function slowThresholdMs(slowRequestSeconds: number): number {
  if (!Number.isFinite(slowRequestSeconds) || slowRequestSeconds <= 0 || slowRequestSeconds > 3600) {
    throw new ConfigError(
      `slowRequestSeconds must be a number of seconds above 0 and at most 3600, got ${slowRequestSeconds}.`,
    );
  }
  return Math.ceil(slowRequestSeconds * 1000);
}

/**
 * A regex body matching exactly the decimal integers n ≥ `minimum` written without leading
 * zeros, as HAProxy writes its timers ("-1" and negatives never match): so "Tr is slow" is
 * decided on the parsed text, with no string-to-number conversion in the query. For 2000:
 * (?:[1-9]\d{4,}|[3-9]\d{3}|2[1-9]\d{2}|20[1-9]\d|200[1-9]|2000).
 */
export function integerAtLeastPattern(minimum: number): string {
  if (!Number.isInteger(minimum) || minimum < 1)
    throw new ConfigError(`The slow threshold must be a whole number of milliseconds of at least 1, got ${minimum}.`);
  const digits = String(minimum);
  const width = digits.length;
  const alternatives = [`[1-9]\\d{${width},}`];
  for (let i = 0; i < width; i++) {
    const digit = Number(digits[i]);
    const lowest = digit + 1;
    if (lowest > 9) continue;
    const rest = width - i - 1;
    alternatives.push(`${digits.slice(0, i)}[${lowest}-9]${rest > 0 ? (rest === 1 ? '\\d' : `\\d{${rest}}`) : ''}`);
  }
  alternatives.push(digits);
  return `(?:${alternatives.join('|')})`;
}

/** One result row, field → value (Logs Insights returns every value as a string). */
export type InsightsRow = Record<string, string>;

export interface RowsAdded {
  rows: number;
  /** Rows that could not be read (no minute, a count that is not a number). */
  unreadable: number;
  /** Rows whose slow count was missing or not a number: their answers count, their slowness is unknown. */
  slowUnreadable: number;
}

/**
 * Adds the query's rows to the tally: `requests` answers with that status and termination
 * in that minute, of which slow = all of them when the termination state starts with "s"
 * (server-side timeout), else `slow_answers` — together exactly `isSlowProxyAnswer`.
 */
export function addProxySignalRows(tally: ProxyTally, rows: readonly InsightsRow[]): RowsAdded {
  let unreadable = 0;
  let slowUnreadable = 0;
  for (const row of rows) {
    const minuteMs = parseInsightsMinute(row.minute ?? row['bin(1m)']);
    const requests = readInsightsCount(row.requests);
    const status = row.status;
    if (Number.isNaN(minuteMs) || requests === null || status === undefined) {
      unreadable++;
      continue;
    }
    const termination = row.tsc ?? null;
    const byTimer = readInsightsCount(row.slow_answers);
    // A missing count is unknown, never 0: the row's answers still count, its slowness is flagged.
    const slowByState = termination?.startsWith('s') ?? false;
    if (byTimer === null && !slowByState) slowUnreadable++;
    const slow = slowByState ? requests : (byTimer ?? 0);
    tally.add(tally.minuteOf(minuteMs), status, termination, requests, slow);
  }
  return { rows: rows.length, unreadable, slowUnreadable };
}

/** A count as Logs Insights returns it: a string of digits. Anything else (absent, null, "NaN") is null. */
export function readInsightsCount(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

/** "2026-06-18 19:41:00.000" (how bin() comes back, UTC) or ISO 8601 → epoch ms; NaN otherwise. */
export function parseInsightsMinute(value: string | undefined): number {
  if (value === undefined) return NaN;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]00:?00)?$/.exec(value.trim());
  if (!match) return NaN;
  const [, year, month, day, hour, minute, second] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second ?? 0));
}
