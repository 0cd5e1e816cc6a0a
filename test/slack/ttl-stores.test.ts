import { describe, expect, it } from 'vitest';
import { createTtlDedupe } from '../../src/slack/ttl-dedupe.js';

function manualClock(startIso: string) {
  let now = new Date(startIso).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('createTtlDedupe', () => {
  it('lets a key through once within the TTL and again after it', () => {
    const clock = manualClock('2026-06-18T19:45:00Z');
    const dedupe = createTtlDedupe({ ttlMs: 60_000, maxEntries: 10, clock });

    const first = dedupe.claim('k');
    const repeat = dedupe.claim('k');
    clock.advance(60_000);
    const afterTtl = dedupe.claim('k');

    expect([first, repeat, afterTtl]).toEqual([true, false, true]);
  });

  it('forgets the oldest keys beyond its size limit', () => {
    const dedupe = createTtlDedupe({ ttlMs: 60_000, maxEntries: 2, clock: manualClock('2026-06-18T19:45:00Z') });
    dedupe.claim('a');
    dedupe.claim('b');
    dedupe.claim('c');

    expect([dedupe.claim('a'), dedupe.claim('c')]).toEqual([true, false]);
  });
});
