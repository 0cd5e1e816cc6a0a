import { describe, expect, it } from 'vitest';
import { burstFacts, confidenceFrom, placeActivity } from '../../../src/verdict/rules/burst-finding.js';
import { ASKED_INDEX, burst, contextFor, evidenceWith, series } from '../../support/evidence-builder.js';

/** The placement of origin 5xx on an index serving 120 requests a minute. */
function placeOrigin5xx(origin5xx: number[]) {
  return placeActivity(contextFor(evidenceWith({ requests: series(120), origin_5xx: origin5xx })), 'origin_5xx');
}
/** 60 origin 5xx over three minutes starting at minute `start`, peak 30 in the second. */
const burstFrom = (start: number) => burst(start, [10, 30, 20]);
/** Single errors (never a burst on their own) at the given minutes. */
const strays = (...minutes: number[]) => series(0, Object.fromEntries(minutes.map((minute) => [minute, 1])));

describe('placeActivity', () => {
  it('scores a burst covering the asked minute highest, nudged up by its size', () => {
    const placement = placeOrigin5xx(burstFrom(ASKED_INDEX - 1));

    expect(placement).toEqual({
      burst: { start: 89, end: 91, total: 60, peakIndex: 90, peakCount: 30 },
      minutesBeforeAsked: 0,
      relevance: 3 + Math.log10(61) / 100,
      nearAsked: true,
      presentAtAsked: false,
    });
  });

  it('weighs a burst ending 5 minutes before the asked minute at 0.95, and 6 minutes before at 0.8', () => {
    const fiveBefore = placeOrigin5xx(burstFrom(ASKED_INDEX - 7));
    const sixBefore = placeOrigin5xx(burstFrom(ASKED_INDEX - 8));

    expect(fiveBefore.minutesBeforeAsked).toBe(5);
    expect(fiveBefore.relevance).toBeCloseTo(3 * 0.95 + Math.log10(61) / 100, 9);
    expect(sixBefore.minutesBeforeAsked).toBe(6);
    expect(sixBefore.relevance).toBeCloseTo(3 * 0.8 + Math.log10(61) / 100, 9);
  });

  it('weighs a burst starting 3 minutes after the asked minute at 0.8, and 4 minutes after at 0.5', () => {
    const threeAfter = placeOrigin5xx(burstFrom(ASKED_INDEX + 3));
    const fourAfter = placeOrigin5xx(burstFrom(ASKED_INDEX + 4));

    expect(threeAfter.minutesBeforeAsked).toBe(-3);
    expect(threeAfter.relevance).toBeCloseTo(3 * 0.8 + Math.log10(61) / 100, 9);
    expect(fourAfter.relevance).toBeCloseTo(3 * 0.5 + Math.log10(61) / 100, 9);
  });

  it('still explains the asked minute with a burst starting 10 minutes after it, but not 11', () => {
    const tenAfter = placeOrigin5xx(burstFrom(ASKED_INDEX + 10));
    const elevenAfter = placeOrigin5xx(burstFrom(ASKED_INDEX + 11));

    expect(tenAfter.nearAsked).toBe(true);
    expect(elevenAfter).toMatchObject({ minutesBeforeAsked: -11, nearAsked: false, presentAtAsked: false });
    expect(elevenAfter.relevance).toBeCloseTo(0.1 + 0.3, 9);
  });

  it('ranks a steady trickle present in the asked minute as a background that explains it', () => {
    expect(placeOrigin5xx(series(2))).toEqual({
      burst: null,
      minutesBeforeAsked: null,
      relevance: 2,
      nearAsked: false,
      presentAtAsked: true,
    });
  });

  it('ranks 5 single errors with one in the asked minute as present, and 4 as strays', () => {
    const five = placeOrigin5xx(strays(10, 40, 150, 170, ASKED_INDEX));
    const four = placeOrigin5xx(strays(10, 40, 150, ASKED_INDEX));

    expect(five).toMatchObject({ burst: null, relevance: 2, presentAtAsked: true });
    expect(four.relevance).toBeCloseTo(1.4, 9);
    expect(four.presentAtAsked).toBe(false);
  });

  it('counts a trickle with an error in the minute beside the asked one as present, a little lower', () => {
    const placement = placeOrigin5xx(strays(10, 40, 150, 170, ASKED_INDEX - 1));

    expect(placement.relevance).toBeCloseTo(1.8, 9);
    expect(placement.presentAtAsked).toBe(true);
  });

  it('ranks errors only elsewhere in the window lowest', () => {
    const placement = placeOrigin5xx(strays(10, 40));

    expect(placement.relevance).toBeCloseTo(0.4, 9);
    expect(placement.presentAtAsked).toBe(false);
  });
});

describe('burstFacts', () => {
  it("gives the burst's minutes as ISO UTC minute starts under the FACT KEYS names", () => {
    const ctx = contextFor(evidenceWith({ requests: series(120), origin_5xx: burstFrom(ASKED_INDEX - 1) }));

    expect(burstFacts(ctx, { start: 89, end: 91, total: 60, peakIndex: 90, peakCount: 30 })).toEqual({
      burstStart: '2026-06-18T19:40:00Z',
      burstEnd: '2026-06-18T19:42:00Z',
      peakCount: 30,
      peakMinute: '2026-06-18T19:41:00Z',
    });
  });

  it('gives no facts without a burst', () => {
    const ctx = contextFor(evidenceWith({ requests: series(120) }));

    expect(burstFacts(ctx, null)).toEqual({});
  });
});

describe('confidenceFrom', () => {
  it.each([
    { nearAsked: true, presentAtAsked: false, corroborated: true, expected: 'high' },
    { nearAsked: true, presentAtAsked: false, corroborated: null, expected: 'medium' },
    { nearAsked: true, presentAtAsked: false, corroborated: false, expected: 'medium' },
    { nearAsked: false, presentAtAsked: true, corroborated: true, expected: 'medium' },
    { nearAsked: false, presentAtAsked: true, corroborated: null, expected: 'low' },
    { nearAsked: false, presentAtAsked: false, corroborated: true, expected: 'low' },
  ] as const)(
    'is $expected for near=$nearAsked, present=$presentAtAsked, corroborated=$corroborated',
    ({ nearAsked, presentAtAsked, corroborated, expected }) => {
      expect(confidenceFrom({ nearAsked, presentAtAsked }, corroborated)).toBe(expected);
    },
  );
});
