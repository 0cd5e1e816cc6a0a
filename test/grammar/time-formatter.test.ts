import { describe, expect, it } from 'vitest';
import type { ResolvedZone } from '../../src/core/types.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { resolveZone } from '../../src/grammar/zones.js';

const ASKED = new Date('2026-06-18T19:41:00Z');
const BURST_START = new Date('2026-06-18T19:29:00Z');
const BURST_END = new Date('2026-06-18T19:40:00Z');

/** Every output of a formatter for the seed's asked minute and burst. */
function outputsOf(zone: ResolvedZone, referenceInstant?: Date) {
  const formatter = createTimeFormatter(zone, { referenceInstant });
  return {
    minute: formatter.minute(ASKED),
    range: formatter.range(BURST_START, BURST_END),
    localClock: formatter.localClock(ASKED),
    localDate: formatter.localDate(ASKED),
    zoneLabel: formatter.zoneLabel,
  };
}

describe('createTimeFormatter', () => {
  it('shows a fixed abbreviation zone first and UTC second', () => {
    expect(outputsOf(resolveZone('AEST'))).toEqual({
      minute: '05:41 AEST (19:41 UTC)',
      range: '05:29–05:40 AEST (19:29–19:40 UTC)',
      localClock: '05:41',
      localDate: '19 Jun',
      zoneLabel: 'AEST',
    });
  });

  it('shows UTC once, without a duplicate', () => {
    expect(outputsOf(resolveZone('UTC'))).toEqual({
      minute: '19:41 UTC',
      range: '19:29–19:40 UTC',
      localClock: '19:41',
      localDate: '18 Jun',
      zoneLabel: 'UTC',
    });
  });

  it('shows numeric offsets by their label', () => {
    expect(createTimeFormatter(resolveZone('+10:00')).minute(ASKED)).toBe('05:41 +10:00 (19:41 UTC)');
    expect(createTimeFormatter(resolveZone('UTC-5')).minute(ASKED)).toBe('14:41 UTC-5 (19:41 UTC)');
  });

  it("shows a known region's abbreviation for the offset in force at each instant", () => {
    const sydney = createTimeFormatter(resolveZone('Australia/Sydney'));

    expect(sydney.minute(ASKED)).toBe('05:41 AEST (19:41 UTC)');
    expect(sydney.minute(new Date('2026-01-14T19:41:00Z'))).toBe('06:41 AEDT (19:41 UTC)');
    expect(createTimeFormatter(resolveZone('Australia/Melbourne')).minute(ASKED)).toBe('05:41 AEST (19:41 UTC)');
    expect(createTimeFormatter(resolveZone('America/New_York')).minute(ASKED)).toBe('15:41 EDT (19:41 UTC)');
    expect(createTimeFormatter(resolveZone('Europe/London')).minute(new Date('2026-01-15T08:30:00Z'))).toBe(
      '08:30 GMT (08:30 UTC)',
    );
  });

  it('labels the IANA zone by its name, or by its clock at a reference instant', () => {
    expect(outputsOf(resolveZone('Australia/Sydney')).zoneLabel).toBe('Australia/Sydney');
    expect(outputsOf(resolveZone('Australia/Sydney'), new Date('2026-01-14T19:41:00Z')).zoneLabel).toBe('AEDT');
  });

  it('falls back to a UTC offset for a zone without known abbreviations', () => {
    expect(outputsOf(resolveZone('Asia/Kolkata'))).toEqual({
      minute: '01:11 UTC+5:30 (19:41 UTC)',
      range: '00:59–01:10 UTC+5:30 (19:29–19:40 UTC)',
      localClock: '01:11',
      localDate: '19 Jun',
      zoneLabel: 'Asia/Kolkata',
    });
  });

  it('shows an IANA zone at offset 0 as plain UTC', () => {
    expect(createTimeFormatter(resolveZone('Etc/UTC')).minute(ASKED)).toBe('19:41 UTC');
  });

  it('labels each end of a range that crosses a clock change', () => {
    const sydney = createTimeFormatter(resolveZone('Australia/Sydney'));

    expect(sydney.range(new Date('2026-04-04T15:30:00Z'), new Date('2026-04-04T16:40:00Z'))).toBe(
      '02:30 AEDT–02:40 AEST (15:30–16:40 UTC)',
    );
  });

  it('prints Sydney wall times that do not exist on the machine (New York gap) as they are', () => {
    const sydney = createTimeFormatter(resolveZone('Australia/Sydney'));

    expect(sydney.minute(new Date('2026-03-07T15:30:00Z'))).toBe('02:30 AEDT (15:30 UTC)');
    expect(sydney.localDate(new Date('2026-03-07T15:30:00Z'))).toBe('8 Mar');
  });
});
