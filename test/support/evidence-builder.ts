/**
 * Evidence built from per-minute series, for the verdict's edge cases where the exact counts
 * matter more than log realism (a handful of errors on a quiet index). The scenario tests in
 * judge-scenarios.test.ts cover the same engine through real-format logs.
 */
import type {
  Evidence,
  EvidenceContext,
  MinuteRange,
  SignalMap,
  SignalName,
  SignalSeries,
  TenantActivity,
  TimeFormatter,
} from '../../src/core/types.js';
import { unavailableSeries } from '../../src/evidence/signal-series.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { resolveZone } from '../../src/grammar/zones.js';
import { JudgeContext } from '../../src/verdict/judge-context.js';

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
    const base: SignalSeries = values
      ? { scope, status: 'ok', source: 'ALB access logs', counts: values }
      : unavailableSeries(scope, 'not given in this test');
    return { ...base, ...overrides[name] };
  };
  const names: SignalName[] = [
    'requests',
    'origin_5xx',
    'throttled_429',
    'target_5xx',
    'target_connection_errors',
    'elb_502',
    'elb_502_index',
    'elb_503',
    'elb_504',
    'slow_requests',
    'lb_requests',
    'target_4xx',
    'elb_503_index',
    'elb_504_index',
    'proxy_requests',
    'healthy_hosts',
    'unhealthy_hosts',
  ];
  // Edge signals exist only when edge logs were read: present here only when a test gives them.
  names.push(...EDGE_SIGNALS.filter((name) => name in counts || name in overrides));
  const signals = Object.fromEntries(names.map((name) => [name, signal(name)])) as SignalMap;
  return {
    index: 'acme',
    at: AT,
    window: WINDOW,
    signals,
    sources: [],
    context: {
      idleTimeoutSeconds: 60,
      slowRequestSeconds: 2,
      elb502TargetGroups: null,
      targetGroupsSeen: null,
      ...context,
    },
  };
}

const EDGE_SIGNALS: SignalName[] = ['edge_requests', 'edge_5xx', 'edge_minted_5xx', 'edge_passed_5xx'];

/** The minute index of a UTC clock time in the window: minuteOf('19:41') is ASKED_INDEX. */
export function minuteOf(utcClock: string): number {
  const [hours, minutes] = utcClock.split(':').map(Number);
  return (hours! - WINDOW.start.getUTCHours()) * 60 + minutes! - WINDOW.start.getUTCMinutes();
}

/** `base` per minute with `values` from minute index `start` on: burst(78, [40, 80]) puts 40 at 19:29 UTC and 80 at 19:30. */
export function burst(start: number, values: readonly number[], base = 0): number[] {
  return series(base, Object.fromEntries(values.map((value, i) => [start + i, value])));
}

/** A steady count with a little deterministic wobble (base−1, base, base+1 in turn): flat, but not constant. Mean exactly `base`. */
export function wobble(base: number): number[] {
  return Array.from({ length: MINUTES }, (_, i) => base + ((i * 7) % 3) - 1);
}

/** Minute-by-minute sum of series: an LB-wide count made of its tenants' counts. */
export function sumOf(...parts: ReadonlyArray<readonly number[]>): number[] {
  return Array.from({ length: MINUTES }, (_, i) => parts.reduce((sum, part) => sum + (part[i] ?? 0), 0));
}

/** One target group as the access logs saw it (TenantActivity). */
export function tenant(name: string, elb502: number[], isIndex = false): TenantActivity {
  return { name, isIndex, requests: 1000, elb502, elb503Total: 0, elb504Total: 0 };
}

/** A signal's source that covered only part of the window (an override for evidenceWith). Give zeros in the holes: they are placeholders. */
export function coveredExcept(reason: string, uncovered: MinuteRange[]): Partial<SignalSeries> {
  return { status: 'partial', reason, uncovered };
}

/** The seed's zone: "05:41 AEST (19:41 UTC)", whatever the machine's TZ. */
export const AEST: TimeFormatter = createTimeFormatter(resolveZone('AEST'));

/** What every rule receives: the evidence, the asked minute, and times as the asker reads them. */
export function contextFor(evidence: Evidence, fmt: TimeFormatter = AEST): JudgeContext {
  return new JudgeContext(evidence, fmt);
}
