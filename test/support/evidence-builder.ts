/**
 * Evidence built from per-minute series, for the verdict's edge cases where the exact counts
 * matter more than log realism (a handful of errors on a quiet index). The scenario tests in
 * judge-scenarios.test.ts cover the same engine through real-format logs.
 */
import type { Evidence, EvidenceContext, SignalMap, SignalName, SignalSeries } from '../../src/core/types.js';
import { unavailableSeries } from '../../src/evidence/signal-series.js';

export const WINDOW = { start: new Date('2026-06-18T18:11:00Z'), end: new Date('2026-06-18T21:11:00Z') };
export const AT = new Date('2026-06-18T19:41:00Z');
export const ASKED_INDEX = 90;
export const MINUTES = 180;

/** A series of `base` per minute with `at` overrides: { 90: 5 } puts 5 in the asked minute. */
export function series(base: number, at: Record<number, number> = {}): number[] {
  return Array.from({ length: MINUTES }, (_, i) => at[i] ?? base);
}

const LB_SCOPED: SignalName[] = ['elb_502', 'elb_503', 'elb_504', 'lb_requests'];

export function evidenceWith(
  counts: Partial<Record<SignalName, number[]>>,
  overrides: Partial<Record<SignalName, Partial<SignalSeries>>> = {},
  context: Partial<EvidenceContext> = {},
): Evidence {
  const signal = (name: SignalName): SignalSeries => {
    const scope = LB_SCOPED.includes(name) ? 'loadBalancer' : 'index';
    const values = counts[name];
    const base: SignalSeries = values ? { scope, status: 'ok', source: 'ALB access logs', counts: values } : unavailableSeries(scope, 'not given in this test');
    return { ...base, ...overrides[name] };
  };
  const names: SignalName[] = ['requests', 'origin_5xx', 'throttled_429', 'target_5xx', 'target_connection_errors', 'elb_502', 'elb_502_index', 'elb_503', 'elb_504', 'slow_requests', 'lb_requests', 'target_4xx', 'elb_503_index', 'elb_504_index', 'proxy_requests', 'healthy_hosts', 'unhealthy_hosts'];
  const signals = Object.fromEntries(names.map((name) => [name, signal(name)])) as SignalMap;
  return {
    index: 'acme',
    at: AT,
    window: WINDOW,
    signals,
    sources: [],
    context: { idleTimeoutSeconds: 60, slowRequestSeconds: 2, elb502TargetGroups: null, targetGroupsSeen: null, ...context },
  };
}
