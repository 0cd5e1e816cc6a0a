/**
 * Pure: from the hourly series a pattern window measured and the verdict's kind, the series to
 * look at (the kind's best measured candidate) and the daily patterns in it — reusing
 * findDailyPatterns, the one detector of "it happens daily around the same time".
 */
import { type DailyPattern, findDailyPatterns } from '../changes/daily-patterns.js';
import type { SourceStatus, TimeWindow, VerdictKind } from '../core/types.js';
import {
  gridWindow,
  type HourGrid,
  type HourlyProvider,
  type HourlySeries,
  type HourlySignal,
} from './hourly-series.js';
import { PATTERN_CANDIDATES } from './pattern-signals.js';

/** What a pattern window showed: the JSON report's `patterns`, and the renderers' note. */
export interface PatternsEvidence {
  /** The whole hours read, UTC, [start, end): the pattern window cut to settled whole hours. */
  window: TimeWindow;
  /** The pattern window as asked (command.patternWindow): the days up to the judged window's end. */
  requestedWindow: TimeWindow;
  bucketMinutes: 60;
  verdictKind: VerdictKind;
  index: string;
  /** The series the patterns were looked for in; null when no candidate for the kind was measured. */
  judged: { signal: HourlySignal; provider: HourlyProvider; source: string } | null;
  /** Every hourly series read (the judged one among them), counts null where not measured. */
  series: HourlySeries[];
  /** Bursts of the judged signal that recur at the same UTC hour on several days; [] when none (or nothing measured: see `judged`). */
  patterns: DailyPattern[];
  /** One entry per hourly source: complete, partial, failed or not_configured, with its calls and cost. */
  sources: SourceStatus[];
}

export interface JudgePatternsInput {
  grid: HourGrid;
  requestedWindow: TimeWindow;
  verdictKind: VerdictKind;
  index: string;
  series: readonly HourlySeries[];
  sources: readonly SourceStatus[];
}

export function judgePatterns(input: JudgePatternsInput): PatternsEvidence {
  const judged = pickSeries(input.verdictKind, input.series);
  const patterns = judged?.counts
    ? findDailyPatterns({ kind: input.verdictKind, counts: judged.counts, start: input.grid.start, bucketMinutes: 60 })
    : [];
  return {
    window: gridWindow(input.grid),
    requestedWindow: input.requestedWindow,
    bucketMinutes: 60,
    verdictKind: input.verdictKind,
    index: input.index,
    judged: judged ? { signal: judged.signal, provider: judged.provider, source: judged.source } : null,
    series: [...input.series],
    patterns,
    sources: [...input.sources],
  };
}

/** The kind's first candidate that was measured (ok or partial). */
export function pickSeries(kind: VerdictKind, series: readonly HourlySeries[]): HourlySeries | null {
  for (const candidate of PATTERN_CANDIDATES[kind]) {
    const found = series.find(
      (s) => s.signal === candidate.signal && s.provider === candidate.provider && s.counts !== null,
    );
    if (found) return found;
  }
  return null;
}
