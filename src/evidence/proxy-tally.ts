import type { SignalSeries, TimeWindow } from '../core/types.js';
import { ANSWER_KEY_PREFIX } from '../parsers/answer-key.js';
import { bump, minuteIndexOf, windowMinutes, zeroCounts } from './minute-buckets.js';
import { measuredSeries } from './signal-series.js';

/**
 * Per-minute tallies of the origin proxy's answers for one index. Files mode adds parsed
 * lines one by one; CloudWatch mode adds Logs Insights rows (minute × status × termination
 * with counts). Both end in the same signals, so both paths agree by construction.
 */
export class ProxyTally {
  readonly minutes: number;
  private readonly startMs: number;
  readonly requests: number[];
  readonly origin5xx: number[];
  readonly throttled: number[];
  readonly slow: number[];
  readonly origin5xxByCode: Record<string, number> = {};
  readonly origin5xxByTermination: Record<string, number> = {};
  readonly throttledByTermination: Record<string, number> = {};

  constructor(window: TimeWindow) {
    this.minutes = windowMinutes(window);
    this.startMs = window.start.getTime();
    this.requests = zeroCounts(this.minutes);
    this.origin5xx = zeroCounts(this.minutes);
    this.throttled = zeroCounts(this.minutes);
    this.slow = zeroCounts(this.minutes);
  }

  /** The minute index of an instant, or -1 outside the window. */
  minuteOf(timeMs: number): number {
    return minuteIndexOf(timeMs, this.startMs, this.minutes);
  }

  /** Adds `count` answers with one status and termination state in one minute. */
  add(minute: number, status: string, termination: string | null, count = 1, slowCount = 0): void {
    if (minute < 0 || minute >= this.minutes) return;
    this.requests[minute]! += count;
    this.slow[minute]! += slowCount;
    if (isServerError(status)) {
      this.origin5xx[minute]! += count;
      bump(this.origin5xxByCode, status, count);
      if (termination !== null) bump(this.origin5xxByTermination, termination, count);
    } else if (status === '429') {
      this.throttled[minute]! += count;
      if (termination !== null) bump(this.throttledByTermination, termination, count);
    }
  }

  toSignals(source: string): {
    requests: SignalSeries;
    origin_5xx: SignalSeries;
    throttled_429: SignalSeries;
    slow_requests: SignalSeries;
  } {
    const throttledTotal = this.throttled.reduce((sum, n) => sum + n, 0);
    return {
      requests: measuredSeries('index', source, this.requests),
      origin_5xx: measuredSeries('index', source, this.origin5xx, {
        byCode: this.origin5xxByCode,
        byTermination: this.origin5xxByTermination,
      }),
      throttled_429: measuredSeries('index', source, this.throttled, {
        byCode: throttledTotal > 0 ? { '429': throttledTotal } : {},
        byTermination: this.throttledByTermination,
      }),
      slow_requests: measuredSeries('index', source, this.slow),
    };
  }
}

/** "500".."599". HAProxy logs "-1" when no status was sent; that is not an origin 5xx. */
export function isServerError(status: string): boolean {
  return status.length === 3 && status.charCodeAt(0) === 53 /* 5 */;
}

/**
 * A proxy answer counts as slow when the server took at least `slowMs` to send its headers,
 * or when a server-side timeout ended it (termination state starting with "s": the server
 * never answered in time, so its Tr is -1 but the request was certainly slow).
 */
export function isSlowProxyAnswer(
  serverResponseMs: number | null,
  termination: string | null,
  slowMs: number,
): boolean {
  if (serverResponseMs !== null && serverResponseMs >= slowMs) return true;
  return termination !== null && termination.charCodeAt(0) === 115 /* s */;
}

/** The fields of a proxy log entry the tally needs (a ProxyRecord has them). */
export interface ProxyAnswerFacts {
  timeMs: number;
  totalMs: number | null;
  status: string;
  termination: string | null;
  serverResponseMs: number | null;
  /** Who answered, for formats without HAProxy-style termination states (Traefik, nginx). */
  answeredBy?: string;
  upstreamFailure?: string | null;
}

/**
 * The key an answer is tallied under in byTermination: the proxy's own code when it writes one
 * (HAProxy "SH--", Envoy "UC"), else who answered as the parser read it
 * ("answered-by:proxy-upstream-failure:reset_before_response", "answered-by:server").
 */
export function terminationKey(
  entry: Pick<ProxyAnswerFacts, 'termination' | 'answeredBy' | 'upstreamFailure'>,
): string | null {
  if (entry.termination !== null) return entry.termination;
  if (entry.answeredBy === undefined) return null;
  return `${ANSWER_KEY_PREFIX}${entry.answeredBy}${entry.upstreamFailure ? `:${entry.upstreamFailure}` : ''}`;
}

/**
 * When the proxy answered: HAProxy stamps the request's arrival but answers (and writes the
 * line) Ta ms later. The ALB stamps its response and Logs Insights bins by when the line was
 * written, so files mode bins by the answer too.
 */
export function answeredAtMs(entry: ProxyAnswerFacts): number {
  return entry.totalMs !== null && entry.totalMs >= 0 ? entry.timeMs + entry.totalMs : entry.timeMs;
}

/** Adds one proxy answer to the tally: files mode's path, the same rules as the Logs Insights query. */
export function tallyProxyAnswer(tally: ProxyTally, entry: ProxyAnswerFacts, slowMs: number): void {
  const slow = isSlowProxyAnswer(entry.serverResponseMs, entry.termination, slowMs) ? 1 : 0;
  tally.add(tally.minuteOf(answeredAtMs(entry)), entry.status, terminationKey(entry), 1, slow);
}
