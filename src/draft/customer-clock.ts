/**
 * Pure: times in the customer draft are written the way the customer wrote theirs. Someone who
 * asked about "5:41am" reads "5:29am", not "05:29"; someone who wrote "05:41" reads "05:29".
 * The asked input is the text the time was given as (report.asked.input).
 */
import type { TimeFormatter } from '../core/types.js';

export interface ClockStyle {
  hours: 12 | 24;
  /** "05:41" rather than "5:41" (24-hour only). */
  padHour: boolean;
  /** "AM" rather than "am" (12-hour only). */
  upperMeridiem: boolean;
  /** "5:41 am" rather than "5:41am" (12-hour only). */
  spaceBeforeMeridiem: boolean;
}

const TWELVE_HOUR = /(?<![\d:])\d{1,2}(?::\d{2}){0,2}(\s*)([ap])\.?m\b/i;
const TWENTY_FOUR_HOUR = /(?<![\d:])(\d{1,2}):\d{2}/;

/** The style of the clock in the asked input; 24-hour with a padded hour when it shows none. */
export function readClockStyle(askedInput: string): ClockStyle {
  const twelve = TWELVE_HOUR.exec(askedInput);
  if (twelve) {
    const [, space = '', letter = 'a'] = twelve;
    return {
      hours: 12,
      padHour: false,
      upperMeridiem: letter === letter.toUpperCase(),
      spaceBeforeMeridiem: space.length > 0,
    };
  }
  const twentyFour = TWENTY_FOUR_HOUR.exec(askedInput);
  return {
    hours: 24,
    padHour: twentyFour ? twentyFour[1]!.length === 2 : true,
    upperMeridiem: true,
    spaceBeforeMeridiem: true,
  };
}

/** "17:29" → "5:29 PM", "5:29pm", "17:29" or "17:29", per the style; other text is returned as it is. */
export function formatClock(clock: string, style: ClockStyle): string {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!match) return clock;
  const hour = Number(match[1]);
  const minutes = match[2]!;
  if (style.hours === 24) return `${style.padHour ? String(hour).padStart(2, '0') : hour}:${minutes}`;
  const meridiem = hour < 12 ? 'am' : 'pm';
  return `${hour % 12 === 0 ? 12 : hour % 12}:${minutes}${style.spaceBeforeMeridiem ? ' ' : ''}${style.upperMeridiem ? meridiem.toUpperCase() : meridiem}`;
}

/** The formatter with its local clock in the customer's style (what drafts print). */
export function withCustomerClock(fmt: TimeFormatter, askedInput: string): TimeFormatter {
  const style = readClockStyle(askedInput);
  return { ...fmt, localClock: (instant) => formatClock(fmt.localClock(instant), style) };
}
