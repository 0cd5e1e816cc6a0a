/**
 * The proxy's counts checked against the ALB's own, independently measured ones (the seed:
 * "HTTPCode_Target_4XX_Count = 43,943 ≈ the 43,930 HAProxy 429s"). Agreement is a reason
 * in the verdict; disagreement is flagged, since then one of the two selects the wrong
 * requests (targetGroup vs match) or misses some.
 */
import type { SignalMap } from '../../core/types.js';
import { seriesTotal } from '../../evidence/signal-series.js';

export interface CrossCheck {
  name: string;
  proxy: number;
  alb: number;
  agrees: boolean;
  text: string;
}

/** Counts agree within 1 % of the larger, or ±5 (small counts differ by a few in-flight requests). */
export function countsAgree(proxy: number, alb: number): boolean {
  return Math.abs(proxy - alb) <= Math.max(5, 0.01 * Math.max(proxy, alb));
}

interface CheckSpec {
  name: string;
  proxySignal: keyof SignalMap;
  albSignal: keyof SignalMap;
  proxyLabel: string;
  albLabel: string;
  /** Why they may legitimately differ, said when they do. */
  caveat: string;
}

const CHECKS: readonly CheckSpec[] = [
  {
    name: 'proxy_429_vs_target_4xx',
    proxySignal: 'throttled_429',
    albSignal: 'target_4xx',
    proxyLabel: 'proxy 429s',
    albLabel: 'target 4xx',
    caveat: 'target 4xx also counts other 4xx (404, 400…)',
  },
  {
    name: 'proxy_5xx_vs_target_5xx',
    proxySignal: 'origin_5xx',
    albSignal: 'target_5xx',
    proxyLabel: 'proxy 5xx',
    albLabel: 'target 5xx',
    caveat: 'the proxy may log 5xx the ALB never received (client gone)',
  },
];

/** The checks whose two signals were both measured. */
export function crossCheckProxyAgainstAlb(signals: Partial<SignalMap>): CrossCheck[] {
  const checks: CrossCheck[] = [];
  for (const spec of CHECKS) {
    const proxy = seriesTotal(signals[spec.proxySignal]);
    const alb = seriesTotal(signals[spec.albSignal]);
    if (proxy === null || alb === null) continue;
    const agrees = countsAgree(proxy, alb);
    const numbers = `${spec.albLabel} ${formatCount(alb)} vs ${spec.proxyLabel} ${formatCount(proxy)}`;
    const text = agrees
      ? `the ALB agrees independently: ${numbers}`
      : `the ALB disagrees: ${numbers} (${spec.caveat}; or the index's targetGroup and match select different requests)`;
    checks.push({ name: spec.name, proxy, alb, agrees, text });
  }
  return checks;
}

function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}
