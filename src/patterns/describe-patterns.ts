/**
 * Pure: the note lines of a pattern window, in the asked zone first and UTC second — a line per
 * daily pattern with its hour and days, else one honest line: nothing recurred in what was
 * measured, too few days were measured, or nothing was measured (never "no pattern" then).
 */
import type { DailyPattern } from '../changes/daily-patterns.js';
import { formatCount } from '../core/format-number.js';
import type { TimeFormatter } from '../core/types.js';
import { HOUR_MS, type HourlySeries } from './hourly-series.js';
import type { PatternsEvidence } from './judge-patterns.js';
import { PATTERN_CANDIDATES, signalWords } from './pattern-signals.js';

/** findDailyPatterns' MIN_DAYS: a pattern needs bursts on at least this many days. */
const PATTERN_MIN_DAYS = 3;
const DAY_MS = 24 * HOUR_MS;

export function describePatterns(evidence: PatternsEvidence, fmt: TimeFormatter): string[] {
  const judged = judgedSeries(evidence);
  if (!judged?.counts) return [notMeasuredLine(evidence)];
  const words = signalWords(judged.signal, evidence.index);
  const lines =
    evidence.patterns.length > 0
      ? evidence.patterns.flatMap((pattern) => patternLines(pattern, judged, words, evidence, fmt))
      : [noPatternLine(judged, words, evidence, fmt)];
  const fallback = fallbackNote(evidence, judged);
  return fallback ? [...lines, fallback] : lines;
}

function judgedSeries(evidence: PatternsEvidence): HourlySeries | undefined {
  const { judged } = evidence;
  return judged ? evidence.series.find((s) => s.signal === judged.signal && s.provider === judged.provider) : undefined;
}

function patternLines(
  pattern: DailyPattern,
  series: HourlySeries,
  words: string,
  evidence: PatternsEvidence,
  fmt: TimeFormatter,
): string[] {
  const burstStarts = pattern.days.map((day) => new Date(Date.parse(`${day}T00:00:00Z`) + pattern.hourUtc * HOUR_MS));
  const hour = fmt.range(burstStarts.at(-1)!, new Date(burstStarts.at(-1)!.getTime() + 59 * 60_000));
  const days = burstStarts.map((start) => fmt.localDate(start)).join(', ');
  const counts = burstStarts
    .map((start) => countAt(series, evidence, start.getTime()))
    .filter((n): n is number => n !== null);
  return [
    `${capital(words)} burst daily in the hour ${hour}, on ${pattern.days.length} of the ${pattern.daysMeasured} days measured (${days}): something scheduled, such as a daily restart, a cron job or an autoscaling cycle.`,
    `By the hour (${series.source}, ${spanText(evidence, fmt)}): that hour held ${rangeText(counts)} on those days, against a median of ${formatCount(median(measured(series)))} an hour.`,
  ];
}

function noPatternLine(series: HourlySeries, words: string, evidence: PatternsEvidence, fmt: TimeFormatter): string {
  const days = daysMeasured(series, evidence);
  const partial = series.status === 'partial' && series.reason ? ` Partial: ${series.reason}.` : '';
  if (days < PATTERN_MIN_DAYS) {
    return `Too few days for a daily pattern: ${words} were measured by the hour on ${days} day${days === 1 ? '' : 's'} (${spanText(evidence, fmt)}, ${series.source}); a pattern needs bursts on at least ${PATTERN_MIN_DAYS}.${partial}`;
  }
  return `No daily pattern: ${words} did not burst at the same hour on ${PATTERN_MIN_DAYS} or more of the ${days} days measured (${spanText(evidence, fmt)}, by the hour, ${series.source}).${partial}`;
}

function notMeasuredLine(evidence: PatternsEvidence): string {
  const candidates = PATTERN_CANDIDATES[evidence.verdictKind];
  const reasons = candidates.flatMap((candidate) => {
    const series = evidence.series.find((s) => s.signal === candidate.signal && s.provider === candidate.provider);
    return series?.reason ? [`${signalWords(candidate.signal, evidence.index)}: ${series.reason}`] : [];
  });
  const why =
    reasons.length > 0
      ? reasons
      : evidence.sources.map((source) => `${source.name}: ${source.detail ?? source.status}`);
  return `Patterns over days were not measured, so whether the errors recur daily is unknown: ${why.join('; ') || 'no hourly source is configured'}.`;
}

/** When the kind's best signal was not measured and a lesser one was read, say which and why. */
function fallbackNote(evidence: PatternsEvidence, judged: HourlySeries): string | null {
  const [best] = PATTERN_CANDIDATES[evidence.verdictKind];
  if (!best || (best.signal === judged.signal && best.provider === judged.provider)) return null;
  const missing = evidence.series.find((s) => s.signal === best.signal && s.provider === best.provider);
  if (!missing?.reason) return null;
  const why = missing.reason;
  return `Read from ${signalWords(judged.signal, evidence.index)} because ${signalWords(best.signal, evidence.index)} were not measured by the hour: ${why}.`;
}

function countAt(series: HourlySeries, evidence: PatternsEvidence, instantMs: number): number | null {
  const index = Math.floor((instantMs - evidence.window.start.getTime()) / HOUR_MS);
  return series.counts?.[index] ?? null;
}

function measured(series: HourlySeries): number[] {
  return (series.counts ?? []).filter((n): n is number => n !== null);
}

/** UTC days with at least one measured hour. */
function daysMeasured(series: HourlySeries, evidence: PatternsEvidence): number {
  const days = new Set<number>();
  series.counts?.forEach((count, i) => {
    if (count !== null) days.add(Math.floor((evidence.window.start.getTime() + i * HOUR_MS) / DAY_MS));
  });
  return days.size;
}

/** "12 Jun–19 Jun" in the asked zone: the first and last hour read. */
function spanText(evidence: PatternsEvidence, fmt: TimeFormatter): string {
  const first = fmt.localDate(evidence.window.start);
  const last = fmt.localDate(new Date(evidence.window.end.getTime() - HOUR_MS));
  return first === last ? first : `${first}–${last}`;
}

function rangeText(counts: readonly number[]): string {
  if (counts.length === 0) return 'no count';
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  return low === high ? formatCount(low) : `${formatCount(low)}–${formatCount(high)}`;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
