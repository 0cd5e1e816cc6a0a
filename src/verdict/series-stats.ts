import { poissonUpperTail } from './poisson.js';

/**
 * Statistics of one per-minute count series, judged against its own baseline: is there a
 * burst, where, how big, and is the rest flat? Counts of independent events are roughly
 * Poisson, so "noise" around a typical rate λ is about √λ: a flat 6/min background peaking at
 * 13 is noise, a 0/min baseline jumping to 4,593 is a burst.
 */

export interface Burst {
  /** Minute indexes, inclusive. */
  start: number;
  end: number;
  total: number;
  peakIndex: number;
  peakCount: number;
}

export interface SeriesStats {
  total: number;
  /** Mean per-minute count over the minutes measured: the typical rate of a flat background. */
  meanPerMinute: number;
  /** Median per-minute count: the baseline. */
  typical: number;
  max: number;
  maxIndex: number;
  bursts: Burst[];
  /** True when no minute stands out from the baseline. */
  flat: boolean;
  /** Minutes the statistics are over (uncovered minutes are left out). */
  coveredMinutes: number;
}

/** A minute is a burst seed when it exceeds the baseline by this many noise units (and this absolute floor). */
const SEED_SIGMAS = 4;
const SEED_FLOOR = 5;
/**
 * On a quiet index a handful of errors is a burst when chance cannot explain them: 5 failures
 * out of 15 requests matter though 5 is within count noise. A minute seeds a burst when, at the
 * series' usual rate per request, seeing that many has probability below this (a 3-hour window
 * has 180 minutes, so chance alone would seed one about every 500 windows)…
 */
const RATE_SEED_P = 1e-5;
const RATE_SEED_MIN_COUNT = 2;
/** …and a burst grown from such seeds must be this unlikely as a whole. */
const RATE_BURST_P = 1e-6;
/**
 * …and chance must not explain the seed either: at a low rate √λ understates Poisson's tail (at
 * ~1.8 a minute, 7 comes once in ~280 minutes), and a 3-hour window tests 180 minutes. A count
 * seed must be this unlikely per window, at the mean of the minutes under the seed threshold.
 */
const COUNT_SEED_WINDOW_P = 0.01;
/** A burst extends over neighbouring minutes above this many noise units, bridging short gaps. */
const EXTENT_SIGMAS = 1.5;
const MAX_GAP_MINUTES = 2;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The count above which a minute is "above background" for a series with this baseline. */
export function burstThreshold(typical: number): number {
  return typical + Math.max(SEED_FLOOR, SEED_SIGMAS * Math.sqrt(typical + 1));
}

export interface SeriesContext {
  /** Requests per minute behind the counts (the same scope), to judge a burst by its share. */
  denominators?: readonly number[] | null;
  /** Per minute, whether a source measured it; uncovered minutes are ignored. Default: all covered. */
  covered?: readonly boolean[] | null;
  /**
   * The share of requests that fail this way anyway (e.g. the load balancer's keep-alive 502
   * rate across all tenants): a burst must beat this as well as the series' own usual rate.
   */
  backgroundRate?: number | null;
}

export function analyseSeries(counts: readonly number[], context: SeriesContext = {}): SeriesStats {
  const covered = context.covered ?? null;
  const isCovered = (index: number) => covered === null || covered[index] === true;
  let total = 0;
  let max = 0;
  let maxIndex = -1;
  const measured: number[] = [];
  for (let index = 0; index < counts.length; index++) {
    if (!isCovered(index)) continue;
    const count = counts[index]!;
    measured.push(count);
    total += count;
    if (maxIndex === -1 || count > max) {
      max = count;
      maxIndex = index;
    }
  }
  const typical = median(measured);
  const usualRate = context.denominators
    ? usualRatePerRequest(counts, context.denominators, isCovered, context.backgroundRate ?? 0)
    : null;
  const bursts = findBursts({ counts, typical, isCovered, denominators: context.denominators ?? null, usualRate });
  const meanPerMinute = measured.length > 0 ? total / measured.length : 0;
  return {
    total,
    meanPerMinute,
    typical,
    max,
    maxIndex: Math.max(0, maxIndex),
    bursts,
    flat: bursts.length === 0,
    coveredMinutes: measured.length,
  };
}

/**
 * The series' usual failures per request: its total over its requests once the busiest 5 %
 * of minutes are set aside (a burst must not raise the bar it is judged against), and never
 * below the background rate.
 */
function usualRatePerRequest(
  counts: readonly number[],
  denominators: readonly number[],
  isCovered: (i: number) => boolean,
  backgroundRate: number,
): number {
  const minutes = counts
    .map((count, index) => ({ count, requests: denominators[index] ?? 0, index }))
    .filter(({ index }) => isCovered(index));
  const setAside = Math.ceil(minutes.length * 0.05);
  const bulk = [...minutes].sort((a, b) => b.count - a.count).slice(setAside);
  const errors = bulk.reduce((sum, m) => sum + m.count, 0);
  const requests = bulk.reduce((sum, m) => sum + m.requests, 0);
  return Math.max(backgroundRate, requests > 0 ? errors / requests : 0);
}

interface BurstSearch {
  counts: readonly number[];
  typical: number;
  isCovered: (index: number) => boolean;
  denominators: readonly number[] | null;
  usualRate: number | null;
}

/** A minute whose count chance cannot explain at the series' usual rate per request. */
function isRateSeed(search: BurstSearch, index: number): boolean {
  const count = search.counts[index]!;
  const requests = search.denominators?.[index];
  if (search.usualRate === null || requests === undefined || count < RATE_SEED_MIN_COUNT) return false;
  // The floor keeps a rate of exactly 0 (no failure ever) from making any single failure "impossible".
  const expected = Math.max(search.usualRate * Math.max(1, requests), 1e-3);
  return poissonUpperTail(count, expected) < RATE_SEED_P;
}

function expectedInBurst(search: BurstSearch, burst: Burst): number {
  let expected = 0;
  for (let i = burst.start; i <= burst.end; i++)
    expected += Math.max((search.usualRate ?? 0) * Math.max(1, search.denominators?.[i] ?? 0), 1e-3);
  return expected;
}

function findBursts(search: BurstSearch): Burst[] {
  const { counts, typical, isCovered } = search;
  const seed = burstThreshold(typical);
  const extent = typical + Math.max(1, EXTENT_SIGMAS * Math.sqrt(typical + 1));
  const background = backgroundMean(counts, seed, isCovered);
  const bursts: Burst[] = [];
  let index = 0;
  while (index < counts.length) {
    const count = counts[index]!;
    const byCount = count > seed && poissonUpperTail(count, background.mean) < COUNT_SEED_WINDOW_P / background.minutes;
    if (!isCovered(index) || (!byCount && !isRateSeed(search, index))) {
      index++;
      continue;
    }
    const burst = growBurst(counts, index, Math.min(extent, count - 0.5), isCovered);
    if (!byCount && poissonUpperTail(burst.total, expectedInBurst(search, burst)) >= RATE_BURST_P) {
      index = burst.end + 1;
      continue;
    }
    const previous = bursts[bursts.length - 1];
    if (
      previous &&
      burst.start - previous.end <= MAX_GAP_MINUTES + 1 &&
      allCovered(isCovered, previous.end, burst.start)
    )
      mergeInto(previous, burst);
    else bursts.push(burst);
    index = burst.end + 1;
  }
  return bursts;
}

/** The mean of the covered minutes at or under the seed threshold: the rate of a flat background. */
function backgroundMean(
  counts: readonly number[],
  seed: number,
  isCovered: (index: number) => boolean,
): { mean: number; minutes: number } {
  let sum = 0;
  let flat = 0;
  let covered = 0;
  for (let index = 0; index < counts.length; index++) {
    if (!isCovered(index)) continue;
    covered++;
    if (counts[index]! > seed) continue;
    sum += counts[index]!;
    flat++;
  }
  return { mean: flat > 0 ? sum / flat : 0, minutes: Math.max(1, covered) };
}

function allCovered(isCovered: (index: number) => boolean, from: number, to: number): boolean {
  for (let i = from; i <= to; i++) if (!isCovered(i)) return false;
  return true;
}

/**
 * Grows a burst left and right from a seed minute over minutes above `extent`, bridging short
 * gaps of quiet minutes — never a hole in the logs, which is not quiet but unknown.
 */
function growBurst(
  counts: readonly number[],
  seedIndex: number,
  extent: number,
  isCovered: (index: number) => boolean,
): Burst {
  let start = seedIndex;
  while (start > 0 && isCovered(start - 1) && counts[start - 1]! > extent) start--;
  let end = seedIndex;
  for (let probe = seedIndex + 1; probe < counts.length && probe - end <= MAX_GAP_MINUTES + 1; probe++) {
    if (!isCovered(probe)) break;
    if (counts[probe]! > extent) end = probe;
  }
  let total = 0;
  let peakIndex = start;
  for (let i = start; i <= end; i++) {
    total += counts[i]!;
    if (counts[i]! > counts[peakIndex]!) peakIndex = i;
  }
  return { start, end, total, peakIndex, peakCount: counts[peakIndex]! };
}

function mergeInto(target: Burst, next: Burst): void {
  target.end = next.end;
  target.total += next.total;
  if (next.peakCount > target.peakCount) {
    target.peakCount = next.peakCount;
    target.peakIndex = next.peakIndex;
  }
}

/** Minutes from the burst to the asked minute: 0 when it covers it, positive when it ended before, negative when it began after. */
export function minutesBefore(burst: Burst, askedIndex: number): number {
  if (askedIndex >= burst.start && askedIndex <= burst.end) return 0;
  return askedIndex > burst.end ? askedIndex - burst.end : askedIndex - burst.start;
}

/**
 * How well a burst explains a report at the asked minute: customers notice and report after
 * the fact (dashboards aggregate, people round times), so a burst that ended a few minutes
 * before counts almost fully; one starting after the asked minute counts only when close.
 */
export function proximityWeight(minutesBeforeAsked: number): number {
  if (minutesBeforeAsked === 0) return 1;
  if (minutesBeforeAsked > 0)
    return minutesBeforeAsked <= 5 ? 0.95 : minutesBeforeAsked <= 20 ? 0.8 : minutesBeforeAsked <= 45 ? 0.4 : 0.1;
  const after = -minutesBeforeAsked;
  return after <= 3 ? 0.8 : after <= 10 ? 0.5 : 0.1;
}

/** The burst that best explains the asked minute (closest, then biggest), or null. */
export function burstNearest(bursts: readonly Burst[], askedIndex: number): Burst | null {
  let best: Burst | null = null;
  let bestScore = 0;
  for (const burst of bursts) {
    const score = proximityWeight(minutesBefore(burst, askedIndex)) * Math.log10(1 + burst.total);
    if (score > bestScore) {
      best = burst;
      bestScore = score;
    }
  }
  return best;
}

/** Sum of counts in minutes [from, to] clipped to the series. */
export function sumRange(counts: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = Math.max(0, from); i <= Math.min(counts.length - 1, to); i++) total += counts[i]!;
  return total;
}
