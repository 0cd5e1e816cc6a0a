/** Human names for verdict kinds, shared by every renderer. */
import type { Finding, VerdictKind } from '../core/types.js';

export const VERDICT_LABELS: Readonly<Record<VerdictKind, string>> = {
  throttling_429: '429 throttling',
  keepalive_race: 'LB keep-alive race (flat background)',
  origin_5xx: 'Origin 5xx',
  target_unreachable: 'Targets unreachable',
  origin_timeout: 'Slow origin (timeouts)',
  no_healthy_targets: 'No healthy targets',
  no_errors: 'No errors above background',
  inconclusive: 'Inconclusive',
};

/**
 * The label of one finding: "429 throttling, not 502s" only when the origin was measured and
 * returned no 5xx in the window — with real origin errors beside the 429s it would mislead.
 */
export function findingLabel(finding: Pick<Finding, 'kind' | 'facts'>): string {
  if (finding.kind === 'throttling_429' && finding.facts?.origin5xxWindow === 0) return '429 throttling, not 502s';
  return VERDICT_LABELS[finding.kind] ?? finding.kind;
}
