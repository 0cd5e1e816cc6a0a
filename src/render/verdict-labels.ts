/** Human names for verdict kinds, shared by every renderer. */
import type { VerdictKind } from '../core/types.js';

export const VERDICT_LABELS: Readonly<Record<VerdictKind, string>> = {
  throttling_429: '429 throttling, not 502s',
  keepalive_race: 'LB keep-alive race (flat background)',
  origin_5xx: 'Origin 5xx',
  target_unreachable: 'Targets unreachable',
  origin_timeout: 'Slow origin (timeouts)',
  no_healthy_targets: 'No healthy targets',
  no_errors: 'No errors above background',
  inconclusive: 'Inconclusive',
};
