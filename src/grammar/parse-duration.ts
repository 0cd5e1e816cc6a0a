import { UsageError } from '../errors.js';
import { quote } from './zones.js';

export const MIN_WINDOW_MINUTES = 10;
export const MAX_WINDOW_MINUTES = 24 * 60;

const WINDOW_HINT = 'Give the window as hours and/or minutes, e.g. "--window 3h", "--window 90m" or "--window 2h30m" (10m to 24h).';
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/**
 * Reads a window width ("3h", "90m", "2h30m", "1h 30m", "1d") as whole minutes, between 10 minutes
 * and 24 hours. Throws UsageError otherwise.
 */
export function parseWindowMinutes(text: string): number {
  const compact = text.replace(/\s+/g, '').toLowerCase().replace(/mins?$/, 'm');
  const match = DURATION.exec(compact);
  if (!match || compact === '') throw new UsageError(`I could not read ${quote(text.trim())} as a window width.`, WINDOW_HINT);

  const [, days = '0', hours = '0', minutes = '0'] = match;
  const total = Number(days) * 24 * 60 + Number(hours) * 60 + Number(minutes);
  if (total < MIN_WINDOW_MINUTES) throw new UsageError(`The window ${quote(text.trim())} is too short: at least 10m.`, WINDOW_HINT);
  if (total > MAX_WINDOW_MINUTES) throw new UsageError(`The window ${quote(text.trim())} is too long: at most 24h.`, WINDOW_HINT);
  return total;
}
