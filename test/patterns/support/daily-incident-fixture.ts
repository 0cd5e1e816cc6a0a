/**
 * The generated 14-day incident of the pattern tests (src/simulate/daily-incident.ts): the
 * index's targets go down at 19:38–19:45 UTC (05:38 AEST) on 12 of 14 days. The same lines
 * feed every view — CloudWatch answers derived from them (cloudwatch-from-logs.ts), Logs
 * Insights rows, Athena over DuckDB — and `countByHand` counts them line by line, so each
 * provider's hourly series is checked against the lines themselves.
 */

import type { InvestigationCommand } from '../../../src/core/types.js';
import { parseInvestigation } from '../../../src/grammar/parse-command.js';
import { parseLbLine } from '../../../src/parsers/alb-line.js';
import { DAILY_INCIDENT_INDEX, dailyIncidentSpec } from '../../../src/simulate/daily-incident.js';
import { type SimulatedLogs, simulateIncident } from '../../../src/simulate/simulate-incident.js';

export const DAILY_START = new Date('2026-06-05T00:00:00Z');
export const DAILY_SPEC = dailyIncidentSpec({ start: DAILY_START });
export const DAILY_INDEX = DAILY_INCIDENT_INDEX;
export const DAILY_TARGET_GROUP = DAILY_SPEC.tenants.find((t) => t.index === DAILY_INDEX)!.targetGroup;
/** An hour after the last simulated minute. */
export const DAILY_NOW = new Date('2026-06-19T01:00:00Z');
/** The 12 UTC days with a burst (days 4 and 9 are quiet). */
export const BURST_DAYS = [
  '2026-06-05',
  '2026-06-06',
  '2026-06-07',
  '2026-06-08',
  '2026-06-10',
  '2026-06-11',
  '2026-06-12',
  '2026-06-13',
  '2026-06-15',
  '2026-06-16',
  '2026-06-17',
  '2026-06-18',
];

let logs: SimulatedLogs | null = null;

/** The simulated lines, made once per test file. */
export function dailyLogs(): SimulatedLogs {
  logs ??= simulateIncident(DAILY_SPEC);
  return logs;
}

/**
 * "prod_000_audio 2026-06-18T22:30Z --window 14d" at DAILY_NOW: the judged 3h window ends at
 * 19 Jun 00:00 UTC, so the pattern window (the 14 days up to it) is exactly the simulated days.
 */
export function dailyCommand(asked = ['2026-06-18T22:30:00Z'], window = '14d'): InvestigationCommand {
  return parseInvestigation({ positionals: [DAILY_INDEX, ...asked], window }, { now: DAILY_NOW });
}

export type HandCount = 'elb_502_index' | 'elb_502' | 'elb_503' | 'target_5xx' | 'lb_lines';

/** Per hour from `start`, counted line by line from the ALB lines (LB-minted = target status "-"). */
export function countByHand(what: HandCount, start: Date, hours: number): number[] {
  const counts = new Array<number>(hours).fill(0);
  for (const { line } of dailyLogs().alb) {
    const entry = parseLbLine(line);
    if (entry.kind !== 'alb') throw new Error(`unexpected line ${line}`);
    const hour = Math.floor((entry.timeMs - start.getTime()) / 3_600_000);
    if (hour < 0 || hour >= hours) continue;
    const ofIndex = entry.targetGroupArn?.endsWith(DAILY_TARGET_GROUP) ?? false;
    const minted = entry.targetStatus === '-' ? entry.elbStatus : null;
    const counted =
      what === 'lb_lines' ||
      (what === 'elb_502_index' && ofIndex && minted === '502') ||
      (what === 'elb_502' && minted === '502') ||
      (what === 'elb_503' && minted === '503') ||
      (what === 'target_5xx' && ofIndex && /^5\d\d$/.test(entry.targetStatus));
    if (counted) counts[hour]!++;
  }
  return counts;
}

/** The count of the 19:00 UTC hour on each of `days`. */
export function at19Utc(
  counts: ReadonlyArray<number | null>,
  start: Date,
  days: readonly string[],
): Array<number | null> {
  return days.map((day) => counts[Math.round((Date.parse(`${day}T19:00:00Z`) - start.getTime()) / 3_600_000)] ?? null);
}
