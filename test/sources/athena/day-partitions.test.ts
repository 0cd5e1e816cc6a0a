import { describe, expect, it } from 'vitest';
import { dayParameters, dayPartitionsFor } from '../../../src/sources/athena/day-partitions.js';

const window = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

describe('dayPartitionsFor', () => {
  it('reads one day folder for a window well inside a UTC day', () => {
    expect(dayPartitionsFor(window('2026-06-18T18:11:00Z', '2026-06-18T21:11:00Z'))).toEqual(['2026/06/18']);
  });

  it('reads both day folders for a window across midnight UTC', () => {
    expect(dayPartitionsFor(window('2026-06-18T22:35:00Z', '2026-06-19T01:35:00Z'))).toEqual([
      '2026/06/18',
      '2026/06/19',
    ]);
  });

  it("adds the next day when the window ends minutes before midnight: those requests' files are delivered after it", () => {
    expect(dayPartitionsFor(window('2026-06-18T20:58:00Z', '2026-06-18T23:58:00Z'))).toEqual([
      '2026/06/18',
      '2026/06/19',
    ]);
    expect(dayPartitionsFor(window('2026-06-18T20:30:00Z', '2026-06-18T23:30:00Z'))).toEqual(['2026/06/18']);
  });

  it('reads three folders for a 24-hour window that starts minutes before midnight', () => {
    expect(dayPartitionsFor(window('2026-06-30T23:50:00Z', '2026-07-01T23:50:00Z'))).toEqual([
      '2026/06/30',
      '2026/07/01',
      '2026/07/02',
    ]);
  });
});

describe('dayParameters', () => {
  it('fills the three day values, repeating the last', () => {
    expect(dayParameters(['2026/06/18'])).toEqual({ day_1: '2026/06/18', day_2: '2026/06/18', day_3: '2026/06/18' });
    expect(dayParameters(['2026/06/18', '2026/06/19'])).toEqual({
      day_1: '2026/06/18',
      day_2: '2026/06/19',
      day_3: '2026/06/19',
    });
  });

  it('refuses more days than the queries have values for', () => {
    expect(() => dayParameters(['a', 'b', 'c', 'd'])).toThrow('expected 1 to 3 day partitions, got 4');
  });
});
