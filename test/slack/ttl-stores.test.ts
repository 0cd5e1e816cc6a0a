import { describe, expect, it } from 'vitest';
import type { InvestigationResult } from '../../src/engine/investigation-runner.js';
import { createReportCache } from '../../src/slack/report-cache.js';
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

describe('createReportCache', () => {
  const result = { report: { index: 'prod_000_audio' } } as unknown as InvestigationResult;

  it('returns a report by thread until it expires', () => {
    const clock = manualClock('2026-06-18T19:45:00Z');
    const cache = createReportCache({ ttlMs: 1000, maxEntries: 5, clock });
    cache.set('C1', '1.1', result);

    const hit = cache.get('C1', '1.1');
    clock.advance(1000);

    expect([hit, cache.get('C1', '1.1'), cache.get('C1', '9.9')]).toEqual([result, undefined, undefined]);
  });

  it('drops the oldest report beyond its size limit', () => {
    const cache = createReportCache({ ttlMs: 60_000, maxEntries: 1, clock: manualClock('2026-06-18T19:45:00Z') });
    cache.set('C1', '1.1', result);
    cache.set('C1', '2.2', result);

    expect([cache.get('C1', '1.1'), cache.get('C1', '2.2')]).toEqual([undefined, result]);
  });
});
