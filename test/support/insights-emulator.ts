/**
 * A test-side Logs Insights emulator for the ONE query why502 sends
 * (templates/queries/proxy-signals.insights). It does not reimplement the query: it reads the
 * filled query text and evaluates the query's OWN parse regexes and path filter
 * over log events, grouped by bin(1m) × status × tsc as the query's `stats` says. When the
 * query's shape changes, reading it throws, so the emulator cannot silently drift from the
 * query it stands in for.
 */
import type { LogsInsightsApi } from '../../src/sources/cloudwatch/logs-insights.js';
import type { InsightsRow } from '../../src/sources/cloudwatch/proxy-signals-query.js';

/** One log event as CloudWatch Logs stores it. */
export interface LogEvent {
  /** @timestamp, epoch ms: when the shipper saw the line. */
  timestampMs: number;
  message: string;
}

export interface QuerySemantics {
  parse: RegExp;
  pathFilter: RegExp;
  /** The second parse: its `slow_tr` group is present exactly on slow answers. */
  slowParse: RegExp;
  /** The query's `| limit N`: Logs Insights never returns more rows than this. */
  limit: number;
}

const EXPECTED_STATS = '| stats count(*) as requests, count(slow_tr) as slow_answers by bin(1m) as minute, status, tsc';

/**
 * Reads the filled query text: its parse regex and path filter become JS RegExps, the slow
 * threshold comes from its formula. Throws when the query's shape is not what this emulator
 * implements.
 */
export function readQuerySemantics(queryString: string): QuerySemantics {
  const lines = queryString.split('\n');
  const shape = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`The Logs Insights emulator does not understand this query (${what}):\n${queryString}`);
  };
  shape(lines[0] === 'fields @timestamp, @message', 'line 1 must be "fields @timestamp, @message"');
  const parse = /^\| parse @message \/(.+)\/$/.exec(lines[1] ?? '');
  shape(parse !== null, 'line 2 must be "| parse @message /…/"');
  shape(lines[2] === '| filter ispresent(status)', 'line 3 must be "| filter ispresent(status)"');
  const pathFilter = /^\| filter path like \/(.+)\/$/.exec(lines[3] ?? '');
  shape(pathFilter !== null, 'line 4 must be "| filter path like /…/"');
  const slow = /^\| parse @message \/(.+\(\?<slow_tr>.+)\/$/.exec(lines[4] ?? '');
  shape(slow !== null, 'line 5 must be the second parse, with a slow_tr group');
  shape(lines[5] === EXPECTED_STATS, `line 6 must be "${EXPECTED_STATS}"`);
  const limit = /^\| limit (\d+)$/.exec(lines[6] ?? '');
  shape(limit !== null && lines.length === 7, 'line 7 must be "| limit N" and the last line');
  return {
    parse: new RegExp(parse![1]!),
    pathFilter: new RegExp(pathFilter![1]!),
    slowParse: new RegExp(slow![1]!),
    limit: Number(limit![1]),
  };
}

/** bin(1m) of @timestamp as Logs Insights returns it: "2026-06-18 19:41:00.000" (UTC). */
export function binMinute(timestampMs: number): string {
  return new Date(Math.floor(timestampMs / 60_000) * 60_000).toISOString().replace('T', ' ').replace('Z', '');
}

/** What Logs Insights answers for the query over the events in [startTime, endTime] epoch seconds (both inclusive). */
export function emulateInsightsQuery(
  queryString: string,
  events: Iterable<LogEvent>,
  startTime: number,
  endTime: number,
): InsightsRow[] {
  const semantics = readQuerySemantics(queryString);
  const groups = new Map<string, { minute: string; status: string; tsc: string; requests: number; slow: number }>();
  for (const event of events) {
    if (event.timestampMs < startTime * 1000 || event.timestampMs >= (endTime + 1) * 1000) continue;
    const fields = semantics.parse.exec(event.message)?.groups;
    if (!fields?.status) continue; // filter ispresent(status)
    if (!semantics.pathFilter.test(fields.path!)) continue;
    // count(slow_tr) counts the events on which the second parse created the field.
    const slowByTimer = semantics.slowParse.exec(event.message)?.groups?.slow_tr !== undefined ? 1 : 0;
    const minute = binMinute(event.timestampMs);
    const key = [minute, fields.status, fields.tsc].join('|');
    const group = groups.get(key) ?? { minute, status: fields.status, tsc: fields.tsc!, requests: 0, slow: 0 };
    group.requests++;
    group.slow += slowByTimer;
    groups.set(key, group);
  }
  return [...groups.values()].slice(0, semantics.limit).map((g) => ({
    minute: g.minute,
    status: g.status,
    tsc: g.tsc,
    requests: String(g.requests),
    slow_answers: String(g.slow),
  }));
}

/** A LogsInsightsApi whose queries complete at once with the emulator's rows. */
export function emulatedLogsInsightsApi(eventsByGroup: Record<string, LogEvent[]>): LogsInsightsApi {
  const results = new Map<string, InsightsRow[]>();
  return {
    startQuery: async (input) => {
      const queryId = `q${results.size + 1}`;
      const events = input.logGroupNames.flatMap((group) => eventsByGroup[group] ?? []);
      results.set(queryId, emulateInsightsQuery(input.queryString, events, input.startTime, input.endTime));
      return { queryId };
    },
    getQueryResults: async ({ queryId }) => ({
      status: 'Complete',
      results: results.get(queryId)!.map((row) => Object.entries(row).map(([field, value]) => ({ field, value }))),
      statistics: { bytesScanned: 1, recordsScanned: 1, recordsMatched: 1 },
    }),
    stopQuery: async () => ({ success: true }),
  };
}
