/**
 * Test data for the draft tests: the report of the seed incident (shared/seeds/000_…: 05:41
 * AEST on 19 June, 429 burst 19:29–19:40 UTC, flat LB-wide 502 background) and a formatter
 * for a fixed +10:00 "AEST" zone, written here so these tests do not depend on src/grammar.
 */
import type { FindingJson, MinuteCountJson, ReportJson, SignalJson } from '../../src/core/report.js';
import type { TimeFormatter } from '../../src/core/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const utcClock = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

export function fixedZoneFormatter(offsetMinutes = 600, zoneLabel = 'AEST'): TimeFormatter {
  const shifted = (d: Date) => new Date(d.getTime() + offsetMinutes * 60_000);
  const localClock = (d: Date) => utcClock(shifted(d));
  return {
    zoneLabel,
    localClock,
    localDate: (d) => `${shifted(d).getUTCDate()} ${MONTHS[shifted(d).getUTCMonth()]}`,
    minute: (d) => `${localClock(d)} ${zoneLabel} (${utcClock(d)} UTC)`,
    range: (start, end) =>
      `${localClock(start)}–${localClock(end)} ${zoneLabel} (${utcClock(start)}–${utcClock(end)} UTC)`,
  };
}

export const SEED_WINDOW = { start: '2026-06-18T18:11:00Z', end: '2026-06-18T21:11:00Z' };
export const SEED_AT = '2026-06-18T19:41:00Z';

/** One count per minute of the seed window, flat except where `spikes` says otherwise. */
function perMinute(flat: number, spikes: Record<string, number> = {}): MinuteCountJson[] {
  const start = Date.parse(SEED_WINDOW.start);
  return Array.from({ length: 180 }, (_, i) => {
    const minute = new Date(start + i * 60_000).toISOString().replace('.000Z', 'Z');
    return { minute, count: spikes[minute] ?? flat };
  });
}

function signal(
  scope: 'index' | 'loadBalancer',
  series: MinuteCountJson[],
  extra: Partial<SignalJson> = {},
): SignalJson {
  const window = series.reduce((sum, m) => sum + m.count, 0);
  const peak = series.reduce<MinuteCountJson | null>((best, m) => (m.count > (best?.count ?? 0) ? m : best), null);
  const atMinute = series.find((m) => m.minute === SEED_AT)?.count ?? null;
  return { status: 'ok', scope, source: 'test', window, atMinute, peak, perMinute: series, ...extra };
}

function unavailable(scope: 'index' | 'loadBalancer', reason: string): SignalJson {
  return { status: 'unavailable', reason, scope, window: null, atMinute: null, peak: null, perMinute: [] };
}

export const THROTTLING_FINDING: FindingJson = {
  kind: 'throttling_429',
  headline:
    'The customer\'s "502s" were our 429 rate limiting: burst 05:29–05:40 AEST, peak 4,593/min; the origin returned 0 5xx.',
  confidence: 'high',
  reasons: [
    'origin returned 0 5xx in 04:11–07:11 AEST (18:11–21:11 UTC); target 5xx 0, connection errors 0',
    '43,930 requests got 429 from the proxy (PR--, never reached a pod); ALB target 4xx 43,943 agrees',
    'peak 429 burst 4,593/min at 05:35 AEST (19:35 UTC), ending 1 minute before the asked time',
  ],
  advice: [
    'Ask the customer how their dashboard labels upstream 429s.',
    'Client backoff on bursts, or a rate-limit conversation.',
  ],
  facts: {
    throttledWindow: 43930,
    throttledPercent: 3.2,
    requestsWindow: 1380210,
    burstStart: '2026-06-18T19:29:00Z',
    burstEnd: '2026-06-18T19:40:00Z',
    burstTotal: 30512,
    peakCount: 4593,
    peakMinute: '2026-06-18T19:35:00Z',
    minutesBeforeAsked: 1,
    origin5xxWindow: 0,
    target4xxWindow: 43943,
    termination: 'PR--',
  },
};

export const KEEPALIVE_FINDING: FindingJson = {
  kind: 'keepalive_race',
  headline: 'A flat background of LB-minted 502s across all tenants (keep-alive race), not this index.',
  confidence: 'medium',
  reasons: ['ELB 502 ~6/min flat across 20 target groups before, during and after; target status "-"'],
  advice: ["Make the targets' keep-alive timeout longer than the ALB's idle timeout (60 s)."],
  facts: {
    elb502Window: 1031,
    elb502PerMinuteTypical: 6,
    elb502PerMinuteMax: 13,
    elb502Percent: 0.0065,
    tenantCount: 20,
    idleTimeoutSeconds: 60,
  },
};

export function seedReport(overrides: Partial<ReportJson> = {}): ReportJson {
  const throttled = perMinute(0, burst429());
  return {
    schemaVersion: 1,
    index: 'prod_000_audio',
    asked: { input: '05:41 AEST', zone: 'AEST', utcOffset: '+10:00', notes: [] },
    at: SEED_AT,
    window: SEED_WINDOW,
    sources: [
      { name: 'proxy logs (Logs Insights /prod/haproxy)', status: 'complete' },
      { name: 'ALB metrics (GetMetricData)', status: 'complete' },
    ],
    signals: {
      requests: signal('index', perMinute(7575, { '2026-06-18T18:11:00Z': 7560, '2026-06-18T19:35:00Z': 24300 })),
      origin_5xx: signal('index', perMinute(0), { byCode: {} }),
      throttled_429: signal('index', throttled, { byTermination: { 'PR--': 43930 } }),
      target_5xx: signal('index', perMinute(0)),
      target_connection_errors: signal('index', perMinute(0)),
      elb_502: signal('loadBalancer', perMinute(6, { '2026-06-18T19:52:00Z': 13 })),
      elb_502_index: unavailable('index', 'no such CloudWatch metric'),
      elb_503: signal('loadBalancer', perMinute(0)),
      elb_504: signal('loadBalancer', perMinute(0)),
      slow_requests: signal('index', perMinute(0)),
      target_4xx: signal('index', perMinute(0, burst429(43943 - 43930))),
    },
    verdict: THROTTLING_FINDING,
    findings: [THROTTLING_FINDING, KEEPALIVE_FINDING],
    ...overrides,
  };
}

/** 43,930 429s in all: a burst 19:29–19:40 peaking at 4,593 at 19:35, the rest spread thinly. */
function burst429(extraAtPeak = 0): Record<string, number> {
  const burst: Record<string, number> = {};
  const counts = [1800, 2400, 2900, 3300, 3700, 3900, 4593 + extraAtPeak, 2600, 2100, 1500, 1100, 619];
  counts.forEach((count, i) => {
    burst[`2026-06-18T19:${String(29 + i).padStart(2, '0')}:00Z`] = count;
  });
  // 30,512 in the burst; 13,418 more over other minutes of the window.
  for (let i = 0; i < 13; i += 1) burst[`2026-06-18T18:${String(20 + i * 3).padStart(2, '0')}:00Z`] = 1032;
  burst['2026-06-18T20:30:00Z'] = 2;
  return burst;
}

/** A finding of `kind` with only the given facts. */
export function findingOf(
  kind: FindingJson['kind'],
  facts: FindingJson['facts'],
  confidence: FindingJson['confidence'] = 'high',
): FindingJson {
  return { kind, headline: `${kind} headline`, confidence, reasons: [], advice: [], facts };
}
