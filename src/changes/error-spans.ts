/**
 * Pure: the errors of a finding as spans for findCauses — its burst (facts burstStart/burstEnd,
 * inclusive minute starts) or, for a flat background and findings without a burst, the whole
 * window. A calm or inconclusive verdict has no errors to explain.
 */
import type { Finding, TimeWindow } from '../core/types.js';
import type { ErrorSpan } from './causes/cause-windows.js';

const MINUTE_MS = 60_000;

export function errorSpansOf(finding: Pick<Finding, 'kind' | 'facts'>, window: TimeWindow): ErrorSpan[] {
  if (finding.kind === 'no_errors' || finding.kind === 'inconclusive') return [];
  const start = typeof finding.facts.burstStart === 'string' ? Date.parse(finding.facts.burstStart) : Number.NaN;
  const end = typeof finding.facts.burstEnd === 'string' ? Date.parse(finding.facts.burstEnd) : Number.NaN;
  if (finding.kind === 'keepalive_race' || Number.isNaN(start) || Number.isNaN(end)) {
    return [{ kind: finding.kind, start: window.start, end: window.end }];
  }
  return [{ kind: finding.kind, start: new Date(start), end: new Date(end + MINUTE_MS) }];
}
