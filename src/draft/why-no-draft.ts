/**
 * Pure: whether a customer draft should be written at all. An inconclusive answer with nothing
 * measured about the index at the asked minute has nothing to tell the customer; a draft would
 * only promise ("we couldn't read some records…") what the SRE should first fix (wrong files,
 * wrong time or zone, missing access). The SRE gets a note saying what to check instead.
 */
import type { ReportJson } from '../core/report.js';

/** Why no draft is written for this report, as a note for the SRE; null when a draft is written. */
export function whyNoDraft(report: ReportJson): string | null {
  if (report.verdict.kind !== 'inconclusive' || measuredAtAskedMinute(report)) return null;
  const check = report.verdict.advice[0];
  return (
    `No customer draft: nothing about ${report.index} was measured at the asked time, so there is nothing to tell the customer yet.` +
    (check ? ` Check first: ${check}` : ' Check the sources listed above, then run the command again.')
  );
}

/** Some signal of the index itself has a count for the asked minute. */
function measuredAtAskedMinute(report: ReportJson): boolean {
  return Object.values(report.signals).some(
    (signal) => signal.scope === 'index' && signal.status !== 'unavailable' && signal.atMinute !== null,
  );
}
