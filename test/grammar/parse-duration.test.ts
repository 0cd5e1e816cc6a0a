import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseTypedWindowMinutes, parseWindowMinutes } from '../../src/grammar/parse-duration.js';

function usageErrorFrom(act: () => unknown): UsageError {
  try {
    act();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

const WINDOW_HINT =
  'Give the window as hours and/or minutes, e.g. "--window 3h", "--window 90m" or "--window 2h30m" (10m to 24h).';

describe('parseWindowMinutes', () => {
  it.each([
    ['3h', 180],
    ['90m', 90],
    ['2h30m', 150],
    ['1h 30m', 90],
    ['45m', 45],
    ['10m', 10],
    ['24h', 1440],
    ['1d', 1440],
    ['2H', 120],
    ['30min', 30],
    ['1h30mins', 90],
  ])('reads %s as %i minutes', (text, minutes) => {
    expect(parseWindowMinutes(text)).toBe(minutes);
  });

  it.each([['9m'], ['0h'], ['0m']])('refuses %s as shorter than 10 minutes', (text) => {
    const error = usageErrorFrom(() => parseWindowMinutes(text));

    expect([error.message, error.hint]).toEqual([`The window "${text}" is too short: at least 10m.`, WINDOW_HINT]);
  });

  it.each([['25h'], ['1d1m'], ['2d'], ['1441m']])(
    'refuses %s as longer than 24 hours, saying the config window is the judged width',
    (text) => {
      const error = usageErrorFrom(() => parseWindowMinutes(text));

      expect([error.message, error.hint]).toEqual([
        `The window "${text}" is too long: at most 24h.`,
        'The config\'s window is the width judged by the minute around the asked time (10m to 24h), e.g. "window: 3h"; for patterns over days, type --window 7d (up to 14d) with the command.',
      ]);
    },
  );

  it.each([['3'], ['three hours'], ['3s'], ['30m2h'], [''], ['-3h'], ['1.5h']])('refuses %j as unreadable', (text) => {
    const error = usageErrorFrom(() => parseWindowMinutes(text));

    expect([error.message, error.hint]).toEqual([`I could not read "${text.trim()}" as a window width.`, WINDOW_HINT]);
  });
});

const TYPED_WINDOW_HINT =
  'Give the window as days, hours and/or minutes, e.g. "--window 3h", "--window 2h30m" or "--window 14d" (10m to 14d; over 24h looks for bursts that recur daily).';

describe('parseTypedWindowMinutes', () => {
  it.each([
    ['3h', 180],
    ['24h', 1440],
    ['25h', 1500],
    ['36h', 2160],
    ['1d 12h', 2160],
    ['7d', 10_080],
    ['14d', 20_160],
    ['13d23h59m', 20_159],
    ['336h', 20_160],
  ])('reads %s as %i minutes', (text, minutes) => {
    expect(parseTypedWindowMinutes(text)).toBe(minutes);
  });

  it.each([['15d'], ['14d1m'], ['337h'], ['20161m']])('refuses %s as longer than 14 days', (text) => {
    const error = usageErrorFrom(() => parseTypedWindowMinutes(text));

    expect([error.message, error.hint]).toEqual([`The window "${text}" is too long: at most 14d.`, TYPED_WINDOW_HINT]);
  });

  it.each([
    ['9m', 'The window "9m" is too short: at least 10m.'],
    ['2 weeks', 'I could not read "2 weeks" as a window width.'],
  ])('refuses %j with the typed hint', (text, message) => {
    const error = usageErrorFrom(() => parseTypedWindowMinutes(text));

    expect([error.message, error.hint]).toEqual([message, TYPED_WINDOW_HINT]);
  });
});
