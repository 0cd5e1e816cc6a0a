/**
 * The Logs Insights query of templates/queries/proxy-signals-traefik-json.insights: filled only
 * with validated values, and its rows read back into a ProxyTally with the functions files mode
 * uses on each entry (traefikAnswerFacts → terminationKey), so both modes key, count and time
 * the same answers the same way.
 */
import { type ProxyTally, terminationKey } from '../../evidence/proxy-tally.js';
import { traefikAnswerFacts } from '../../parsers/traefik-answered-by.js';
import { fillQueryTemplate, loadQueryTemplate } from './insights-template.js';
import {
  type InsightsRow,
  indexPathRegex,
  integerAtLeastPattern,
  type ProxySignalsQueryInput,
  parseInsightsMinute,
  type RowsAdded,
  readInsightsCount,
  slowThresholdMs,
} from './proxy-signals-query.js';

export const TRAEFIK_JSON_TEMPLATE_FILE = 'proxy-signals-traefik-json.insights';

/**
 * The body sizes of Traefik's own error answers: its proxy error handler writes
 * http.StatusText(code), "Bad Gateway" (11 bytes), "Gateway Timeout" (15), "Internal Server
 * Error" (21). traefikAnswerFacts tells Traefik's answer from the server's by exactly these; a
 * test checks that no other size changes its answer, so the query's marker cannot drift from it.
 */
export const TRAEFIK_OWN_ERROR_BODY_BYTES = [11, 15, 21] as const;

const NS_PER_MS = 1_000_000;

/**
 * The smallest OriginDuration (ns) files mode reads as slow: it rounds to whole ms
 * (Math.round(ns / 1e6) >= slowMs), and a half rounds up, so ns >= slowMs × 1e6 − 500,000.
 */
export function slowOriginNsMinimum(slowRequestSeconds: number): number {
  return slowThresholdMs(slowRequestSeconds) * NS_PER_MS - NS_PER_MS / 2;
}

/**
 * The query text to send. Throws UsageError for an index name outside ^[A-Za-z0-9_.-]{1,128}$
 * and ConfigError for a `match` or threshold that cannot be put in a query safely.
 */
export function buildTraefikJsonSignalsQuery(
  input: ProxySignalsQueryInput,
  template = loadQueryTemplate(TRAEFIK_JSON_TEMPLATE_FILE),
): string {
  return fillQueryTemplate(template, {
    indexFilter: indexPathRegex(input.selector),
    ownErrorBodyBytes: TRAEFIK_OWN_ERROR_BODY_BYTES.join('|'),
    slowOriginNsPattern: integerAtLeastPattern(slowOriginNsMinimum(input.slowRequestSeconds)),
  });
}

/** What a body-size class says: one of Traefik's own error sizes, another size, or no such field. */
type BodyClass = { kind: 'own'; bytes: number } | { kind: 'other' } | { kind: 'absent' };

const OWN_BODY = /ContentSize": *"?(\d+)"?\s*[,}]$/;
const KEY_ONLY = /^"\w+": *$/;
const ABSENT = /^\}\s*$/;

function bodyClassOf(value: string | undefined): BodyClass | null {
  if (value === undefined) return null;
  const own = OWN_BODY.exec(value);
  if (own) return { kind: 'own', bytes: Number(own[1]) };
  if (KEY_ONLY.test(value)) return { kind: 'other' };
  return ABSENT.test(value) ? { kind: 'absent' } : null;
}

/**
 * Whether a server handler ran, as traefikJsonRecord decides it: OriginStatus when logged (0 =
 * no), else whether a server is named. Null when a class is missing or unknown.
 */
function proxiedOf(row: InsightsRow): boolean | null {
  const origin = row.origin_status_class;
  const server = row.server_class;
  if (origin === undefined || server === undefined) return null;
  if (origin.startsWith('"OriginStatus"')) return !/: *"?0"?\s*[,}]$/.test(origin);
  if (!ABSENT.test(origin)) return null;
  if (server.startsWith('"Service')) return true;
  return ABSENT.test(server) ? false : null;
}

/** A status as statusField reads it: a whole number ≥ 0, as its decimal text; null otherwise. */
function statusOf(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? String(number) : null;
}

/**
 * Adds the query's rows to the tally: `requests` answers with that status, keyed by who
 * answered as files mode keys each entry; slow = `slow_answers` for proxied requests (0 for
 * the others, which have no server time in files mode either).
 */
export function addTraefikJsonSignalRows(tally: ProxyTally, rows: readonly InsightsRow[]): RowsAdded {
  let unreadable = 0;
  let slowUnreadable = 0;
  for (const row of rows) {
    const minuteMs = parseInsightsMinute(row.minute ?? row['bin(1m)']);
    const requests = readInsightsCount(row.requests);
    const status = statusOf(row.DownstreamStatus);
    const proxied = proxiedOf(row);
    const originBody = bodyClassOf(row.origin_body_class);
    const downstreamBody = bodyClassOf(row.downstream_body_class);
    if (
      Number.isNaN(minuteMs) ||
      requests === null ||
      status === null ||
      proxied === null ||
      originBody === null ||
      downstreamBody === null
    ) {
      unreadable++;
      continue;
    }
    // OriginContentSize decides, DownstreamContentSize only without it (traefikJsonRecord). A
    // size that is none of Traefik's own decides like no size: only equality with those matters.
    const body = originBody.kind === 'absent' ? downstreamBody : originBody;
    const facts = traefikAnswerFacts(status, proxied, body.kind === 'own' ? body.bytes : null);
    const byTimer = readInsightsCount(row.slow_answers);
    if (byTimer === null && proxied) slowUnreadable++;
    const slow = proxied ? (byTimer ?? 0) : 0;
    tally.add(tally.minuteOf(minuteMs), status, terminationKey({ termination: null, ...facts }), requests, slow);
  }
  return { rows: rows.length, unreadable, slowUnreadable };
}
