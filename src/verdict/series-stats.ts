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
}

/** A minute is a burst seed when it exceeds the baseline by this many noise units (and this absolute floor). */
const SEED_SIGMAS = 4;
const SEED_FLOOR = 5;
/**
 * On a quiet index a handful of errors is a burst when they are a large share of that
 * minute's requests: 5 failures out of 15 requests matter though 5 is within count noise.
 */
const RATE_SEED_SHARE = 0.05;
const RATE_SEED_MIN_COUNT = 2;
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
  /** The minutes the logs cover [first, last]; others hold no measurement and are ignored. */
  covered?: readonly [number, number] | null;
}

export function analyseSeries(counts: readonly number[], context: SeriesContext = {}): SeriesStats {
  const [first, last] = context.covered ?? [0, counts.length - 1];
  let total = 0;
  let max = 0;
  let maxIndex = first;
  for (let index = first; index <= last; index++) {
    const count = counts[index]!;
    total += count;
    if (count > max) {
      max = count;
      maxIndex = index;
    }
  }
  const typical = median(counts.slice(first, last + 1));
  const bursts = findBursts(counts, typical, first, last, context.denominators ?? null);
  const meanPerMinute = last >= first ? total / (last - first + 1) : 0;
  return { total, meanPerMinute, typical, max, maxIndex, bursts, flat: bursts.length === 0 };
}

/** A minute whose count is a large share of its requests, well above the typical count. */
function isRateSeed(count: number, requests: number | undefined, typical: number): boolean {
  return requests !== undefined && count >= RATE_SEED_MIN_COUNT && count > typical * 3 + 1 && count >= RATE_SEED_SHARE * Math.max(1, requests);
}

function findBursts(counts: readonly number[], typical: number, first: number, last: number, denominators: readonly number[] | null): Burst[] {
  const seed = burstThreshold(typical);
  const extent = typical + Math.max(1, EXTENT_SIGMAS * Math.sqrt(typical + 1));
  const bursts: Burst[] = [];
  let index = first;
  while (index <= last) {
    const count = counts[index]!;
    if (count <= seed && !(denominators && isRateSeed(count, denominators[index], typical))) {
      index++;
      continue;
    }
    const burst = growBurst(counts, index, Math.min(extent, count - 0.5), first, last);
    const previous = bursts[bursts.length - 1];
    if (previous && burst.start - previous.end <= MAX_GAP_MINUTES + 1) mergeInto(previous, burst);
    else bursts.push(burst);
    index = burst.end + 1;
  }
  return bursts;
}

/** Grows a burst left and right from a seed minute over minutes above `extent`, bridging short gaps. */
function growBurst(counts: readonly number[], seedIndex: number, extent: number, first: number, last: number): Burst {
  let start = seedIndex;
  while (start > first && counts[start - 1]! > extent) start--;
  let end = seedIndex;
  for (let probe = seedIndex + 1; probe <= last && probe - end <= MAX_GAP_MINUTES + 1; probe++) {
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
  if (minutesBeforeAsked > 0) return minutesBeforeAsked <= 5 ? 0.95 : minutesBeforeAsked <= 20 ? 0.8 : minutesBeforeAsked <= 45 ? 0.4 : 0.1;
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
