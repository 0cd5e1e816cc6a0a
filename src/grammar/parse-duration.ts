import { UsageError } from '../errors.js';
import { quote } from './zones.js';

export const MIN_WINDOW_MINUTES = 10;
/** The widest window judged by the minute: the config's `window`, and any typed width up to it. */
export const MAX_WINDOW_MINUTES = 24 * 60;
/** The widest typed `--window`: past 24 h the window is read by the hour for daily patterns (issue 13). */
export const MAX_PATTERN_WINDOW_MINUTES = 14 * 24 * 60;

const WINDOW_HINT =
  'Give the window as hours and/or minutes, e.g. "--window 3h", "--window 90m" or "--window 2h30m" (10m to 24h).';
const CONFIG_TOO_LONG_HINT =
  'The config\'s window is the width judged by the minute around the asked time (10m to 24h), e.g. "window: 3h"; for patterns over days, type --window 7d (up to 14d) with the command.';
const TYPED_WINDOW_HINT =
  'Give the window as days, hours and/or minutes, e.g. "--window 3h", "--window 2h30m" or "--window 14d" (10m to 14d; over 24h looks for bursts that recur daily).';
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/**
 * Reads a width judged by the minute ("3h", "90m", "2h30m", "1h 30m", "1d") as whole minutes,
 * between 10 minutes and 24 hours: the config's `window`. Throws UsageError otherwise.
 */
export function parseWindowMinutes(text: string): number {
  const total = readMinutes(text, WINDOW_HINT);
  if (total > MAX_WINDOW_MINUTES)
    throw new UsageError(`The window ${quote(text.trim())} is too long: at most 24h.`, CONFIG_TOO_LONG_HINT);
  return total;
}

/**
 * Reads a typed `--window` ("3h", "36h", "7d", "1d 12h") as whole minutes, between 10 minutes and
 * 14 days. Over 24 hours it is a pattern window (see parseInvestigation). Throws UsageError otherwise.
 */
export function parseTypedWindowMinutes(text: string): number {
  const total = readMinutes(text, TYPED_WINDOW_HINT);
  if (total > MAX_PATTERN_WINDOW_MINUTES)
    throw new UsageError(`The window ${quote(text.trim())} is too long: at most 14d.`, TYPED_WINDOW_HINT);
  return total;
}

function readMinutes(text: string, hint: string): number {
  const compact = text
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/mins?$/, 'm');
  const match = DURATION.exec(compact);
  if (!match || compact === '') throw new UsageError(`I could not read ${quote(text.trim())} as a window width.`, hint);

  const [, days = '0', hours = '0', minutes = '0'] = match;
  const total = Number(days) * 24 * 60 + Number(hours) * 60 + Number(minutes);
  if (total < MIN_WINDOW_MINUTES)
    throw new UsageError(`The window ${quote(text.trim())} is too short: at least 10m.`, hint);
  return total;
}
