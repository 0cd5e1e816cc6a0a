import { describe, expect, it } from 'vitest';
import { ianaOffsetMinutesAt, wallMsInIanaZone } from '../../src/grammar/wall-clock.js';

describe('wallMsInIanaZone', () => {
  it('keeps years 0–99 as typed rather than reading them as 1900–1999', () => {
    const instant = new Date('0050-06-01T00:00:00Z');

    expect(wallMsInIanaZone('UTC', instant)).toBe(instant.getTime());
  });
});

describe('ianaOffsetMinutesAt', () => {
  it("gives Sydney's local mean time (UTC+10:04:52, rounded) in year 50, not millions of hours", () => {
    expect(ianaOffsetMinutesAt('Australia/Sydney', new Date('0050-06-01T00:00:00Z'))).toBe(605);
  });

  it('gives AEST in June 2026', () => {
    expect(ianaOffsetMinutesAt('Australia/Sydney', new Date('2026-06-01T00:00:00Z'))).toBe(600);
  });
});
