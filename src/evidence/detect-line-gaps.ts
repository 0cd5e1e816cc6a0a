import type { MinuteRange } from '../core/types.js';
import { poissonLowerTail } from '../verdict/poisson.js';
import { median } from '../verdict/series-stats.js';

/**
 * Holes in one log source, from its own entries per minute. A source that logged ~460 entries
 * a minute and then nothing for 25 minutes did not go quiet: its files are missing (S3
 * delivery is best-effort, a download was interrupted, one hourly file was not copied). Those
 * minutes were not measured, and reading them as zeros is the false zero the contract forbids.
 *
 * A run of empty minutes is a hole when chance cannot explain it at the source's rate: with λ
 * entries a minute, a g-minute silence somewhere in N minutes is expected about
 * N·(1−e^−λ)·e^−λg times. Busy logs (λ ≫ 1) tolerate no empty minute; sparse ones tolerate
 * long silences. Optionally, a minute whose volume collapses far below its neighbours' (a node
 * of the load balancer stopped logging) is a hole too.
 */
export interface LineGapInput {
  /** Entries of the source per minute of the window (every index, every kind of answer). */
  entriesPerMinute: readonly number[];
  /** Whether the source holds entries before the window's start / after its end. */
  entriesBefore: boolean;
  entriesAfter: boolean;
  /** Also treat a collapse in volume (not only silence) as a hole: right for a load balancer's all-tenant logs. */
  detectCollapse: boolean;
}

export interface LineGap {
  range: MinuteRange;
  kind: 'no_entries' | 'volume_collapse';
}

const MIN_ACTIVE_MINUTES = 3;
/** Expected number of silences this long by chance below which a silence is a hole. */
const SILENCE_CHANCE = 0.01;
/** A minute below this share of its neighbours' volume, and that unlikely, is a collapse. */
const COLLAPSE_SHARE = 0.6;
const COLLAPSE_P = 1e-6;
// Wide enough that a 25-minute collapse is judged against normal minutes, narrow enough to follow a day's curve.
const NEIGHBOURHOOD_MINUTES = 60;

export function detectLineGaps(input: LineGapInput): LineGap[] {
  const counts = input.entriesPerMinute;
  const minutes = counts.length;
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (minutes === 0) return [];
  if (total === 0) return [{ range: [0, minutes - 1], kind: 'no_entries' }];
  // With entries in only a minute or two there is no rate to judge a silence against.
  if (counts.filter((n) => n > 0).length < MIN_ACTIVE_MINUTES) return [];
  const gaps: LineGap[] = silentRuns(counts)
    .filter((run) => isImplausibleSilence(run, counts, input))
    .map((range) => ({ range, kind: 'no_entries' }));
  if (input.detectCollapse)
    gaps.push(
      ...collapses(
        counts,
        gaps.map((gap) => gap.range),
      ),
    );
  return gaps.sort((a, b) => a.range[0] - b.range[0]);
}

function silentRuns(counts: readonly number[]): MinuteRange[] {
  const runs: MinuteRange[] = [];
  let start = -1;
  for (let i = 0; i <= counts.length; i++) {
    const silent = i < counts.length && counts[i] === 0;
    if (silent && start === -1) start = i;
    if (!silent && start !== -1) {
      runs.push([start, i - 1]);
      start = -1;
    }
  }
  return runs;
}

/** The source's usual rate: entries per minute over the span it was active in the window. */
function activeRate(counts: readonly number[]): number {
  const first = counts.findIndex((n) => n > 0);
  let last = counts.length - 1;
  while (last > first && counts[last] === 0) last--;
  const total = counts.reduce((sum, n) => sum + n, 0);
  return total / (last - first + 1);
}

function isImplausibleSilence(run: MinuteRange, counts: readonly number[], input: LineGapInput): boolean {
  const [first, last] = run;
  const length = last - first + 1;
  // A silence at a window edge that the logs continue past is bounded by the edge; one the logs
  // never reach (they start or stop inside the window) is judged the same way: busy logs do not
  // begin late by chance.
  const lambda = activeRate(counts);
  const expected = counts.length * (1 - Math.exp(-lambda)) * Math.exp(-lambda * length);
  const atEdgeWithoutEntriesBeyond =
    (first === 0 && !input.entriesBefore) || (last === counts.length - 1 && !input.entriesAfter);
  return expected < SILENCE_CHANCE || (atEdgeWithoutEntriesBeyond && expected < SILENCE_CHANCE * 10);
}

/** Minutes with entries, but far fewer than their neighbours had: part of the source is missing. */
function collapses(counts: readonly number[], holes: readonly MinuteRange[]): LineGap[] {
  const inHole = (i: number) => holes.some(([a, b]) => i >= a && i <= b);
  const flagged = counts.map((count, i) => {
    if (count === 0 || inHole(i)) return false;
    const neighbours: number[] = [];
    for (
      let j = Math.max(0, i - NEIGHBOURHOOD_MINUTES);
      j <= Math.min(counts.length - 1, i + NEIGHBOURHOOD_MINUTES);
      j++
    ) {
      if (j !== i && counts[j]! > 0 && !inHole(j)) neighbours.push(counts[j]!);
    }
    const usual = median(neighbours);
    return count < COLLAPSE_SHARE * usual && poissonLowerTail(count, usual) < COLLAPSE_P;
  });
  const gaps: LineGap[] = [];
  for (const [first, last] of silentRuns(flagged.map((f) => (f ? 0 : 1))))
    gaps.push({ range: [first, last], kind: 'volume_collapse' });
  return gaps;
}
