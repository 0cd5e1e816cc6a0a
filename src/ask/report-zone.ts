/** The zone a saved report was asked in, resolved, and the formatter that goes with it. Pure. */
import type { ReportJson } from '../core/report.js';
import type { ResolvedZone, TimeFormatter } from '../core/types.js';
import { createTimeFormatter } from '../grammar/time-formatter.js';
import { UTC_ZONE, resolveZone } from '../grammar/zones.js';

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
