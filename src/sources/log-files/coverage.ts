/** The time span the entries of some log files cover, or null before any entry. */
export type Coverage = { firstMs: number; lastMs: number } | null;

export function widen(coverage: Coverage, timeMs: number): Coverage {
  if (coverage === null) return { firstMs: timeMs, lastMs: timeMs };
  if (timeMs < coverage.firstMs) coverage.firstMs = timeMs;
  if (timeMs > coverage.lastMs) coverage.lastMs = timeMs;
  return coverage;
}

export function describeCoverage(coverage: NonNullable<Coverage>): string {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return `${iso(coverage.firstMs)}–${iso(coverage.lastMs)} UTC`;
}
