/**
 * The report's sample rows (CONTRACT §9): up to MAX_SAMPLES LB-minted 5xx rows of the index,
 * nearest the asked minute first. One ordering for every provider, so files mode and Athena
 * pick the same rows from the same logs:
 *   1. distance to the asked minute [at, at + 60 s), in microseconds (0 inside the minute);
 *   2. then the row's time (as logged, earliest first);
 *   3. then its trace id.
 * alb-samples.sql ranks each side of the asked minute in exactly this order.
 *
 * AccessLogSampleCollector is files mode's way to fill them, one parsed line at a time.
 */
import { type AccessLogSample, MAX_SAMPLES } from '../core/report.js';
import type { TimeWindow } from '../core/types.js';
import { type AlbRecord, parseAlbLineFields, requestPath } from '../parsers/alb-line.js';
import type { IndexMatcher } from './index-matcher.js';

const MINUTE_MICROS = 60_000_000;

/** "POST /indexes/prod_000_audio/search": method and path, no query string; "-" for what ALB could not parse. */
export function sampleRequest(method: string | null, url: string | null): string {
  return `${method ?? '-'} ${requestPath(url) ?? '-'}`;
}

/** Microseconds since the epoch of an ALB time ("2026-06-18T19:41:00.186641Z"); NaN when it is not one. */
export function timeMicros(time: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z?$/.exec(time);
  if (!match) return Number.NaN;
  const seconds = Date.parse(`${match[1]}Z`) / 1000;
  const micros = Number((match[2] ?? '').padEnd(6, '0').slice(0, 6));
  return seconds * 1_000_000 + micros;
}

/** 0 inside the asked minute, else how far outside it the row is; unreadable times sort last. */
export function distanceMicros(time: string, askedMinute: Date): number {
  const at = timeMicros(time);
  if (Number.isNaN(at)) return Number.POSITIVE_INFINITY;
  const start = askedMinute.getTime() * 1000;
  if (at < start) return start - at;
  return Math.max(0, at - (start + MINUTE_MICROS));
}

/** The samples' order (see the module comment); plain code-unit comparison, as SQL compares ASCII. */
export function compareSamples(askedMinute: Date): (a: AccessLogSample, b: AccessLogSample) => number {
  return (a, b) => {
    const byDistance = distanceMicros(a.time, askedMinute) - distanceMicros(b.time, askedMinute);
    if (byDistance !== 0 && !Number.isNaN(byDistance)) return byDistance;
    return compareText(a.time, b.time) || compareText(a.traceId ?? '-', b.traceId ?? '-');
  };
}

/** The `limit` samples nearest the asked minute, in order. */
export function nearestSamples(
  candidates: readonly AccessLogSample[],
  askedMinute: Date,
  limit = MAX_SAMPLES,
): AccessLogSample[] {
  return [...candidates].sort(compareSamples(askedMinute)).slice(0, limit);
}

/** "LB-minted 5xx": the load balancer answered 5xx itself, no target response (target status "-"). */
export function isMinted5xx(elbStatus: string, targetStatus: string): boolean {
  return targetStatus === '-' && elbStatus.length === 3 && elbStatus.charCodeAt(0) === 53; /* 5 */
}

/**
 * Files mode: offer every parsed ALB line; keeps the `limit` nearest LB-minted 5xx rows of the
 * index in the window. Only candidate lines (a few per thousand) are parsed again for their
 * trace id, which AlbRecord does not carry.
 */
export class AccessLogSampleCollector {
  private kept: AccessLogSample[] = [];
  private readonly compare: (a: AccessLogSample, b: AccessLogSample) => number;

  constructor(
    private readonly window: TimeWindow,
    askedMinute: Date,
    private readonly matcher: IndexMatcher,
    private readonly limit = MAX_SAMPLES,
  ) {
    this.compare = compareSamples(askedMinute);
  }

  offer(record: AlbRecord, line: string): void {
    if (!isMinted5xx(record.elbStatus, record.targetStatus)) return;
    if (record.timeMs < this.window.start.getTime() || record.timeMs >= this.window.end.getTime()) return;
    if (!this.matcher.albBelongs(record.targetGroupArn, record.url)) return;
    const sample = sampleOf(record, line);
    if (this.kept.length === this.limit && this.compare(sample, this.kept[this.limit - 1]!) >= 0) return;
    this.kept.push(sample);
    this.kept.sort(this.compare);
    if (this.kept.length > this.limit) this.kept.pop();
  }

  samples(): AccessLogSample[] {
    return [...this.kept];
  }
}

function sampleOf(record: AlbRecord, line: string): AccessLogSample {
  const fields = parseAlbLineFields(line);
  const traceId = 'kind' in fields ? undefined : fields.trace_id;
  return {
    time: record.time,
    elbStatusCode: Number(record.elbStatus),
    targetStatusCode: record.targetStatus,
    target: record.target ?? '-',
    ...(record.targetGroupArn !== null ? { targetGroup: record.targetGroupArn } : {}),
    request: sampleRequest(record.method, record.url),
    ...(traceId !== undefined && traceId !== '-' ? { traceId } : {}),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
