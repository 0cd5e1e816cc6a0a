import { describe, expect, it } from 'vitest';
import type { AskedTime } from '../../src/core/types.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { resolveAskedTime } from '../../src/grammar/parse-time.js';

function usageErrorFrom(act: () => unknown): UsageError {
  try {
    act();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

/** 10:00 AEST on 19 Jun 2026, the morning after the seed incident. */
const NOW = new Date('2026-06-19T00:00:00Z');
const LATE_2026 = new Date('2026-12-01T00:00:00Z');

const AEST = { kind: 'fixed', label: 'AEST', offsetMinutes: 600 } as const;
const UTC = { kind: 'fixed', label: 'UTC', offsetMinutes: 0 } as const;
const SYDNEY = { kind: 'iana', label: 'Australia/Sydney', name: 'Australia/Sydney' } as const;

/** The instant (ISO) a time resolves to, for tests where only the instant matters. */
function instantOf(timeTokens: string[], zone: string | undefined, now = NOW, defaultZone?: string): string {
  return resolveAskedTime(timeTokens, zone, { now, defaultZone }).instant.toISOString();
}

describe('resolveAskedTime', () => {
  it('resolves the seed case: 05:41 AEST asked the next morning is 19:41 UTC the day before', () => {
    const asked = resolveAskedTime(['05:41'], 'AEST', { now: NOW });

    expect(asked).toEqual<AskedTime>({
      input: '05:41 AEST',
      zone: AEST,
      utcOffset: '+10:00',
      instant: new Date('2026-06-18T19:41:00Z'),
      at: new Date('2026-06-18T19:41:00Z'),
      notes: [],
    });
  });

  it('keeps the seconds in the instant and floors `at` to the minute', () => {
    const asked = resolveAskedTime(['05:41:07'], 'AEST', { now: NOW });

    expect([asked.instant.toISOString(), asked.at.toISOString(), asked.input]).toEqual([
      '2026-06-18T19:41:07.000Z',
      '2026-06-18T19:41:00.000Z',
      '05:41:07 AEST',
    ]);
  });

  it('reads H:MM with a single-digit hour', () => {
    expect(instantOf(['5:41'], 'AEST')).toBe('2026-06-18T19:41:00.000Z');
  });

  describe('am/pm', () => {
    it.each([
      [['5:41am'], '2026-06-18T19:41:00.000Z'],
      [['5:41', 'AM'], '2026-06-18T19:41:00.000Z'],
      [['5:41AM'], '2026-06-18T19:41:00.000Z'],
      [['5:41', 'a.m.'], '2026-06-18T19:41:00.000Z'],
      [['5:41pm'], '2026-06-18T07:41:00.000Z'],
      [['5:41', 'PM'], '2026-06-18T07:41:00.000Z'],
      [['5:41:07pm'], '2026-06-18T07:41:07.000Z'],
      [['12:05am'], '2026-06-18T14:05:00.000Z'],
      [['12:30pm'], '2026-06-18T02:30:00.000Z'],
      [['12:00', 'pm'], '2026-06-18T02:00:00.000Z'],
      [['11:59pm'], '2026-06-18T13:59:00.000Z'],
    ])('reads %j AEST as %s', (tokens, instant) => {
      expect(instantOf(tokens, 'AEST')).toBe(instant);
    });

    it('reads 12:05am as five past midnight and 12:30pm as half past noon', () => {
      expect(instantOf(['12:05am'], 'UTC')).toBe('2026-06-18T00:05:00.000Z');
      expect(instantOf(['12:30pm'], 'UTC')).toBe('2026-06-18T12:30:00.000Z');
    });

    it('refuses 13:00pm, which mixes 24-hour time with pm', () => {
      const error = usageErrorFrom(() => resolveAskedTime(['13:00pm'], 'UTC', { now: NOW }));

      expect([error.message, error.hint]).toEqual([
        '"13:00pm" mixes 24-hour time with am/pm.',
        'Write "13:00" or "1:00pm".',
      ]);
    });

    it.each([
      [['5am'], '2026-06-18T05:00:00.000Z'],
      [['5', 'pm'], '2026-06-18T17:00:00.000Z'],
      [['5', 'P.M.'], '2026-06-18T17:00:00.000Z'],
      [['12am'], '2026-06-19T00:00:00.000Z'], // exactly now, which has passed
      [['12pm'], '2026-06-18T12:00:00.000Z'],
      [['11a.m.'], '2026-06-18T11:00:00.000Z'],
      [['2026-06-17', '5pm'], '2026-06-17T17:00:00.000Z'],
      [['2026-06-17', '5', 'am'], '2026-06-17T05:00:00.000Z'],
    ])('reads the hour-only %j UTC as on the hour: %s', (tokens, instant) => {
      expect(instantOf(tokens, 'UTC')).toBe(instant);
    });

    it('refuses an hour-only time outside 1–12 with a hint written with minutes', () => {
      const zero = usageErrorFrom(() => resolveAskedTime(['0am'], 'UTC', { now: NOW }));
      const thirteen = usageErrorFrom(() => resolveAskedTime(['13', 'pm'], 'UTC', { now: NOW }));

      expect([zero, thirteen].map((error) => [error.message, error.hint])).toEqual([
        ['"0am": with am/pm the hour runs 1–12.', 'Write "12:00am" or "00:00".'],
        ['"13 pm" mixes 24-hour time with am/pm.', 'Write "13:00" or "1:00pm".'],
      ]);
    });

    it('refuses hour 0 with am', () => {
      const error = usageErrorFrom(() => resolveAskedTime(['0:30', 'am'], 'UTC', { now: NOW }));

      expect([error.message, error.hint]).toEqual([
        '"0:30 am": with am/pm the hour runs 1–12.',
        'Write "12:30am" or "00:30".',
      ]);
    });
  });

  describe('dates and ISO 8601', () => {
    it('reads a date before the time', () => {
      const asked = resolveAskedTime(['2026-06-19', '05:41'], 'AEST', { now: NOW });

      expect([asked.instant.toISOString(), asked.input]).toEqual(['2026-06-18T19:41:00.000Z', '2026-06-19 05:41 AEST']);
    });

    it('reads a date and time typed as one token', () => {
      expect(instantOf(['2026-06-19 05:41'], 'AEST')).toBe('2026-06-18T19:41:00.000Z');
    });

    it('reads a date with an am/pm time', () => {
      expect(instantOf(['2026-06-18', '5:41', 'pm'], 'AEST')).toBe('2026-06-18T07:41:00.000Z');
    });

    it('reads ISO 8601 without an offset in the given zone', () => {
      expect(instantOf(['2026-06-19T05:41'], 'AEST')).toBe('2026-06-18T19:41:00.000Z');
      expect(instantOf(['2026-06-19T05:41:07'], 'Australia/Sydney')).toBe('2026-06-18T19:41:07.000Z');
    });

    it('lets an ISO Z time fix the zone as UTC', () => {
      const asked = resolveAskedTime(['2026-06-18T19:41:00Z'], undefined, {
        now: NOW,
        defaultZone: 'Australia/Sydney',
      });

      expect(asked).toEqual<AskedTime>({
        input: '2026-06-18T19:41:00Z',
        zone: UTC,
        utcOffset: '+00:00',
        instant: new Date('2026-06-18T19:41:00Z'),
        at: new Date('2026-06-18T19:41:00Z'),
        notes: [],
      });
    });

    it('labels the zone of an ISO time by its own offset when no zone is typed', () => {
      const asked = resolveAskedTime(['2026-06-19T05:41+10:00'], undefined, { now: NOW });

      expect(asked).toEqual<AskedTime>({
        input: '2026-06-19T05:41+10:00',
        zone: { kind: 'fixed', label: '+10:00', offsetMinutes: 600 },
        utcOffset: '+10:00',
        instant: new Date('2026-06-18T19:41:00Z'),
        at: new Date('2026-06-18T19:41:00Z'),
        notes: [],
      });
    });

    it('reads ISO offsets written +1000 and +10, and fractional seconds', () => {
      expect(instantOf(['2026-06-19T05:41+1000'], undefined)).toBe('2026-06-18T19:41:00.000Z');
      expect(instantOf(['2026-06-19T05:41:30+10'], undefined)).toBe('2026-06-18T19:41:30.000Z');
      expect(instantOf(['2026-06-18T19:41:00.250Z'], undefined)).toBe('2026-06-18T19:41:00.000Z');
    });

    it('reads a date and a time with an offset typed as two tokens', () => {
      expect(instantOf(['2026-06-19', '05:41+10:00'], undefined)).toBe('2026-06-18T19:41:00.000Z');
    });

    it('accepts a zone token that agrees with the ISO offset and keeps that zone', () => {
      const withAbbreviation = resolveAskedTime(['2026-06-19T05:41+10:00'], 'AEST', { now: NOW });
      const withIana = resolveAskedTime(['2026-06-19T05:41+10:00'], 'Australia/Sydney', { now: NOW });

      expect([withAbbreviation.zone, withAbbreviation.instant.toISOString()]).toEqual([
        AEST,
        '2026-06-18T19:41:00.000Z',
      ]);
      expect([withIana.zone, withIana.utcOffset]).toEqual([SYDNEY, '+10:00']);
    });

    it('refuses a zone token that disagrees with the ISO offset', () => {
      const error = usageErrorFrom(() => resolveAskedTime(['2026-06-19T05:41+10:00'], 'EST', { now: NOW }));

      expect([error.message, error.hint]).toEqual([
        '"2026-06-19T05:41+10:00" carries its own offset, +10:00, but EST was at -05:00 then.',
        'Give the offset or the zone, not both: "2026-06-19T05:41+10:00" alone, or the time without its offset followed by the zone.',
      ]);
    });

    it('refuses Z with a non-UTC zone, and an IANA zone on the wrong side of DST', () => {
      expect(usageErrorFrom(() => resolveAskedTime(['2026-06-18T19:41:00Z'], 'AEST', { now: NOW })).message).toBe(
        '"2026-06-18T19:41:00Z" carries its own offset, +00:00, but AEST was at +10:00 then.',
      );
      expect(
        usageErrorFrom(() => resolveAskedTime(['2026-06-19T05:41+11:00'], 'Australia/Sydney', { now: NOW })).message,
      ).toBe('"2026-06-19T05:41+11:00" carries its own offset, +11:00, but Australia/Sydney was at +10:00 then.');
    });
  });

  describe('zone omitted', () => {
    it("uses the config's timezone", () => {
      const asked = resolveAskedTime(['05:41'], undefined, { now: NOW, defaultZone: 'Australia/Sydney' });

      expect([asked.zone, asked.instant.toISOString(), asked.utcOffset, asked.input]).toEqual([
        SYDNEY,
        '2026-06-18T19:41:00.000Z',
        '+10:00',
        '05:41',
      ]);
    });

    it('uses UTC when there is no configured timezone', () => {
      const asked = resolveAskedTime(['05:41'], undefined, { now: NOW });

      expect([asked.zone, asked.instant.toISOString()]).toEqual([UTC, '2026-06-18T05:41:00.000Z']);
    });

    it('prefers a typed zone over the configured one', () => {
      expect(instantOf(['05:41'], 'UTC', NOW, 'Australia/Sydney')).toBe('2026-06-18T05:41:00.000Z');
    });

    it('reports a configured timezone it does not know as a config error', () => {
      const act = () => resolveAskedTime(['05:41'], undefined, { now: NOW, defaultZone: 'IST' });

      expect(act).toThrow(ConfigError);
      expect(act).toThrow(`The config's timezone "IST" is not a zone I know.`);
    });
  });

  describe('a time without a date is the most recent occurrence not after now', () => {
    it('takes today when the time has just passed', () => {
      const now = new Date('2026-06-18T19:41:30Z'); // 05:41:30 AEST

      expect(instantOf(['05:41'], 'AEST', now)).toBe('2026-06-18T19:41:00.000Z');
    });

    it('takes yesterday when the time is a minute ahead of now', () => {
      const now = new Date('2026-06-18T19:41:30Z');

      expect(instantOf(['05:42'], 'AEST', now)).toBe('2026-06-17T19:42:00.000Z');
    });

    it('takes yesterday when the seconds are ahead of now', () => {
      const now = new Date('2026-06-18T19:41:30Z');

      expect(instantOf(['05:41:45'], 'AEST', now)).toBe('2026-06-17T19:41:45.000Z');
    });

    it('accepts exactly now', () => {
      expect(instantOf(['00:00'], 'UTC')).toBe('2026-06-19T00:00:00.000Z');
    });

    it.each([
      ['23:59', 'UTC', '2026-06-18T23:59:00.000Z'],
      ['00:01', 'UTC', '2026-06-18T00:01:00.000Z'],
      ['09:59', 'AEST', '2026-06-18T23:59:00.000Z'],
      ['10:01', 'AEST', '2026-06-18T00:01:00.000Z'],
      ['23:30', 'AEST', '2026-06-18T13:30:00.000Z'],
      ['20:00', 'EDT', '2026-06-19T00:00:00.000Z'],
      ['20:01', 'EDT', '2026-06-18T00:01:00.000Z'],
      ['19:00', 'America/New_York', '2026-06-18T23:00:00.000Z'],
      ['23:30', 'America/Los_Angeles', '2026-06-18T06:30:00.000Z'],
      ['09:30', '+09:30', '2026-06-19T00:00:00.000Z'],
    ])('reads %s %s, around midnight in that zone, as %s', (time, zone, instant) => {
      expect(instantOf([time], zone)).toBe(instant);
    });

    it("uses the zone's own today, not UTC's: 23:00 AEST at 00:30 UTC is the same UTC day", () => {
      const now = new Date('2026-06-19T00:30:00Z'); // 10:30 AEST on 19 Jun

      expect(instantOf(['23:00'], 'AEST', now)).toBe('2026-06-18T13:00:00.000Z');
      expect(instantOf(['10:15'], 'AEST', now)).toBe('2026-06-19T00:15:00.000Z');
    });
  });

  describe('future times', () => {
    it('refuses a date and time after now, saying what time it is now in that zone', () => {
      const error = usageErrorFrom(() => resolveAskedTime(['2026-06-19', '10:01'], 'AEST', { now: NOW }));

      expect([error.message, error.hint]).toEqual([
        '"2026-06-19 10:01 AEST" is in the future: it is now 10:00 AEST (00:00 UTC) on 19 Jun 2026.',
        'Ask about a time that has passed. Without a date, "05:41" means the most recent 05:41.',
      ]);
    });

    it('refuses an ISO time one second after now', () => {
      const error = usageErrorFrom(() => resolveAskedTime(['2026-06-19T00:00:01Z'], undefined, { now: NOW }));

      expect(error.message).toBe('"2026-06-19T00:00:01Z" is in the future: it is now 00:00 UTC on 19 Jun 2026.');
    });

    it('refuses a future date in an IANA zone', () => {
      const error = usageErrorFrom(() => resolveAskedTime(['2027-01-01', '00:00'], 'Australia/Sydney', { now: NOW }));

      expect(error.message).toBe(
        '"2027-01-01 00:00 Australia/Sydney" is in the future: it is now 10:00 AEST (00:00 UTC) on 19 Jun 2026.',
      );
    });
  });

  describe('notes on abbreviations that disagree with their region', () => {
    it('explains AEST typed for a January date, when Sydney is on AEDT', () => {
      const asked = resolveAskedTime(['2026-01-15', '05:41'], 'AEST', { now: NOW });

      expect([asked.instant.toISOString(), asked.utcOffset, asked.notes]).toEqual([
        '2026-01-14T19:41:00.000Z',
        '+10:00',
        [
          'AEST is UTC+10, but on 15 Jan 2026 Sydney was on AEDT (UTC+11): 05:41 AEST is 06:41 Sydney time. Using 05:41 AEST as typed.',
        ],
      ]);
    });

    it('explains AEDT typed for a July date, when Sydney is on AEST', () => {
      const asked = resolveAskedTime(['2025-07-15', '05:41'], 'AEDT', { now: NOW });

      expect(asked.notes).toEqual([
        'AEDT is UTC+11, but on 15 Jul 2025 Sydney was on AEST (UTC+10): 05:41 AEDT is 04:41 Sydney time. Using 05:41 AEDT as typed.',
      ]);
    });

    it('explains BST typed for a January date, when London is on GMT', () => {
      const asked = resolveAskedTime(['2026-01-15', '09:30'], 'BST', { now: NOW });

      expect([asked.instant.toISOString(), asked.notes]).toEqual([
        '2026-01-15T08:30:00.000Z',
        [
          'BST is UTC+1, but on 15 Jan 2026 London was on GMT (UTC+0): 09:30 BST is 08:30 London time. Using 09:30 BST as typed.',
        ],
      ]);
    });

    it('explains EDT typed in December, when New York is on EST', () => {
      const asked = resolveAskedTime(['2025-12-15', '05:41'], 'EDT', { now: NOW });

      expect(asked.notes).toEqual([
        'EDT is UTC-4, but on 15 Dec 2025 New York was on EST (UTC-5): 05:41 EDT is 04:41 New York time. Using 05:41 EDT as typed.',
      ]);
    });

    it('explains ACST in January (Adelaide on ACDT) and names the other day when the region is past midnight', () => {
      const asked = resolveAskedTime(['2026-01-15', '23:45'], 'ACST', { now: NOW });

      expect(asked.notes).toEqual([
        'ACST is UTC+9:30, but on 15 Jan 2026 Adelaide was on ACDT (UTC+10:30): 23:45 ACST is 00:45 on 16 Jan Adelaide time. Using 23:45 ACST as typed.',
      ]);
    });

    it('adds the note for a time without a date, and for an ISO time with an agreeing abbreviation', () => {
      const january = new Date('2026-01-20T00:00:00Z');

      expect(resolveAskedTime(['05:41'], 'CET', { now: new Date('2026-07-20T00:00:00Z') }).notes).toEqual([
        'CET is UTC+1, but on 19 Jul 2026 Paris was on CEST (UTC+2): 05:41 CET is 06:41 Paris time. Using 05:41 CET as typed.',
      ]);
      expect(resolveAskedTime(['2026-01-15T05:41+10:00'], 'AEST', { now: january }).notes).toEqual([
        'AEST is UTC+10, but on 15 Jan 2026 Sydney was on AEDT (UTC+11): 05:41 AEST is 06:41 Sydney time. Using 05:41 AEST as typed.',
      ]);
    });

    it('adds no note when the abbreviation matches its region, or has no DST', () => {
      expect(resolveAskedTime(['05:41'], 'AEST', { now: NOW }).notes).toEqual([]);
      expect(resolveAskedTime(['2026-01-15', '05:41'], 'AEDT', { now: NOW }).notes).toEqual([]);
      expect(resolveAskedTime(['2026-01-15', '05:41'], 'JST', { now: NOW }).notes).toEqual([]);
      expect(resolveAskedTime(['2026-01-15', '05:41'], '+10:00', { now: NOW }).notes).toEqual([]);
    });
  });

  describe('DST gaps and overlaps in an IANA zone', () => {
    it('reads a Sydney gap time with the offset before the jump, and says so', () => {
      const asked = resolveAskedTime(['2026-10-04', '02:30'], 'Australia/Sydney', { now: LATE_2026 });

      expect(asked).toEqual<AskedTime>({
        input: '2026-10-04 02:30 Australia/Sydney',
        zone: SYDNEY,
        utcOffset: '+10:00',
        instant: new Date('2026-10-03T16:30:00Z'),
        at: new Date('2026-10-03T16:30:00Z'),
        notes: [
          '02:30 on 4 Oct 2026 does not exist in Australia/Sydney: clocks went forward from 02:00 to 03:00 ' +
            '(AEST, UTC+10 → AEDT, UTC+11). Using 02:30 AEST (UTC+10), the offset in force just before the change: ' +
            '16:30 UTC on 3 Oct. If you meant 02:30 AEDT (UTC+11), that is 15:30 UTC on 3 Oct; type "2026-10-04 02:30 AEDT".',
        ],
      });
    });

    it('takes the first occurrence of a Sydney overlap time and gives both instants', () => {
      const asked = resolveAskedTime(['2026-04-05', '02:30'], 'Australia/Sydney', { now: LATE_2026 });

      expect(asked).toEqual<AskedTime>({
        input: '2026-04-05 02:30 Australia/Sydney',
        zone: SYDNEY,
        utcOffset: '+11:00',
        instant: new Date('2026-04-04T15:30:00Z'),
        at: new Date('2026-04-04T15:30:00Z'),
        notes: [
          '02:30 on 5 Apr 2026 happened twice in Australia/Sydney: clocks went back from 03:00 to 02:00 ' +
            '(AEDT, UTC+11 → AEST, UTC+10). Using the first, 02:30 AEDT (UTC+11) = 15:30 UTC on 4 Apr; ' +
            'the second, 02:30 AEST (UTC+10), was 16:30 UTC on 4 Apr. ' +
            'To choose, type "2026-04-05 02:30 AEDT" or "2026-04-05 02:30 AEST".',
        ],
      });
    });

    it('lets an abbreviation pick either occurrence of the overlap, without a clock-change note', () => {
      expect(instantOf(['2026-04-05', '02:30'], 'AEDT', LATE_2026)).toBe('2026-04-04T15:30:00.000Z');
      expect(instantOf(['2026-04-05', '02:30'], 'AEST', LATE_2026)).toBe('2026-04-04T16:30:00.000Z');
      expect(resolveAskedTime(['2026-04-05', '02:30'], 'AEST', { now: LATE_2026 }).notes).toEqual([]);
    });

    it('applies the overlap rule to a time without a date and to the configured zone', () => {
      const now = new Date('2026-04-04T17:00:00Z'); // 03:00 AEST on 5 Apr, after both 02:30s

      const asked = resolveAskedTime(['2:30am'], undefined, { now, defaultZone: 'Australia/Sydney' });

      expect([asked.instant.toISOString(), asked.notes.length]).toEqual(['2026-04-04T15:30:00.000Z', 1]);
    });

    it('resolves the edges of the gap and overlap without notes', () => {
      expect(resolveAskedTime(['2026-10-04', '01:59'], 'Australia/Sydney', { now: LATE_2026 }).notes).toEqual([]);
      expect(instantOf(['2026-10-04', '03:00'], 'Australia/Sydney', LATE_2026)).toBe('2026-10-03T16:00:00.000Z');
      expect(resolveAskedTime(['2026-04-05', '03:00'], 'Australia/Sydney', { now: LATE_2026 }).notes).toEqual([]);
      expect(resolveAskedTime(['2026-04-05', '01:59'], 'Australia/Sydney', { now: LATE_2026 }).notes).toEqual([]);
    });

    it('names the US zone abbreviations in a New York gap', () => {
      const asked = resolveAskedTime(['2026-03-08', '02:30'], 'America/New_York', { now: LATE_2026 });

      expect([asked.instant.toISOString(), asked.notes]).toEqual([
        '2026-03-08T07:30:00.000Z',
        [
          '02:30 on 8 Mar 2026 does not exist in America/New_York: clocks went forward from 02:00 to 03:00 ' +
            '(EST, UTC-5 → EDT, UTC-4). Using 02:30 EST (UTC-5), the offset in force just before the change: ' +
            '07:30 UTC on 8 Mar. If you meant 02:30 EDT (UTC-4), that is 06:30 UTC on 8 Mar; type "2026-03-08 02:30 EDT".',
        ],
      ]);
    });

    it('falls back to offsets for a zone without known abbreviations', () => {
      const asked = resolveAskedTime(['2026-10-25', '03:30'], 'Europe/Helsinki', { now: LATE_2026 });

      expect([asked.instant.toISOString(), asked.notes]).toEqual([
        '2026-10-25T00:30:00.000Z',
        [
          '03:30 on 25 Oct 2026 happened twice in Europe/Helsinki: clocks went back from 04:00 to 03:00 ' +
            '(UTC+3 → UTC+2). Using the first, 03:30 at UTC+3 = 00:30 UTC on 25 Oct; ' +
            'the second, 03:30 at UTC+2, was 01:30 UTC on 25 Oct. ' +
            'To choose, type "2026-10-25 03:30 +03:00" or "2026-10-25 03:30 +02:00".',
        ],
      ]);
    });

    it("resolves a Sydney time that falls in the machine's own DST gap exactly (2026-03-08 02:30 AEDT)", () => {
      // 02:30 on 8 Mar does not exist in New York, which trips code that builds local Dates.
      expect(instantOf(['2026-03-08', '02:30'], 'Australia/Sydney', LATE_2026)).toBe('2026-03-07T15:30:00.000Z');
    });
  });

  describe('bad input', () => {
    const TIME_HINT =
      'Write the time as HH:MM (24-hour), with am/pm, or with a date: "05:41", "5:41am", "5am", "5:41 PM", ' +
      '"2026-06-19 05:41", "2026-06-18T19:41:00Z".';

    it.each([
      [['0541'], 'I could not read "0541" as a time.'],
      [['5.41'], 'I could not read "5.41" as a time.'],
      [['noon'], 'I could not read "noon" as a time.'],
      [['19/06/2026', '05:41'], 'I could not read "19/06/2026 05:41" as a time.'],
      [['5'], 'I could not read "5" as a time.'],
      [['2026-06-19'], 'The time is missing after the date "2026-06-19".'],
      [[], 'The time is missing.'],
      [['25:00'], '"25:00" is not a valid time: hours run 00–23.'],
      [['24:00'], '"24:00" is not a valid time: hours run 00–23.'],
      [['05:60'], '"05:60" is not a valid time: minutes and seconds run 00–59.'],
      [['05:41:61'], '"05:41:61" is not a valid time: minutes and seconds run 00–59.'],
    ])('refuses %j with a message saying what was wrong', (tokens, message) => {
      const error = usageErrorFrom(() => resolveAskedTime(tokens, 'UTC', { now: NOW }));

      expect([error.message, error.hint]).toEqual([message, TIME_HINT]);
    });

    it('refuses a date that is not in the calendar', () => {
      const error = usageErrorFrom(() => resolveAskedTime(['2026-02-30', '05:41'], 'UTC', { now: NOW }));

      expect([error.message, error.hint]).toEqual([
        '"2026-02-30" is not a date in the calendar.',
        'Write the date as YYYY-MM-DD, e.g. "2026-06-19 05:41".',
      ]);
    });

    it.each([
      [['0001-01-01', '05:41'], '0001-01-01'],
      [['0099-06-01', '05:41'], '0099-06-01'],
      [['0099-06-01T05:41:00Z'], '0099-06-01'],
      [['1969-12-31', '23:59'], '1969-12-31'],
    ])('refuses %j: years before 1970 are out of range (Date.UTC would read 0099 as 1999)', (tokens, date) => {
      const error = usageErrorFrom(() => resolveAskedTime(tokens, 'UTC', { now: NOW }));

      expect([error.message, error.hint]).toEqual([
        `The year in "${date}" is out of range: dates run from 1970 on.`,
        'Write the date as YYYY-MM-DD, e.g. "2026-06-19 05:41".',
      ]);
    });

    it('accepts the first minute of 1970', () => {
      expect(instantOf(['1970-01-01', '00:00'], 'UTC')).toBe('1970-01-01T00:00:00.000Z');
    });

    it('names a word after the zone as unexpected, not the time as unreadable', () => {
      const extraZone = usageErrorFrom(() => resolveAskedTime(['05:41', 'AEST'], 'UTC', { now: NOW }));
      const extraWord = usageErrorFrom(() => resolveAskedTime(['5:41am', 'aest'], 'extra', { now: NOW }));

      expect([extraZone, extraWord].map((error) => [error.message, error.hint])).toEqual([
        ['Unexpected "UTC" after the zone "AEST".', 'Give one zone after the time, e.g. "05:41 AEST".'],
        ['Unexpected "extra" after the zone "aest".', 'Give one zone after the time, e.g. "5:41am aest".'],
      ]);
    });

    it.each([
      [['5:41', 'today'], 'today', '5:41'],
      [['5:41am', 'pm'], 'pm', '5:41am'],
      [['05:41', '2026-06-19'], '2026-06-19', '05:41'],
      [['2026-06-19T05:41', 'now'], 'now', '2026-06-19T05:41'],
    ])('names the word in %j after the time as unexpected', (tokens, word, time) => {
      const error = usageErrorFrom(() => resolveAskedTime(tokens, 'UTC', { now: NOW }));

      expect([error.message, error.hint]).toEqual([
        `Unexpected "${word}" after the time "${time}".`,
        `Give the time (with its date first, if any), then at most one zone, e.g. "${time} AEST" or "2026-06-19 05:41 AEST".`,
      ]);
    });

    it('refuses an ISO offset that is not in use', () => {
      const error = usageErrorFrom(() => resolveAskedTime(['2026-06-18T19:41+15:00'], undefined, { now: NOW }));

      expect(error.message).toBe(
        '"2026-06-18T19:41+15:00" carries an offset that is not in use: offsets run from -12:00 to +14:00.',
      );
    });

    it('refuses an unknown zone', () => {
      expect(usageErrorFrom(() => resolveAskedTime(['05:41'], 'IST', { now: NOW })).message).toBe(
        'Unknown time zone "IST".',
      );
    });
  });
});
