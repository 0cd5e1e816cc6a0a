import type { MinuteRange, TimeWindow } from '../core/types.js';
import { poissonLowerTail } from '../verdict/poisson.js';
import { median } from '../verdict/series-stats.js';
import { MINUTE_MS } from './minute-buckets.js';

/**
 * Holes from the ALB's own file names: every load-balancer node writes one file per 5 minutes,
 * so a node that logs every interval and then has no file for 25 minutes names its own hole.
 * A node can also leave for good (the load balancer scaled in): then the other nodes take its
 * traffic and the interval's total does not drop. So an interval is a hole only when a node
 * seen in the window is missing from it AND the interval's entries fall short of the usual
 * total by about that node's share.
 */
export interface NodeFile {
  node: string;
  intervalEndMs: number;
  /** Entries read from the file (any time; ALB files hold their interval's entries). */
  entries: number;
}

export interface MissingNodeFiles {
  range: MinuteRange;
  nodes: string[];
}

const INTERVAL_MS = 5 * 60_000;
/** The interval's shortfall must be this unlikely by chance. */
const SHORTFALL_P = 1e-4;

export function detectMissingNodeFiles(files: readonly NodeFile[], window: TimeWindow): MissingNodeFiles[] {
  if (files.length === 0) return [];
  const startMs = window.start.getTime();
  const endMs = window.end.getTime();
  const intervals = new Map<number, Map<string, number>>();
  for (const file of files) {
    const nodes = intervals.get(file.intervalEndMs) ?? new Map<string, number>();
    nodes.set(file.node, (nodes.get(file.node) ?? 0) + file.entries);
    intervals.set(file.intervalEndMs, nodes);
  }
  const typicalByNode = typicalEntriesByNode(files);
  const totals = [...intervals.values()].map((nodes) => sum([...nodes.values()]));
  const usualTotal = median(totals);
  const missing: MissingNodeFiles[] = [];
  for (let end = firstIntervalEnd(startMs); end - INTERVAL_MS < endMs; end += INTERVAL_MS) {
    const present = intervals.get(end) ?? new Map<string, number>();
    const absent = [...typicalByNode.keys()].filter((node) => !present.has(node));
    if (absent.length === 0) continue;
    const total = sum([...present.values()]);
    const absentShare = sum(absent.map((node) => typicalByNode.get(node)!));
    const fallsShort = total < usualTotal - 0.5 * absentShare && poissonLowerTail(total, usualTotal) < SHORTFALL_P;
    if (!fallsShort) continue;
    const first = Math.max(0, Math.floor((end - INTERVAL_MS - startMs) / MINUTE_MS));
    const last = Math.min(Math.round((endMs - startMs) / MINUTE_MS) - 1, Math.floor((end - startMs) / MINUTE_MS) - 1);
    if (last >= first) appendRange(missing, [first, last], absent);
  }
  return missing;
}

function firstIntervalEnd(windowStartMs: number): number {
  return Math.floor(windowStartMs / INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS;
}

function typicalEntriesByNode(files: readonly NodeFile[]): Map<string, number> {
  const byNode = new Map<string, number[]>();
  for (const file of files) byNode.set(file.node, [...(byNode.get(file.node) ?? []), file.entries]);
  return new Map([...byNode].map(([node, entries]) => [node, median(entries)]));
}

/** Joins adjacent intervals missing the same nodes into one stretch. */
function appendRange(missing: MissingNodeFiles[], range: MinuteRange, nodes: string[]): void {
  const previous = missing[missing.length - 1];
  if (previous && previous.range[1] + 1 >= range[0] && previous.nodes.join() === nodes.join())
    previous.range[1] = range[1];
  else missing.push({ range, nodes });
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
