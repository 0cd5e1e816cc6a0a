import { describe, expect, it } from 'vitest';
import { queryCostUsd } from '../../../src/sources/athena/query-cost.js';

describe('queryCostUsd', () => {
  it('charges $5 per TB scanned, rounded up to the megabyte, at least 10 MB a query', () => {
    expect(queryCostUsd({ succeeded: true, reused: false, bytesScanned: 2_500_000 })).toBe(0.00005);
    expect(queryCostUsd({ succeeded: true, reused: false, bytesScanned: 1_000_000_001 })).toBeCloseTo(0.005005, 9);
    expect(queryCostUsd({ succeeded: true, reused: false, bytesScanned: 200_000_000_000 })).toBe(1);
  });

  it('charges nothing for a reused result or a failed query', () => {
    expect(queryCostUsd({ succeeded: true, reused: true, bytesScanned: 0 })).toBe(0);
    expect(queryCostUsd({ succeeded: false, reused: false, bytesScanned: 0 })).toBe(0);
  });
});
