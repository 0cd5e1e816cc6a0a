import { describe, expect, it } from 'vitest';
import { readDurationMinutes } from '../../src/ask/parse-claim.js';
import { type FollowUpContext, parseFollowUp } from '../../src/ask/parse-follow-up.js';
import type { ResolvedZone } from '../../src/core/types.js';

const AEST: ResolvedZone = { kind: 'fixed', label: 'AEST', offsetMinutes: 600 };
/** The demo's thread: asked 05:41 AEST on 19 June (19:41 UTC on the 18th), answered at 09:00 AEST. */
const THREAD: FollowUpContext = {
  zone: AEST,
  reference: new Date('2026-06-18T19:41:00Z'),
  now: new Date('2026-06-18T23:00:00Z'),
};

function askedAt(text: string, context = THREAD): string {
  const question = parseFollowUp(text, context);
  if (question.kind !== 'time') throw new Error(`"${text}" was read as ${JSON.stringify(question)}`);
  return question.asked.at.toISOString();
}

describe('parseFollowUp: another minute', () => {
  it("reads a clock time in the thread's zone, on the asked day", () => {
    expect(askedAt('08:22')).toBe('2026-06-18T22:22:00.000Z');
  });

  it('reads am/pm, a date, a zone of its own and the words around a time', () => {
    expect([
      askedAt('8:22am'),
      askedAt('what about 08:22?'),
      askedAt('at 8:22 am'),
      askedAt('2026-06-19 06:30 AEST'),
      askedAt('19:50 UTC'),
      askedAt('2026-06-18T20:30:00Z'),
    ]).toEqual([
      '2026-06-18T22:22:00.000Z',
      '2026-06-18T22:22:00.000Z',
      '2026-06-18T22:22:00.000Z',
      '2026-06-18T20:30:00.000Z',
      '2026-06-18T19:50:00.000Z',
      '2026-06-18T20:30:00.000Z',
    ]);
  });

  it('takes the occurrence nearest the asked minute, not the latest one before now', () => {
    const aWeekLater = { ...THREAD, now: new Date('2026-06-25T09:00:00Z') };

    expect([askedAt('04:30', aWeekLater), askedAt('08:22', aWeekLater), askedAt('23:50', aWeekLater)]).toEqual([
      '2026-06-18T18:30:00.000Z',
      '2026-06-18T22:22:00.000Z',
      '2026-06-18T13:50:00.000Z',
    ]);
  });

  it('never reads a time without a date as after now', () => {
    expect(askedAt('09:30')).toBe('2026-06-17T23:30:00.000Z');
  });

  it("keeps the thread's IANA zone, with its clock change", () => {
    const sydney: FollowUpContext = {
      zone: { kind: 'iana', label: 'Australia/Sydney', name: 'Australia/Sydney' },
      reference: new Date('2026-01-14T18:41:00Z'),
      now: new Date('2026-01-15T00:00:00Z'),
    };

    expect(askedAt('08:22', sydney)).toBe('2026-01-14T21:22:00.000Z');
  });

  it('says what is wrong with a time it cannot read', () => {
    expect(parseFollowUp('25:00', THREAD)).toEqual({
      kind: 'problem',
      message: '"25:00" is not a valid time: hours run 00–23.',
      hint: expect.stringContaining('Write the time as HH:MM'),
    });
    expect(parseFollowUp('08:22 Mars/Olympus', THREAD)).toMatchObject({
      kind: 'problem',
      message: 'Unknown time zone "Mars/Olympus".',
    });
  });
});

describe('parseFollowUp: words', () => {
  it('reads the questions by name, with the bot mention, punctuation and the words people use', () => {
    const kinds = [
      'impact',
      'customer impact?',
      '<@U0123ABCD> tenants',
      'is it everyone or just us?',
      'rows',
      'samples',
      'help',
      '',
      '@why502 Impact!',
    ].map((text) => parseFollowUp(text, THREAD).kind);

    expect(kinds).toEqual(['impact', 'impact', 'tenants', 'tenants', 'rows', 'rows', 'help', 'help', 'impact']);
  });

  it('passes anything else on as free text, tidied', () => {
    expect(parseFollowUp('<@U0123ABCD>   was there a “Cloudflare” incident?', THREAD)).toEqual({
      kind: 'free_text',
      text: 'was there a "Cloudflare" incident?',
    });
  });

  it('refuses a question longer than it reads', () => {
    expect(parseFollowUp(`why ${'really '.repeat(80)}?`, THREAD)).toEqual({
      kind: 'problem',
      message: 'The question is 565 characters long; I read at most 500.',
      hint: 'Ask it shorter.',
    });
  });
});

describe('parseFollowUp: claim', () => {
  it('reads the figure, the status and the period as people write them', () => {
    const claims = [
      'claim 537k 502s',
      'claim 537,000 502s over 4h',
      'claim 1.2M 5xx in 90 minutes',
      'claim 537 thousand errors',
      'claim 30k',
      'claim ~955 429s over 12m',
      'claim 40 504 during 2 hours 30 min',
    ].map((text) => parseFollowUp(text, THREAD));

    expect(claims).toEqual([
      { kind: 'claim', figure: 537_000, figureText: '537k', status: '502', durationMinutes: null },
      { kind: 'claim', figure: 537_000, figureText: '537,000', status: '502', durationMinutes: 240 },
      { kind: 'claim', figure: 1_200_000, figureText: '1.2M', status: '5xx', durationMinutes: 90 },
      { kind: 'claim', figure: 537_000, figureText: '537 thousand', status: 'errors', durationMinutes: null },
      { kind: 'claim', figure: 30_000, figureText: '30k', status: 'errors', durationMinutes: null },
      { kind: 'claim', figure: 955, figureText: '~955', status: '429', durationMinutes: 12 },
      { kind: 'claim', figure: 40, figureText: '40', status: '504', durationMinutes: 150 },
    ]);
  });

  it('says which part of a claim it cannot read', () => {
    const problems = [
      'claim',
      'claim lots',
      'claim 5 500s',
      'claim 537k 502s over soon',
      'claim 537k 502s over 40d',
      'claim 537k 502s over',
    ].map((text) => {
      const result = parseFollowUp(text, THREAD);
      return result.kind === 'problem' ? result.message : result.kind;
    });

    expect(problems).toEqual([
      'The claim has no number.',
      '"lots" is not a number I can read.',
      'I cannot check "500s": I count 502s, 503s, 504s, 5xx in all, 429s, or errors (5xx and 429s).',
      'I could not read "soon" as the claim\'s duration.',
      'The claim\'s duration "40d" is out of range: from 1 minute to 31 days.',
      'The claim ends before its duration, after "537k 502s over".',
    ]);
  });
});

describe('readDurationMinutes', () => {
  it('reads hours, minutes and days, written short or long', () => {
    expect(['4h', '4hours', '90m', '2h30m', '1.5h', '1d', '45mins', 'soon', ''].map(readDurationMinutes)).toEqual([
      240,
      240,
      90,
      150,
      90,
      1440,
      45,
      null,
      null,
    ]);
  });
});
