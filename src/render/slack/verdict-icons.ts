/** One emoji per verdict kind, so the channel can tell an outage from background noise at a glance. */
import type { VerdictKind } from '../../core/types.js';

export const VERDICT_ICONS: Readonly<Record<VerdictKind, string>> = {
  throttling_429: ':large_yellow_circle:',
  keepalive_race: ':large_yellow_circle:',
  origin_5xx: ':red_circle:',
  target_unreachable: ':red_circle:',
  origin_timeout: ':large_orange_circle:',
  no_healthy_targets: ':red_circle:',
  no_errors: ':large_green_circle:',
  inconclusive: ':white_circle:',
};
