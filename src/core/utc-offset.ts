import { UsageError } from '../errors.js';

/** A real UTC offset: -14:00 to +14:00 in quarter hours ("+10:00", "+0530" too). */
const OFFSET = /^([+-])(0\d|1[0-4]):?(00|15|30|45)$/;

/** Minutes east of UTC for "+10:00"; a UsageError naming `what` for anything else. */
export function parseUtcOffsetMinutes(text: string, what = '--proxy-log-utc-offset'): number {
  const match = OFFSET.exec(text.trim());
  if (!match)
    throw new UsageError(
      `${what} ${JSON.stringify(text)} is not a UTC offset.`,
      'Use -14:00 to +14:00 in quarter hours, e.g. +00:00 or +10:00.',
    );
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60)
    throw new UsageError(`${what} ${JSON.stringify(text)} is beyond +/-14:00.`, 'Use e.g. +10:00.');
  return (match[1] === '-' ? -1 : 1) * minutes;
}
