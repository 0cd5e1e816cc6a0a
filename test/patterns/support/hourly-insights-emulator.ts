/**
 * A test-side Logs Insights emulator for the ONE hourly query why502 sends
 * (buildHourlyProxyQuery): it reads the filled query text — its own parse regex and path filter —
 * and evaluates them over log events, grouped by bin(1h) × status as the query's `stats` says.
 * When the query's shape changes, reading it throws, so the emulator cannot drift from it.
 */
import type { InsightsRow } from '../../../src/sources/cloudwatch/proxy-signals-query.js';
import type { LogEvent } from '../../support/insights-emulator.js';

const EXPECTED_STATS = '| stats count(*) as answers by bin(1h) as hour, status';

export function emulateHourlyProxyQuery(
  queryString: string,
  events: Iterable<LogEvent>,
  startTime: number,
  endTime: number,
): InsightsRow[] {
  const lines = queryString.split('\n');
  const shape = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`The hourly emulator does not understand this query (${what}):\n${queryString}`);
  };
  shape(lines[0] === 'fields @timestamp, @message', 'line 1');
  const parse = /^\| parse @message \/(.+)\/$/.exec(lines[1] ?? '');
  shape(parse !== null, 'line 2 must be "| parse @message /…/"');
  shape(lines[2] === '| filter ispresent(status)', 'line 3');
  const pathFilter = /^\| filter path like \/(.+)\/$/.exec(lines[3] ?? '');
  shape(pathFilter !== null, 'line 4 must be "| filter path like /…/"');
  shape(lines[4] === EXPECTED_STATS, `line 5 must be "${EXPECTED_STATS}"`);
  const limit = /^\| limit (\d+)$/.exec(lines[5] ?? '');
  shape(limit !== null && lines.length === 6, 'line 6 must be "| limit N" and the last');
  const parseRegex = new RegExp(parse![1]!);
  const pathRegex = new RegExp(pathFilter![1]!);
  const groups = new Map<string, { hour: string; status: string; answers: number }>();
  for (const event of events) {
    if (event.timestampMs < startTime * 1000 || event.timestampMs >= (endTime + 1) * 1000) continue;
    const fields = parseRegex.exec(event.message)?.groups;
    if (!fields?.status || !pathRegex.test(fields.path!)) continue;
    // bin(1h) as Logs Insights returns it: "2026-06-18 19:00:00.000" (UTC).
    const hour = new Date(Math.floor(event.timestampMs / 3_600_000) * 3_600_000)
      .toISOString()
      .replace('T', ' ')
      .replace('Z', '');
    const key = `${hour}|${fields.status}`;
    const group = groups.get(key) ?? { hour, status: fields.status, answers: 0 };
    group.answers++;
    groups.set(key, group);
  }
  return [...groups.values()]
    .slice(0, Number(limit![1]))
    .map((g) => ({ hour: g.hour, status: g.status, answers: String(g.answers) }));
}
