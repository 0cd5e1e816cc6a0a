/**
 * Which hourly signal shows bursts of a verdict's kind, best first, and how each is named in a
 * sentence. The index's own count comes before the load balancer's whole count; the proxy's own
 * answers before the load balancer's view of them.
 */
import type { VerdictKind } from '../core/types.js';
import type { HourlyProvider, HourlySignal } from './hourly-series.js';

export interface PatternCandidate {
  signal: HourlySignal;
  provider: HourlyProvider;
}

const LB_MINTED_502: PatternCandidate[] = [
  { signal: 'elb_502_index', provider: 'athena' },
  { signal: 'elb_502', provider: 'cloudwatch' },
];

/**
 * Per verdict kind. `no_errors` and `inconclusive` name no kind of burst: they look at the
 * LB-minted 502s, the errors this bot is asked about, so a burst at another hour of the day
 * (the customer gave the wrong minute) still shows.
 */
export const PATTERN_CANDIDATES: Record<VerdictKind, readonly PatternCandidate[]> = {
  keepalive_race: LB_MINTED_502,
  target_unreachable: LB_MINTED_502,
  no_healthy_targets: [
    { signal: 'elb_503_index', provider: 'athena' },
    { signal: 'elb_503', provider: 'cloudwatch' },
    { signal: 'unhealthy_hosts', provider: 'cloudwatch' },
  ],
  origin_5xx: [
    { signal: 'origin_5xx', provider: 'logsInsights' },
    { signal: 'target_5xx', provider: 'cloudwatch' },
    { signal: 'target_5xx', provider: 'athena' },
  ],
  origin_timeout: [
    { signal: 'origin_504', provider: 'logsInsights' },
    { signal: 'answers_504_index', provider: 'athena' },
    { signal: 'elb_504', provider: 'cloudwatch' },
  ],
  throttling_429: [
    { signal: 'throttled_429', provider: 'logsInsights' },
    { signal: 'target_429_index', provider: 'athena' },
    { signal: 'target_4xx', provider: 'cloudwatch' },
  ],
  no_errors: LB_MINTED_502,
  inconclusive: LB_MINTED_502,
};

/** "LB-minted 502s for prod_000_audio": the subject of a pattern sentence. */
export function signalWords(signal: HourlySignal, index: string): string {
  switch (signal) {
    case 'elb_502_index':
      return `LB-minted 502s for ${index}`;
    case 'elb_502':
      return 'LB-minted 502s (whole load balancer)';
    case 'elb_503_index':
      return `LB-minted 503s for ${index}`;
    case 'elb_503':
      return 'LB-minted 503s (whole load balancer)';
    case 'elb_504':
      return 'LB-minted 504s (whole load balancer)';
    case 'answers_504_index':
      return `504s for ${index}`;
    case 'unhealthy_hosts':
      return `unhealthy targets of ${index}'s target group (hourly maximum)`;
    case 'target_5xx':
      return `target 5xx for ${index}`;
    case 'target_4xx':
      return `target 4xx for ${index}`;
    case 'target_429_index':
      return `429s for ${index}`;
    case 'origin_5xx':
      return `the origin's 5xx for ${index}`;
    case 'origin_504':
      return `the proxy's 504s for ${index}`;
    case 'throttled_429':
      return `the proxy's 429s for ${index}`;
  }
}
