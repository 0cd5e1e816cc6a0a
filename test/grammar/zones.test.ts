import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatUtcLabel, formatUtcOffset, offsetMinutesAt, resolveZone } from '../../src/grammar/zones.js';

function usageErrorFrom(act: () => unknown): UsageError {
  try {
    act();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

describe('resolveZone', () => {
  it.each([
    ['AEST', 600],
    ['AEDT', 660],
    ['ACST', 570],
    ['ACDT', 630],
    ['AWST', 480],
    ['NZST', 720],
    ['NZDT', 780],
    ['PST', -480],
    ['PDT', -420],
    ['MST', -420],
    ['MDT', -360],
    ['CST', -360],
    ['CDT', -300],
    ['EST', -300],
    ['EDT', -240],
    ['BST', 60],
    ['CET', 60],
    ['CEST', 120],
    ['JST', 540],
    ['SGT', 480],
  ])('maps the abbreviation %s to its fixed offset of %i minutes', (abbreviation, offsetMinutes) => {
    const zone = resolveZone(abbreviation);

    expect(zone).toEqual({ kind: 'fixed', label: abbreviation, offsetMinutes });
  });

  it('reads abbreviations in any case and around spaces', () => {
    expect(resolveZone(' aest ')).toEqual({ kind: 'fixed', label: 'AEST', offsetMinutes: 600 });
    expect(resolveZone('Bst')).toEqual({ kind: 'fixed', label: 'BST', offsetMinutes: 60 });
  });

  it.each(['UTC', 'utc', 'Z', 'z', 'GMT', 'gmt'])('reads %s as UTC', (token) => {
    expect(resolveZone(token)).toEqual({ kind: 'fixed', label: 'UTC', offsetMinutes: 0 });
  });

  it.each([
    ['+10:00', '+10:00', 600],
    ['+1000', '+10:00', 600],
    ['+10', '+10:00', 600],
    ['-05:30', '-05:30', -330],
    ['+5:45', '+05:45', 345],
    ['-0930', '-09:30', -570],
    ['UTC+10', 'UTC+10', 600],
    ['utc+10:30', 'UTC+10:30', 630],
    ['GMT-5', 'UTC-5', -300],
    ['UTC-03:30', 'UTC-3:30', -210],
    ['+14:00', '+14:00', 840],
    ['-12:00', '-12:00', -720],
  ])('reads the numeric offset %s as a fixed zone labelled %s', (token, label, offsetMinutes) => {
    expect(resolveZone(token)).toEqual({ kind: 'fixed', label, offsetMinutes });
  });

  it('reads a zero offset as UTC', () => {
    expect(resolveZone('+00:00')).toEqual({ kind: 'fixed', label: 'UTC', offsetMinutes: 0 });
    expect(resolveZone('UTC+0')).toEqual({ kind: 'fixed', label: 'UTC', offsetMinutes: 0 });
  });

  it.each([
    ['Australia/Sydney', 'Australia/Sydney'],
    ['America/New_York', 'America/New_York'],
    ['Etc/UTC', 'Etc/UTC'],
    ['australia/sydney', 'Australia/Sydney'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
  ])('accepts the IANA name %s', (token, name) => {
    expect(resolveZone(token)).toEqual({ kind: 'iana', label: name, name });
  });

  it.each(['IST', 'EET', 'HST', 'Sydney', 'Australia', 'Foo/Bar', 'EST5EDT', 'CST6CDT', ''])(
    'rejects %j with a message naming it and a hint listing the supported forms',
    (token) => {
      const error = usageErrorFrom(() => resolveZone(token));

      expect(error.message).toBe(`Unknown time zone "${token}".`);
      expect(error.hint).toBe(
        'Use UTC, an abbreviation (AEST AEDT ACST ACDT AWST NZST NZDT PST PDT MST MDT CST CDT EST EDT ' +
          'BST CET CEST JST SGT), an offset (+10:00, UTC+10) or an IANA name (Australia/Sydney), e.g. "05:41 AEST".',
      );
    },
  );

  it.each(['+15:00', '-13', '+10:75', 'UTC+24'])('rejects the offset %s as not in use', (token) => {
    const error = usageErrorFrom(() => resolveZone(token));

    expect(error.message).toBe(`"${token}" is not a UTC offset in use: offsets run from -12:00 to +14:00.`);
  });

  it('never lets Intl guess an abbreviation: BST is London summer time, not Bangladesh', () => {
    expect(offsetMinutesAt(resolveZone('BST'), new Date('2026-06-19T00:00:00Z'))).toBe(60);
  });
});

describe('offsetMinutesAt', () => {
  const sydney = resolveZone('Australia/Sydney');

  it('gives an IANA zone its offset on the date: Sydney is +11 in January and +10 in June', () => {
    expect(offsetMinutesAt(sydney, new Date('2026-01-15T00:00:00Z'))).toBe(660);
    expect(offsetMinutesAt(sydney, new Date('2026-06-15T00:00:00Z'))).toBe(600);
  });

  it('changes exactly at the transition instant (where date-fns-tz getTimezoneOffset is an hour late)', () => {
    expect(offsetMinutesAt(sydney, new Date('2026-10-03T15:59:59Z'))).toBe(600);
    expect(offsetMinutesAt(sydney, new Date('2026-10-03T16:00:00Z'))).toBe(660);
    expect(offsetMinutesAt(sydney, new Date('2026-10-03T16:30:00Z'))).toBe(660);
    expect(offsetMinutesAt(sydney, new Date('2026-04-04T15:59:59Z'))).toBe(660);
    expect(offsetMinutesAt(sydney, new Date('2026-04-04T16:00:00Z'))).toBe(600);
  });

  it('gives a fixed zone its offset whatever the date', () => {
    expect(offsetMinutesAt(resolveZone('AEST'), new Date('2026-01-15T00:00:00Z'))).toBe(600);
    expect(offsetMinutesAt(resolveZone('-05:30'), new Date('2026-07-15T00:00:00Z'))).toBe(-330);
  });
});

describe('formatUtcOffset', () => {
  it.each([
    [600, '+10:00'],
    [570, '+09:30'],
    [-330, '-05:30'],
    [-720, '-12:00'],
    [0, '+00:00'],
  ])('formats %i minutes as %s', (minutes, text) => {
    expect(formatUtcOffset(minutes)).toBe(text);
  });
});

describe('formatUtcLabel', () => {
  it.each([
    [600, 'UTC+10'],
    [570, 'UTC+9:30'],
    [-300, 'UTC-5'],
    [345, 'UTC+5:45'],
    [0, 'UTC+0'],
  ])('formats %i minutes as %s', (minutes, text) => {
    expect(formatUtcLabel(minutes)).toBe(text);
  });
});
