/**
 * analyseSeries' bursts: a minute the background explains is not a burst, however the window is
 * shaped; a minute chance cannot explain is, however small the background. Series are written
 * out minute by minute (no random draws), so each case says exactly what it tests.
 */
import { describe, expect, it } from 'vitest';
import { analyseSeries } from '../../src/verdict/series-stats.js';

/** `minutes` minutes of a flat background averaging 1.8 a minute (as a load balancer's keep-alive 502s). */
function lowBackground(minutes: number): number[] {
  const pattern = [1, 2, 1, 3, 2, 0, 2, 1, 4, 2];
  return Array.from({ length: minutes }, (_, i) => pattern[i % pattern.length]!);
}

describe('analyseSeries: bursts against a low background', () => {
  it('calls one minute of 7 over ~1.8 a minute flat: in 128 minutes chance gives that about one window in three', () => {
    const counts = lowBackground(128);
    counts[50] = 7;
    const stats = analyseSeries(counts);
    expect(stats.typical).toBe(2);
    expect(stats.bursts).toEqual([]);
    expect(stats.flat).toBe(true);
  });

  it('calls a median of 1 with a 7 flat too: the mean of the flat minutes, not the median, is the rate', () => {
    const counts = lowBackground(128).map((n) => (n === 2 ? 1 : n)); // median 1, mean ~1.4
    counts[50] = 7;
    const stats = analyseSeries(counts);
    expect(stats.typical).toBe(1);
    expect(stats.flat).toBe(true);
  });

  it('finds one minute of 14 over the same background: chance would need ~10⁸ windows', () => {
    const counts = lowBackground(128);
    counts[50] = 14;
    const stats = analyseSeries(counts);
    expect(stats.bursts).toHaveLength(1);
    expect(stats.bursts[0]).toMatchObject({ start: 50, end: 50, peakCount: 14 });
  });

  it('finds 40 minutes at 10 a minute, though they lift the window’s mean', () => {
    const counts = lowBackground(180);
    for (let i = 60; i < 100; i++) counts[i] = 10;
    const stats = analyseSeries(counts);
    expect(stats.bursts).toHaveLength(1);
    expect(stats.bursts[0]).toMatchObject({ start: 60, end: 99 });
  });

  it('finds 6 in a minute of a series that is otherwise 0', () => {
    const counts = new Array<number>(180).fill(0);
    counts[90] = 6;
    expect(analyseSeries(counts).bursts).toHaveLength(1);
  });

  it('calls a flat ~6 a minute peaking at 13 flat', () => {
    const counts = Array.from({ length: 180 }, (_, i) => [5, 6, 7, 6, 4, 8, 6, 5, 7, 6][i % 10]!);
    counts[77] = 13;
    expect(analyseSeries(counts).flat).toBe(true);
  });
});
