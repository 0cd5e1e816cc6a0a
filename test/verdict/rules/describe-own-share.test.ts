import { describe, expect, it } from 'vitest';
import { describeOwnShare } from '../../../src/verdict/rules/describe-own-share.js';
import { contextFor, evidenceWith, series } from '../../support/evidence-builder.js';

const albContext = contextFor(evidenceWith({ requests: series(120) }));
const gcpContext = contextFor(evidenceWith({ requests: series(120) }, {}, { stack: { loadBalancer: 'gcp' } }));

describe('describeOwnShare', () => {
  it('says "no more than usual" for 13 LB-minted 502s where 4 were expected', () => {
    const sentence = describeOwnShare(albContext, { count: 13, expected: 4, usualPerMinute: 1 });

    expect(sentence).toBe(
      'acme had 13 LB-minted 502s in those minutes, about 4 expected at its usual ~1/min: no more than usual.',
    );
  });

  it('says "more than usual" from 14 where 4 were expected (chance below 1 in 10,000)', () => {
    const sentence = describeOwnShare(albContext, { count: 14, expected: 4, usualPerMinute: 1 });

    expect(sentence).toBe(
      'acme had 14 LB-minted 502s in those minutes, about 4 expected at its usual ~1/min: more than usual, see its own findings.',
    );
  });

  it("judges against at least half an error, so 2 on a near-silent index stay usual, and keeps the rate's decimal", () => {
    const sentence = describeOwnShare(albContext, { count: 2, expected: 0.2, usualPerMinute: 0.05 });

    expect(sentence).toBe(
      'acme had 2 LB-minted 502s in those minutes, about 0 expected at its usual ~0.1/min: no more than usual.',
    );
  });

  it('says "LB-minted errors" on Google Cloud', () => {
    const sentence = describeOwnShare(gcpContext, { count: 4, expected: 4, usualPerMinute: 1 });

    expect(sentence).toBe(
      'acme had 4 LB-minted errors in those minutes, about 4 expected at its usual ~1/min: no more than usual.',
    );
  });
});
