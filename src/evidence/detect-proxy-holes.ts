import type { MinuteRange } from '../core/types.js';
import { poissonLowerTail } from '../verdict/poisson.js';
import { median } from '../verdict/series-stats.js';

/**
 * Holes in the proxy's logs seen from the load balancer. Every request the ALB's target
 * answered for the index passed through the proxy, which logged it; so when the ALB counts its
 * usual 150 target answers a minute and the proxy logged 3, the proxy's lines for that minute
 * are missing (an hourly file not copied, a .gz cut short). Targets that died are told apart
 * by construction: their requests are LB-minted errors, not target answers, and the proxy
 * going quiet then is the evidence of target_unreachable, not a hole.
 */
export interface ProxyHoleInput {
  /** The proxy's entries for the index per minute. */
  proxyPerMinute: readonly number[];
  /** The ALB's requests for the index that a target answered (requests − LB-minted), per minute. */
  albAnsweredPerMinute: readonly number[];
  /** Minutes the ALB's logs measured. */
  albCovered: readonly boolean[];
}

const SHORTFALL_SHARE = 0.5;
const SHORTFALL_P = 1e-6;
/** Below this many target answers a minute the comparison says little. */
const MIN_ANSWERED = 5;

export function detectProxyHoles(input: ProxyHoleInput): MinuteRange[] {
  const { proxyPerMinute: proxy, albAnsweredPerMinute: answered, albCovered } = input;
  const usable = (i: number) => albCovered[i] === true && answered[i]! >= MIN_ANSWERED;
  // Proxies log a steady share of what the ALB sees (health checks, other hosts): compare against it.
  const ratios = proxy
    .map((count, i) => (usable(i) ? count / answered[i]! : null))
    .filter((r): r is number => r !== null);
  if (ratios.length === 0) return [];
  const usualRatio = median(ratios);
  if (usualRatio <= 0) return [];
  const holes: MinuteRange[] = [];
  for (let i = 0; i < proxy.length; i++) {
    if (!usable(i)) continue;
    const expected = usualRatio * answered[i]!;
    if (proxy[i]! >= SHORTFALL_SHARE * expected || poissonLowerTail(proxy[i]!, expected) >= SHORTFALL_P) continue;
    const previous = holes[holes.length - 1];
    if (previous && previous[1] === i - 1) previous[1] = i;
    else holes.push([i, i]);
  }
  return holes;
}
