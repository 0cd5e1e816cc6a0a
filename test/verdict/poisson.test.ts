import { describe, expect, it } from 'vitest';
import { poissonLowerTail, poissonUpperTail } from '../../src/verdict/poisson.js';

describe('poissonUpperTail', () => {
  it('matches the closed form for small counts', () => {
    const lambda = 0.025;
    const exact = 1 - Math.exp(-lambda) * (1 + lambda);

    expect(poissonUpperTail(2, lambda)).toBeCloseTo(exact, 12);
    expect(poissonUpperTail(0, lambda)).toBe(1);
  });

  it('is tiny for five failures where a fortieth of one is expected, and moderate for two', () => {
    expect(poissonUpperTail(5, 0.025)).toBeLessThan(1e-9);
    expect(poissonUpperTail(2, 0.025)).toBeGreaterThan(1e-4);
  });

  it('stays accurate far in the tail of a large mean', () => {
    expect(poissonUpperTail(600, 460)).toBeLessThan(1e-9);
    expect(poissonUpperTail(460, 460)).toBeCloseTo(0.5, 1);
  });
});

describe('poissonLowerTail', () => {
  it('is e^-λ for zero and sums to one with the upper tail', () => {
    expect(poissonLowerTail(0, 3)).toBeCloseTo(Math.exp(-3), 12);
    expect(poissonLowerTail(4, 3) + poissonUpperTail(5, 3)).toBeCloseTo(1, 12);
    expect(poissonLowerTail(200, 460)).toBeLessThan(1e-30);
  });
});
