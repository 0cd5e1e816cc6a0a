/**
 * Each proxy log format's Logs Insights query and row reader (the formats themselves are listed
 * once, in proxy-log-formats.ts). The mapped type makes a format without a query or a reader a
 * compile error.
 */
import type { IndexSelector } from '../../evidence/index-matcher.js';
import type { ProxyTally } from '../../evidence/proxy-tally.js';
import { addEnvoySignalRows, buildEnvoySignalsQuery } from './envoy-signals-query.js';
import type { ProxyLogFormat } from './proxy-log-formats.js';
import {
  addProxySignalRows,
  buildProxySignalsQuery,
  type InsightsRow,
  type ProxySignalsQueryInput,
  type RowsAdded,
} from './proxy-signals-query.js';
import { addTraefikJsonSignalRows, buildTraefikJsonSignalsQuery } from './traefik-json-signals-query.js';

export interface ProxyFormatQuery {
  /** The per-minute query for one index; throws UsageError/ConfigError for input that must not reach it. */
  build(input: ProxySignalsQueryInput): string;
  /** Adds the per-minute query's rows to the tally, as files mode adds the lines. */
  addRows(tally: ProxyTally, rows: readonly InsightsRow[]): RowsAdded;
  /** The field of the query's rows that holds the status the client received (the hourly query groups by it). */
  statusField: string;
}

export const PROXY_FORMAT_QUERIES: { readonly [F in ProxyLogFormat]: ProxyFormatQuery } = {
  haproxy: { build: buildProxySignalsQuery, addRows: addProxySignalRows, statusField: 'status' },
  'traefik-json': {
    build: buildTraefikJsonSignalsQuery,
    addRows: addTraefikJsonSignalRows,
    statusField: 'DownstreamStatus',
  },
  envoy: { build: buildEnvoySignalsQuery, addRows: addEnvoySignalRows, statusField: 'status' },
};

/**
 * The hourly query of a format (patterns over days): the per-minute query's lines up to its
 * index filter — the same events — then hourly stats by status. For HAProxy that is the
 * fields, parse, status and path lines of proxy-signals.insights.
 */
export function buildHourlyQueryFor(format: ProxyLogFormat, selector: IndexSelector): string {
  // The slow threshold only shapes lines after the index filter, which are not kept.
  const lines = PROXY_FORMAT_QUERIES[format].build({ selector, slowRequestSeconds: 2 }).split('\n');
  const indexFilter = lines.findIndex((line) => line.startsWith('| filter ') && line.includes(' like /'));
  if (indexFilter < 0) throw new Error(`the ${format} query no longer has the index filter the hourly query reuses`);
  return [
    ...lines.slice(0, indexFilter + 1),
    `| stats count(*) as answers by bin(1h) as hour, ${PROXY_FORMAT_QUERIES[format].statusField}`,
    '| limit 10000',
  ].join('\n');
}
