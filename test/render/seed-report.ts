/**
 * Test data for the renderers, modelled on the seed incident (prod_000_audio, 05:41 AEST on
 * 19 Jun 2026 = 19:41 UTC on 18 Jun): the origin returned no 5xx, the proxy throttled
 * 43,930 requests (PR--), and the shared ALB minted a flat background of 502s.
 */
import type { FindingJson, ReportJson, SignalJson } from '../../src/core/report.js';
import type { TimeFormatter } from '../../src/core/types.js';

const OFFSET_MINUTES = 10 * 60;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const clock = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
const shifted = (d: Date) => new Date(d.getTime() + OFFSET_MINUTES * 60_000);

/** A fixed UTC+10:00 "AEST" formatter, independent of the machine's TZ (src/grammar is not ours). */
export const aestFormatter: TimeFormatter = {
  zoneLabel: 'AEST',
  localClock: (d) => clock(shifted(d)),
  localDate: (d) => `${shifted(d).getUTCDate()} ${MONTHS[shifted(d).getUTCMonth()]}`,
  minute: (d) => `${clock(shifted(d))} AEST (${clock(d)} UTC)`,
  range: (s, e) => `${clock(shifted(s))}–${clock(shifted(e))} AEST (${clock(s)}–${clock(e)} UTC)`,
};

const WINDOW_START_MS = Date.parse('2026-06-18T18:11:00Z');
const WINDOW_MINUTES = 180;
const ASKED_INDEX = 90;
/** The seed's 429 burst, 19:29–19:40 UTC (05:29–05:40 AEST), as window minute indexes. */
export const SEED_BURST: [number, number] = [78, 89];

const isoAt = (index: number) => new Date(WINDOW_START_MS + index * 60_000).toISOString().replace('.000Z', 'Z');

/**
 * Per-minute counts consistent with a signal's window total, asked minute and peak: the asked
 * and peak minutes hold their counts, and the rest is spread evenly over `spreadOver` (default:
 * every other minute), so the numbers the table shows and the minutes behind them agree.
 */
export function perMinuteFor(
  window: number,
  atMinute: number,
  peak: { minute: string; count: number } | undefined,
  spreadOver?: [number, number],
): SignalJson['perMinute'] {
  const counts = new Array<number>(WINDOW_MINUTES).fill(0);
  const peakIndex = peak ? (Date.parse(peak.minute) - WINDOW_START_MS) / 60_000 : -1;
  counts[ASKED_INDEX] = atMinute;
  if (peakIndex >= 0) counts[peakIndex] = peak!.count;
  const [first, last] = spreadOver ?? [0, WINDOW_MINUTES - 1];
  const slots = [];
  for (let i = first; i <= last; i++) if (i !== ASKED_INDEX && i !== peakIndex) slots.push(i);
  const remainder = window - counts.reduce((sum, c) => sum + c, 0);
  slots.forEach((slot, n) => {
    counts[slot] = Math.floor(remainder / slots.length) + (n < remainder % slots.length ? 1 : 0);
  });
  return counts.map((count, i) => ({ minute: isoAt(i), count }));
}

export function okSignal(
  window: number,
  atMinute: number,
  peak?: { minute: string; count: number },
  extra: Partial<SignalJson> = {},
  spreadOver?: [number, number],
): SignalJson {
  return {
    status: 'ok',
    scope: 'index',
    window,
    atMinute,
    peak: peak ?? null,
    perMinute: perMinuteFor(window, atMinute, peak, spreadOver),
    ...extra,
  };
}

export function unavailableSignal(reason: string, extra: Partial<SignalJson> = {}): SignalJson {
  return {
    status: 'unavailable',
    reason,
    scope: 'index',
    window: null,
    atMinute: null,
    peak: null,
    perMinute: [],
    ...extra,
  };
}

export const throttlingVerdict: FindingJson = {
  kind: 'throttling_429',
  headline:
    'Not an outage: the "502s" were 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx.',
  confidence: 'high',
  reasons: [
    'origin returned 0 5xx in 18:11–21:11 UTC; target 5xx 0, connection errors 0',
    '43,930 requests got 429 from the proxy (PR--); the ALB counted 43,943 target 4xx',
    'peak 429 burst 4,593/min at 19:35 UTC, 1 minute before the asked time',
  ],
  advice: [
    'Ask the customer how their dashboard labels upstream 429s.',
    'For fewer 429s: client backoff on bursts, or a rate-limit conversation.',
  ],
  facts: {
    origin5xxWindow: 0,
    throttledWindow: 43930,
    throttledPercent: 3.2,
    peakCount: 4593,
    peakMinute: '2026-06-18T19:35:00Z',
    burstStart: '2026-06-18T19:29:00Z',
    burstEnd: '2026-06-18T19:40:00Z',
    termination: 'PR--',
  },
};

export const keepaliveFinding: FindingJson = {
  kind: 'keepalive_race',
  headline: 'A flat background of LB-minted 502s (~6/min, all tenants): the keep-alive race.',
  confidence: 'medium',
  reasons: ['1,031 LB-minted 502s over the window, 0.0065 % of 15,900,000 requests, no spike'],
  advice: ["Make the targets' keep-alive timeout longer than the ALB's idle timeout (60 s)."],
  facts: { elb502Window: 1031, elb502Percent: 0.0065, idleTimeoutSeconds: 60 },
};

/** The seed's report. Signals are listed out of display order on purpose. */
export function buildSeedReport(): ReportJson {
  return {
    schemaVersion: 1,
    index: 'prod_000_audio',
    asked: { input: '05:41 AEST', zone: 'AEST', utcOffset: '+10:00', notes: [] },
    at: '2026-06-18T19:41:00Z',
    window: { start: '2026-06-18T18:11:00Z', end: '2026-06-18T21:11:00Z' },
    sources: [
      { name: 'proxy logs via Logs Insights', status: 'complete', detail: '2.1 GB scanned' },
      { name: 'ALB metrics via GetMetricData', status: 'complete' },
    ],
    signals: {
      elb_504: okSignal(0, 0, undefined, { scope: 'loadBalancer' }),
      throttled_429: okSignal(
        43930,
        212,
        { minute: '2026-06-18T19:35:00Z', count: 4593 },
        { byTermination: { 'PR--': 43930 } },
        SEED_BURST,
      ),
      requests: okSignal(
        1380210,
        12140,
        { minute: '2026-06-18T19:35:00Z', count: 24300 },
        { source: 'CloudWatch RequestCount (target group)' },
      ),
      origin_5xx: okSignal(0, 0),
      target_5xx: okSignal(0, 0),
      target_connection_errors: okSignal(0, 0),
      elb_502: okSignal(1031, 6, { minute: '2026-06-18T19:52:00Z', count: 13 }, { scope: 'loadBalancer' }),
      elb_502_index: unavailableSignal(
        'CloudWatch has no per-target-group metric for LB-minted 502s; give ALB access logs',
      ),
      elb_503: okSignal(0, 0, undefined, { scope: 'loadBalancer' }),
      lb_requests: okSignal(
        15_900_000,
        88_000,
        { minute: '2026-06-18T19:35:00Z', count: 120_000 },
        { scope: 'loadBalancer' },
      ),
      target_4xx: okSignal(43943, 212, { minute: '2026-06-18T19:35:00Z', count: 4601 }, {}, SEED_BURST),
    },
    verdict: throttlingVerdict,
    findings: [throttlingVerdict, keepaliveFinding],
    draft: {
      text: 'Hi team, thanks for flagging the errors around 5:41 AM AEST.\n\n- Our servers returned no 5xx errors.\n- Requests above your rate limit got HTTP 429.\n',
      generator: 'template',
      note: 'OPENAI_API_KEY is not set',
    },
  };
}
