/**
 * The Logs Insights query of templates/queries/proxy-signals-envoy.insights: filled only with
 * validated values, and its rows read back into a ProxyTally with the functions files mode uses
 * on each line (envoyAnswerFacts → terminationKey), so both modes key, count and time the same
 * answers the same way.
 */
import { type ProxyTally, terminationKey } from '../../evidence/proxy-tally.js';
import { envoyAnswerFacts } from '../../parsers/envoy-response-flags.js';
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

export const ENVOY_TEMPLATE_FILE = 'proxy-signals-envoy.insights';

/**
 * The query text to send. Throws UsageError for an index name outside ^[A-Za-z0-9_.-]{1,128}$
 * and ConfigError for a `match` or threshold that cannot be put in a query safely.
 */
export function buildEnvoySignalsQuery(
  input: ProxySignalsQueryInput,
  template = loadQueryTemplate(ENVOY_TEMPLATE_FILE),
): string {
  return fillQueryTemplate(template, {
    indexFilter: indexPathRegex(input.selector),
    slowMsPattern: integerAtLeastPattern(slowThresholdMs(input.slowRequestSeconds)),
  });
}

/** Envoy's "no host" ('-"') and an empty host ('"'): the host classes that name none (dashToNull). */
const NO_HOST_CLASSES = new Set(['-"', '"']);

/**
 * Adds the query's rows to the tally. The key is the flags verbatim; for a line without flags,
 * who answered as envoyAnswerFacts decides it: the `via_upstream_answers` of the row with
 * Istio's via_upstream, the rest without. Slow = `slow_answers`, or all of the row when its
 * flags start with "s" (isSlowProxyAnswer's rule for a proxy's own code; Envoy's are capitals).
 */
export function addEnvoySignalRows(tally: ProxyTally, rows: readonly InsightsRow[]): RowsAdded {
  let unreadable = 0;
  let slowUnreadable = 0;
  for (const row of rows) {
    const minuteMs = parseInsightsMinute(row.minute ?? row['bin(1m)']);
    const requests = readInsightsCount(row.requests);
    const via = readInsightsCount(row.via_upstream_answers) ?? 0;
    const status = row.status;
    const flagsText = row.flags;
    const hostClass = row.upstream_host_class;
    if (
      Number.isNaN(minuteMs) ||
      requests === null ||
      status === undefined ||
      flagsText === undefined ||
      hostClass === undefined ||
      via > requests
    ) {
      unreadable++;
      continue;
    }
    const flags = flagsText === '-' ? null : flagsText;
    const upstreamHost = NO_HOST_CLASSES.has(hostClass) ? null : hostClass;
    const byTimer = readInsightsCount(row.slow_answers);
    const slowByState = flags?.startsWith('s') ?? false;
    if (byTimer === null && !slowByState) slowUnreadable++;
    const slow = slowByState ? requests : (byTimer ?? 0);
    const minute = tally.minuteOf(minuteMs);
    const keyOf = (details: string | null) =>
      terminationKey({ termination: flags, ...envoyAnswerFacts(status, flags, details, upstreamHost) });
    const withoutVia = requests - via;
    // The row's slow answers are counted once, with whichever part comes first.
    if (via > 0) tally.add(minute, status, keyOf('via_upstream'), via, slow);
    if (withoutVia > 0) tally.add(minute, status, keyOf(null), withoutVia, via > 0 ? 0 : slow);
  }
  return { rows: rows.length, unreadable, slowUnreadable };
}
