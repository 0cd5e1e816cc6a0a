/** How the asked moment and window read in Slack, from the command alone (before any report exists). Pure. */
import type { InvestigationCommand, TimeFormatter } from '../core/types.js';
import { createTimeFormatter } from '../grammar/time-formatter.js';
import { formatUtcDate } from '../render/report-sections.js';

/** The formatter a report about this command will use: the asked zone, labelled as at the asked minute. */
export function formatterForCommand(command: InvestigationCommand): TimeFormatter {
  return createTimeFormatter(command.asked.zone, { referenceInstant: command.asked.at });
}

/**
 * "19 Jun 05:41 AEST (19:41 UTC, 18 Jun)": the local date leads and the UTC date is added only
 * when it differs, as in the terminal report.
 */
export function describeAskedInstant(at: Date, fmt: TimeFormatter): string {
  const localDate = fmt.localDate(at);
  const utcDate = formatUtcDate(at);
  const minute = fmt.minute(at);
  const withUtcDate = utcDate !== localDate && minute.endsWith(')') ? `${minute.slice(0, -1)}, ${utcDate})` : minute;
  return `${localDate} ${withUtcDate}`;
}

/** "04:11–07:11 AEST (18:11–21:11 UTC)" */
export function describeWindowRange(start: Date, end: Date, fmt: TimeFormatter): string {
  return fmt.range(start, end);
}
