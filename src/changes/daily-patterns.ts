/**
 * Pure: "it happens daily around the same time" (seed 003: forced daily restarts, crons,
 * autoscaling cycles). Given error counts over up to 14 days, per minute or per hour, it notes
 * when bursts of one kind recur at the same hour of the day on several days — with the hour and
 * the days. The same for changes: a workload restarted at the same hour every day.
 */
import { formatCount } from '../core/format-number.js';
import type { VerdictKind } from '../core/types.js';
import type { ChangeEvent } from './change-event.js';

export interface DailyCountsInput {
  kind: VerdictKind;
  /** Errors per bucket, oldest first; null where nothing was measured (never 0 for a hole). */
  counts: ReadonlyArray<number | null>;
  /** Start of the first bucket. */
  start: Date;
  /** 1 to 60, dividing 60 (per-minute input gives the minutes within the hour too). */
  bucketMinutes: number;
}

export interface DailyPattern {
  kind: VerdictKind;
  /** Hour of the day, UTC, 0–23. */
  hourUtc: number;
  /** UTC dates (YYYY-MM-DD) on which that hour burst. */
  days: string[];
  /** Days on which that hour was measured at all. */
  daysMeasured: number;
  /** With per-minute input: the earliest and latest peak minute within the hour over those days. */
  peakMinutes?: [number, number];
  what: string;
  evidence: string;
}

/** A burst hour holds at least this many errors… */
const MIN_BURST = 10;
/** …and this many times the usual (median) hour. */
const BURST_FACTOR = 3;
/** A pattern needs bursts on at least this many days, and on at least half the days measured. */
const MIN_DAYS = 3;
const MIN_SHARE_OF_DAYS = 0.5;
/** At most this many days are looked at (the issue's 14 d window). */
export const MAX_DAYS = 14;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

interface HourBucket {
  hourStartMs: number;
  count: number;
  /** Minute within the hour of the largest bucket (per-minute input). */
  peakMinute: number | null;
}

export function findDailyPatterns(input: DailyCountsInput): DailyPattern[] {
  if (!Number.isInteger(input.bucketMinutes) || input.bucketMinutes < 1 || 60 % input.bucketMinutes !== 0) {
    throw new RangeError(`bucketMinutes must divide 60, got ${input.bucketMinutes}`);
  }
  const hours = toHours(input).filter((h) => h.hourStartMs < input.start.getTime() + MAX_DAYS * 24 * HOUR_MS);
  if (hours.length === 0) return [];
  const usual = median(hours.map((h) => h.count));
  const threshold = Math.max(MIN_BURST, usual * BURST_FACTOR, usual + 4 * Math.sqrt(usual));
  const bursts = hours.filter((h) => h.count >= threshold);
  const patterns: DailyPattern[] = [];
  for (let hour = 0; hour < 24; hour++) {
    const measured = hours.filter((h) => new Date(h.hourStartMs).getUTCHours() === hour);
    const burstDays = bursts.filter((h) => new Date(h.hourStartMs).getUTCHours() === hour);
    if (burstDays.length < MIN_DAYS || burstDays.length < measured.length * MIN_SHARE_OF_DAYS) continue;
    patterns.push(describePattern(input, hour, burstDays, measured.length, usual, input.bucketMinutes < 60));
  }
  return dropNeighbours(patterns);
}

/** Per-bucket counts summed into clock hours; an hour is measured when at least half its buckets were. */
function toHours(input: DailyCountsInput): HourBucket[] {
  const byHour = new Map<number, { count: number; measured: number; peak: number; peakMinute: number | null }>();
  input.counts.forEach((count, i) => {
    const atMs = input.start.getTime() + i * input.bucketMinutes * MINUTE_MS;
    const hourStartMs = Math.floor(atMs / HOUR_MS) * HOUR_MS;
    const hour = byHour.get(hourStartMs) ?? { count: 0, measured: 0, peak: -1, peakMinute: null };
    if (count !== null) {
      hour.count += count;
      hour.measured++;
      if (count > hour.peak) {
        hour.peak = count;
        hour.peakMinute = Math.round((atMs - hourStartMs) / MINUTE_MS);
      }
    }
    byHour.set(hourStartMs, hour);
  });
  const bucketsPerHour = 60 / input.bucketMinutes;
  return [...byHour.entries()]
    .filter(([, hour]) => hour.measured >= bucketsPerHour / 2)
    .map(([hourStartMs, hour]) => ({ hourStartMs, count: hour.count, peakMinute: hour.peakMinute }))
    .sort((a, b) => a.hourStartMs - b.hourStartMs);
}

const KIND_WORDS: Partial<Record<VerdictKind, string>> = {
  throttling_429: '429 bursts',
  keepalive_race: 'LB-minted 502 bursts',
  origin_5xx: 'origin 5xx bursts',
  target_unreachable: 'bursts of LB-minted 502s (targets unreachable)',
  origin_timeout: '504 bursts',
  no_healthy_targets: '503 bursts',
};

function describePattern(
  input: DailyCountsInput,
  hour: number,
  burstDays: HourBucket[],
  daysMeasured: number,
  usual: number,
  perMinute: boolean,
): DailyPattern {
  const days = burstDays.map((h) => new Date(h.hourStartMs).toISOString().slice(0, 10));
  const peaks = burstDays.map((h) => h.peakMinute).filter((m): m is number => m !== null);
  const peakMinutes: [number, number] | undefined =
    perMinute && peaks.length > 0 ? [Math.min(...peaks), Math.max(...peaks)] : undefined;
  const clock = peakMinutes ? minutesText(hour, peakMinutes) : `${pad(hour)}:00–${pad(hour)}:59 UTC`;
  const counts = burstDays.map((h) => h.count);
  const what = `${capital(KIND_WORDS[input.kind] ?? 'Error bursts')} recur daily around ${clock}: on ${burstDays.length} of the ${daysMeasured} days measured (${days.join(', ')}) — something scheduled, such as a daily restart, a cron job or an autoscaling cycle.`;
  const evidence = `Errors per hour from ${new Date(input.start).toISOString().slice(0, 10)}: the ${pad(hour)}:00 UTC hour held ${rangeText(counts)} on those days, against a median of ${formatCount(usual)} per hour.`;
  return {
    kind: input.kind,
    hourUtc: hour,
    days,
    daysMeasured,
    ...(peakMinutes ? { peakMinutes } : {}),
    what,
    evidence,
  };
}

/** A burst that straddles the hour shows at two neighbouring hours: keep the one seen on more days. */
function dropNeighbours(patterns: DailyPattern[]): DailyPattern[] {
  return patterns.filter((pattern) => {
    const next = patterns.find((other) => other.hourUtc === (pattern.hourUtc + 1) % 24);
    const previous = patterns.find((other) => (other.hourUtc + 1) % 24 === pattern.hourUtc);
    if (next && next.days.length > pattern.days.length) return false;
    return !(previous && previous.days.length >= pattern.days.length);
  });
}

export interface DailyChangePattern {
  kind: ChangeEvent['kind'];
  object: string;
  hourUtc: number;
  days: string[];
  what: string;
  evidence: string;
}

/**
 * Changes of one kind on one object at the same hour of the day on several days: "traefik
 * restarted daily around 03:00 UTC". Needs sources that reach back days (CloudTrail keeps 90).
 */
export function findDailyChangePatterns(changes: readonly ChangeEvent[]): DailyChangePattern[] {
  const byKey = new Map<string, ChangeEvent[]>();
  for (const change of changes) {
    const key = `${change.kind}|${change.object}|${change.at.getUTCHours()}`;
    byKey.set(key, [...(byKey.get(key) ?? []), change]);
  }
  const found: DailyChangePattern[] = [];
  for (const group of byKey.values()) {
    const days = [...new Set(group.map((c) => c.at.toISOString().slice(0, 10)))].sort();
    if (days.length < MIN_DAYS) continue;
    const first = group[0]!;
    const hour = first.at.getUTCHours();
    const minutes = group.map((c) => c.at.getUTCMinutes());
    const clock = minutesText(hour, [Math.min(...minutes), Math.max(...minutes)]);
    found.push({
      kind: first.kind,
      object: first.object,
      hourUtc: hour,
      days,
      what: `${first.object}: ${CHANGE_WORDS[first.kind]} daily around ${clock}, on ${days.length} days (${days.join(', ')}).`,
      evidence: `${first.source}: ${first.evidence}${group.length > 1 ? ` (and ${formatCount(group.length - 1)} more at the same hour)` : ''}`,
    });
  }
  return found.sort((a, b) => b.days.length - a.days.length);
}

const CHANGE_WORDS: Record<ChangeEvent['kind'], string> = {
  deploy: 'deployed',
  scale_in: 'scaled in',
  scale_out: 'scaled out',
  targets_deregistered: 'targets deregistered',
  targets_registered: 'targets registered',
  draining: 'draining',
  task_stopped: 'stopped',
  oom_kill: 'OOM-killed',
  container_restart: 'restarted',
  health_check_failed: 'failed health checks',
  attribute_change: 'settings changed',
  config_change: 'changed',
  node_event: 'node changes',
};

function minutesText(hour: number, [from, to]: [number, number]): string {
  return from === to ? `${pad(hour)}:${pad(from)} UTC` : `${pad(hour)}:${pad(from)}–${pad(hour)}:${pad(to)} UTC`;
}

function rangeText(counts: readonly number[]): string {
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  return low === high ? formatCount(low) : `${formatCount(low)}–${formatCount(high)}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
