/**
 * A test-side Logs Insights emulator that runs a filled query text COMMAND BY COMMAND, for the
 * queries of every proxy log format (templates/queries/proxy-signals*.insights and the hourly
 * queries built from them). It implements only the commands those queries use, as AWS documents
 * them, and throws on any other line, so it cannot silently drift from the queries:
 * - JSON field discovery: an event whose message is a JSON object has its fields (nested ones
 *   flattened with ".") as fields, numbers as their decimal text; null is no value;
 * - `fields @timestamp, @message`;
 * - `parse <field> /regex/`: the named groups that take part in the match become fields;
 * - `filter ispresent(a) [or ispresent(b)…]`, `filter <field> like /regex/`;
 * - `stats count(*) as a[, count(<field>) as b…] by bin(<n>m|<n>h) as <alias>[, <field>…]`;
 * - `limit <n>`.
 * Two things AWS does not document are refused rather than guessed: an event reaching `stats`
 * without a value for a group key (how Logs Insights groups it is not written down, so the
 * queries must never rely on it), and a JSON event with more fields than Logs Insights
 * discovers (100: which ones it keeps is not written down either).
 */
import type { LogsInsightsApi } from '../../src/sources/cloudwatch/logs-insights.js';
import type { InsightsRow } from '../../src/sources/cloudwatch/proxy-signals-query.js';
import type { LogEvent } from './insights-emulator.js';

/** Logs Insights discovers at most this many fields of a JSON event (quota table, domain.md §6.2). */
const MAX_DISCOVERED_FIELDS = 100;

type Fields = Map<string, string>;

type Command =
  | { kind: 'parse'; field: string; regex: RegExp }
  | { kind: 'present'; fields: string[] }
  | { kind: 'like'; field: string; regex: RegExp }
  | {
      kind: 'stats';
      counts: Array<{ alias: string; field: string | null }>;
      binMs: number;
      binAlias: string;
      groupBy: string[];
    }
  | { kind: 'limit'; rows: number };

export interface InsightsPipeline {
  commands: Command[];
}

const FIELD = '[@A-Za-z_][\\w.@]*';
const PARSE = new RegExp(`^parse (${FIELD}) \\/(.+)\\/$`);
const LIKE = new RegExp(`^filter (${FIELD}) like \\/(.+)\\/$`);
const PRESENT = new RegExp(`^filter (ispresent\\(${FIELD}\\)(?: or ispresent\\(${FIELD}\\))*)$`);
const STATS = /^stats (.+) by bin\((\d+)([mh])\) as (\w+)((?:, [@A-Za-z_][\w.@]*)*)$/;
const COUNT = new RegExp(`^count\\((\\*|${FIELD})\\) as (\\w+)$`);

/** Reads the filled query text; throws on any command this emulator does not implement. */
export function compileInsightsPipeline(queryString: string): InsightsPipeline {
  const lines = queryString.split('\n');
  const refuse = (line: string, why: string): never => {
    throw new Error(`The Logs Insights pipeline emulator does not understand "${line}" (${why}):\n${queryString}`);
  };
  if (lines[0] !== 'fields @timestamp, @message')
    refuse(lines[0] ?? '', 'the first line must be "fields @timestamp, @message"');
  const commands: Command[] = [];
  for (const line of lines.slice(1)) {
    if (!line.startsWith('| ')) refuse(line, 'every command after the first starts with "| "');
    const text = line.slice(2);
    const parse = PARSE.exec(text);
    const like = LIKE.exec(text);
    const present = PRESENT.exec(text);
    const stats = STATS.exec(text);
    const limit = /^limit (\d+)$/.exec(text);
    if (parse) commands.push({ kind: 'parse', field: parse[1]!, regex: new RegExp(parse[2]!) });
    else if (like) commands.push({ kind: 'like', field: like[1]!, regex: new RegExp(like[2]!) });
    else if (present)
      commands.push({ kind: 'present', fields: [...present[1]!.matchAll(/ispresent\(([^)]+)\)/g)].map((m) => m[1]!) });
    else if (stats) {
      const counts = stats[1]!.split(', ').map((part) => {
        const count = COUNT.exec(part) ?? refuse(line, `"${part}" is not count(*) or count(<field>) with an alias`);
        return { alias: count[2]!, field: count[1] === '*' ? null : count[1]! };
      });
      const groupBy = stats[5]!.split(', ').filter((name) => name !== '');
      commands.push({
        kind: 'stats',
        counts,
        binMs: Number(stats[2]) * (stats[3] === 'h' ? 3_600_000 : 60_000),
        binAlias: stats[4]!,
        groupBy,
      });
    } else if (limit) commands.push({ kind: 'limit', rows: Number(limit[1]) });
    else refuse(line, 'not a command of the proxy queries');
  }
  const statsAt = commands.findIndex((command) => command.kind === 'stats');
  if (statsAt < 0 || commands.slice(statsAt + 1).some((command) => command.kind !== 'limit'))
    refuse(lines.at(-1) ?? '', 'one stats command, followed only by limit');
  return { commands };
}

/** The fields Logs Insights gives an event before the query runs: its own, and a JSON message's. */
export function discoveredFields(event: LogEvent): Fields {
  const fields: Fields = new Map([
    ['@timestamp', String(event.timestampMs)],
    ['@message', event.message],
  ]);
  const text = event.message.trim();
  if (!text.startsWith('{')) return fields;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fields; // not JSON: only @message
  }
  const found: Array<[string, string]> = [];
  flatten(json, '', found);
  if (found.length > MAX_DISCOVERED_FIELDS) {
    throw new Error(
      `A JSON event with ${found.length} fields: Logs Insights discovers at most ${MAX_DISCOVERED_FIELDS} and does not say which, so this emulator cannot answer for it.`,
    );
  }
  for (const [name, value] of found) fields.set(name, value);
  return fields;
}

function flatten(value: unknown, prefix: string, out: Array<[string, string]>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>))
      flatten(inner, prefix === '' ? key : `${prefix}.${key}`, out);
    return;
  }
  if (prefix !== '') out.push([prefix, String(value)]);
}

/**
 * The event's fields when it reaches `stats`, or null when a filter dropped it. For the
 * line-by-line checks: what the query read from one line.
 */
export function fieldsAtStats(pipeline: InsightsPipeline, event: LogEvent): Fields | null {
  const fields = discoveredFields(event);
  for (const command of pipeline.commands) {
    switch (command.kind) {
      case 'parse': {
        const value = fields.get(command.field);
        const groups = value === undefined ? undefined : command.regex.exec(value)?.groups;
        for (const [name, captured] of Object.entries(groups ?? {}))
          if (captured !== undefined) fields.set(name, captured);
        break;
      }
      case 'present':
        if (!command.fields.some((name) => fields.has(name))) return null;
        break;
      case 'like': {
        const value = fields.get(command.field);
        if (value === undefined || !command.regex.test(value)) return null;
        break;
      }
      case 'stats':
        return fields;
      case 'limit':
        break;
    }
  }
  return fields;
}

/** bin(period) of @timestamp as Logs Insights returns it: "2026-06-18 19:41:00.000" (UTC). */
function binText(timestampMs: number, binMs: number): string {
  return new Date(Math.floor(timestampMs / binMs) * binMs).toISOString().replace('T', ' ').replace('Z', '');
}

/** What Logs Insights answers for the query over the events in [startTime, endTime] epoch seconds (both inclusive). */
export function emulateInsightsPipeline(
  queryString: string,
  events: Iterable<LogEvent>,
  startTime: number,
  endTime: number,
): InsightsRow[] {
  const pipeline = compileInsightsPipeline(queryString);
  const stats = pipeline.commands.find((command) => command.kind === 'stats')!;
  const limit = pipeline.commands.find((command) => command.kind === 'limit');
  const groups = new Map<string, { keys: InsightsRow; counts: number[] }>();
  for (const event of events) {
    if (event.timestampMs < startTime * 1000 || event.timestampMs >= (endTime + 1) * 1000) continue;
    const fields = fieldsAtStats(pipeline, event);
    if (fields === null) continue;
    const keys: InsightsRow = { [stats.binAlias]: binText(event.timestampMs, stats.binMs) };
    for (const name of stats.groupBy) {
      const value = fields.get(name);
      if (value === undefined || value === '') {
        throw new Error(
          `An event reaches stats without a value for the group key ${name}; how Logs Insights groups it is not documented, so the query must not rely on it:\n${event.message}`,
        );
      }
      keys[name] = value;
    }
    const id = JSON.stringify(keys);
    const group = groups.get(id) ?? { keys, counts: stats.counts.map(() => 0) };
    stats.counts.forEach((count, i) => {
      if (count.field === null || (fields.get(count.field) ?? '') !== '') group.counts[i]!++;
    });
    groups.set(id, group);
  }
  const rows = [...groups.values()].map(({ keys, counts }) => ({
    ...keys,
    ...Object.fromEntries(stats.counts.map((count, i) => [count.alias, String(counts[i])])),
  }));
  return limit ? rows.slice(0, limit.rows) : rows;
}

/** A LogsInsightsApi whose queries complete at once with the emulator's rows (events per log group). */
export function pipelineLogsInsightsApi(eventsByGroup: Record<string, LogEvent[]>): LogsInsightsApi {
  const results = new Map<string, InsightsRow[]>();
  return {
    startQuery: async (input) => {
      const queryId = `q${results.size + 1}`;
      const events = input.logGroupNames.flatMap((group) => eventsByGroup[group] ?? []);
      results.set(queryId, emulateInsightsPipeline(input.queryString, events, input.startTime, input.endTime));
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
