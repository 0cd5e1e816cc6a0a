import { describe, expect, it } from 'vitest';
import { detectClockShiftMinutes, formatOffset } from '../../src/evidence/clock-shift.js';

const minutes = 180;
const burstAt = (start: number, counts: number[]) =>
  Array.from({ length: minutes }, (_, i) => (i >= start && i < start + counts.length ? counts[i - start]! : 0));
const burst = [5, 20, 40, 35, 12, 4];

describe('detectClockShiftMinutes', () => {
  it('finds the proxy reading an hour ahead of the ALB', () => {
    expect(detectClockShiftMinutes(burstAt(60, burst), burstAt(120, burst))).toBe(60);
  });

  it('finds a shift behind, too', () => {
    expect(detectClockShiftMinutes(burstAt(100, burst), burstAt(70, burst))).toBe(-30);
  });

  it('sees no shift when the two logs agree', () => {
    expect(detectClockShiftMinutes(burstAt(60, burst), burstAt(60, burst))).toBeNull();
  });

  it('does not guess from too few events', () => {
    expect(detectClockShiftMinutes(burstAt(60, [2, 3]), burstAt(120, [2, 3]))).toBeNull();
  });

  it('formats the offset to set', () => {
    expect([formatOffset(60), formatOffset(-330), formatOffset(0)]).toEqual(['+01:00', '-05:30', '+00:00']);
  });
});
