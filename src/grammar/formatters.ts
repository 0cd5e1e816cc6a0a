/**
 * The one way to get the formatter of a command or of a saved report: the asked zone first, UTC
 * second, zone labels as at the asked minute. Built once per investigation and passed on. Pure.
 */
import type { ReportJson } from '../core/report.js';
import type { AskedTime, InvestigationCommand, ResolvedZone, TimeFormatter } from '../core/types.js';
import { createTimeFormatter } from './time-formatter.js';
import { resolveZone, UTC_ZONE } from './zones.js';

/** The formatter a report about this command will use (and messages sent before the report exists). */
export function formatterForCommand(command: Pick<InvestigationCommand, 'asked'>): TimeFormatter {
  return formatterForAsked(command.asked);
}

export function formatterForAsked(asked: Pick<AskedTime, 'zone' | 'at'>): TimeFormatter {
  return createTimeFormatter(asked.zone, { referenceInstant: asked.at });
}

/** The report's asked zone ("AEST", "Australia/Sydney", "+10:00"); UTC when it cannot be read back. */
export function zoneOfReport(report: Pick<ReportJson, 'asked'>): ResolvedZone {
  try {
    return resolveZone(report.asked.zone);
  } catch {
    return { ...UTC_ZONE };
  }
}

/** Times as the thread shows them: the asked zone first, UTC second. */
export function formatterOfReport(report: Pick<ReportJson, 'asked' | 'at'>): TimeFormatter {
  return createTimeFormatter(zoneOfReport(report), { referenceInstant: new Date(report.at) });
}
