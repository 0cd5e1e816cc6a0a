import { describe, expect, it } from 'vitest';
import { type DraftRef, decodeDraftRef, encodeDraftRef } from '../../../src/render/slack/draft-ref.js';

const ref: DraftRef = {
  v: 1,
  channel: 'C0ONCALL',
  threadTs: '1750275660.000100',
  text: 'prod_000_audio 05:41 AEST --window 2h',
  requestedAt: '2026-06-18T19:45:00.000Z',
  askedBy: 'U0ONCALL',
  index: 'prod_000_audio',
  at: '2026-06-18T19:41:00Z',
  kind: 'throttling_429',
  confidence: 'high',
  headline: 'Our 429 rate limiting.',
};

describe('the draft reference in a button value', () => {
  it('survives a round trip', () => {
    expect(decodeDraftRef(encodeDraftRef(ref))).toEqual(ref);
  });

  it('stays under the 2000-character button value limit with the longest command text', () => {
    const value = encodeDraftRef({ ...ref, text: 'x'.repeat(1000), headline: 'y'.repeat(600) });

    expect(value.length).toBeLessThanOrEqual(2000);
    expect(decodeDraftRef(value)?.text).toBe('x'.repeat(1000));
  });

  it.each([
    ['not JSON', 'nope'],
    ['another version', JSON.stringify({ ...ref, v: 2 })],
    ['a bad channel', JSON.stringify({ ...ref, channel: 'general' })],
    ['nothing', undefined],
  ])('reads %s as no reference', (_label, value) => {
    expect(decodeDraftRef(value)).toBeNull();
  });
});
