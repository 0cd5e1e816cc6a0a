import type { TimeWindow } from '../../core/types.js';

/** The time span the entries of some log files cover, or null before any entry. */
export type Coverage = { firstMs: number; lastMs: number } | null;

/**
 * ALB writes one file per node every 5 minutes and delivery is eventually consistent, so the
 * edges of a window are fuzzy: a gap shorter than this at either end is not "partial".
 */
const EDGE_TOLERANCE_MS = 6 * 60_000;

export function widen(coverage: Coverage, timeMs: number): Coverage {
  if (coverage === null) return { firstMs: timeMs, lastMs: timeMs };
  if (timeMs < coverage.firstMs) coverage.firstMs = timeMs;
  if (timeMs > coverage.lastMs) coverage.lastMs = timeMs;
  return coverage;
}

/** Whether the logs cover the window: fully, partly, or not at all. */
export function coverageGap(coverage: NonNullable<Coverage>, window: TimeWindow): 'covered' | 'partial' | 'none' {
  const start = window.start.getTime();
  const end = window.end.getTime();
  if (coverage.lastMs < start || coverage.firstMs >= end) return 'none';
  if (coverage.firstMs > start + EDGE_TOLERANCE_MS || coverage.lastMs < end - EDGE_TOLERANCE_MS) return 'partial';
  return 'covered';
}

export function describeCoverage(coverage: NonNullable<Coverage>): string {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return `${iso(coverage.firstMs)}–${iso(coverage.lastMs)} UTC`;
}
