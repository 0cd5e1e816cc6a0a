/** How Slack messages about a command tell time before any report exists. Pure. */
import type { InvestigationCommand, TimeFormatter } from '../core/types.js';
import { createTimeFormatter } from '../grammar/time-formatter.js';

/** The formatter a report about this command will use: the asked zone, labelled as at the asked minute. */
export function formatterForCommand(command: InvestigationCommand): TimeFormatter {
  return createTimeFormatter(command.asked.zone, { referenceInstant: command.asked.at });
}
