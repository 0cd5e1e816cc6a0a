import { type AlbLineFields, formatAlbLine, formatHaproxyLine, type HaproxyLineFields } from './log-line-format.js';
import { noisyCount, seededRandom } from './random.js';

/** One tenant (index) behind the shared load balancer. */
export interface TenantSpec {
  index: string;
  /** "targetgroup/k8s-prod000audio/0123456789abcdef" */
  targetGroup: string;
  requestsPerMinute: number;
  /** Request path, e.g. "/indexes/prod_000_audio/search" */
  path: string;
}

/** Something that happens during the incident; minutes are offsets from the spec's start. */
export type IncidentEvent =
  /** The proxy's rate limit answers 429 (PR--) to extra requests, in a triangular burst. */
  | { kind: 'throttle'; index: string; fromMinute: number; toMinute: number; peakPerMinute: number }
  /** The application answers 5xx through the proxy. */
  | { kind: 'origin_5xx'; index: string; fromMinute: number; toMinute: number; perMinute: number; status?: number }
  /** The load balancer mints 502s on reused keep-alive connections: LB-wide, spread by traffic, or for one index. */
  | { kind: 'keepalive_502'; perMinute: number; index?: string }
  /** Targets die: this share of the index's requests get LB-minted 502s and never reach the proxy. */
  | { kind: 'target_down'; index: string; fromMinute: number; toMinute: number; failFraction: number }
  /** The application is slow: this share of requests hits the proxy's server timeout (504 sH--). */
  | { kind: 'slow_origin'; index: string; fromMinute: number; toMinute: number; fraction: number; timeoutSeconds: number }
  /** No healthy targets: the load balancer answers 503 itself. */
  | { kind: 'no_targets'; index: string; fromMinute: number; toMinute: number };

export interface IncidentSpec {
  start: Date;
  minutes: number;
  seed: number;
  /** "app/k8s-ingress/0123456789abcdef" */
  loadBalancer: string;
  region: string;
  accountId: string;
  tenants: TenantSpec[];
  events: IncidentEvent[];
  /**
   * The load balancer's nodes (one per availability zone, named by IP): each writes its own
   * file every 5 minutes. Default: one node, 10.0.1.5.
   */
  albNodes?: string[];
}

export interface GeneratedLine {
  timeMs: number;
  line: string;
}

export interface SimulatedLogs {
  alb: GeneratedLine[];
  proxy: GeneratedLine[];
}

/** Generates the ALB and proxy log lines of an incident, in time order. Deterministic per seed. */
export function simulateIncident(spec: IncidentSpec): SimulatedLogs {
  const out: SimulatedLogs = { alb: [], proxy: [] };
  for (const minute of simulateMinutes(spec)) {
    out.alb.push(...minute.alb);
    out.proxy.push(...minute.proxy);
  }
  return out;
}

/** The same, one minute at a time, so large incidents are written in constant memory. */
export function* simulateMinutes(spec: IncidentSpec): Generator<SimulatedLogs> {
  const random = seededRandom(spec.seed);
  const totalRpm = spec.tenants.reduce((sum, t) => sum + t.requestsPerMinute, 0);
  for (let minute = 0; minute < spec.minutes; minute++) {
    const minuteMs = spec.start.getTime() + minute * 60_000;
    const albMinute: GeneratedLine[] = [];
    const proxyMinute: GeneratedLine[] = [];
    const emitters = spec.tenants.map((tenant, tenantIndex) => emitter(spec, tenant, tenantIndex, random, albMinute, proxyMinute));
    for (const [tenantIndex, tenant] of spec.tenants.entries()) {
      const emit = emitters[tenantIndex]!;
      for (let n = noisyCount(tenant.requestsPerMinute, random); n > 0; n--) emit(minuteMs + Math.floor(random() * 60_000), outcomeFor(spec, tenant, minute, random));
      for (let n = throttledCount(spec, tenant, minute, random); n > 0; n--) emit(minuteMs + Math.floor(random() * 60_000), 'throttled');
      for (let n = origin5xxCount(spec, tenant, minute, random); n > 0; n--) emit(minuteMs + Math.floor(random() * 60_000), 'origin_5xx');
    }
    for (const event of spec.events) {
      if (event.kind !== 'keepalive_502') continue;
      const only = event.index === undefined ? -1 : spec.tenants.findIndex((tenant) => tenant.index === event.index);
      for (let n = noisyCount(event.perMinute, random); n > 0; n--) {
        const tenant = only >= 0 ? only : pickByTraffic(spec.tenants, totalRpm, random);
        emitters[tenant]!(minuteMs + Math.floor(random() * 60_000), 'keepalive_502');
      }
    }
    albMinute.sort((a, b) => a.timeMs - b.timeMs);
    proxyMinute.sort((a, b) => a.timeMs - b.timeMs);
    yield { alb: albMinute, proxy: proxyMinute };
  }
}

type Outcome = 'ok' | 'slow_ok' | 'throttled' | 'origin_5xx' | 'keepalive_502' | 'target_down' | 'timeout' | 'no_targets';

function active<E extends IncidentEvent>(spec: IncidentSpec, kind: E['kind'], index: string, minute: number): E | undefined {
  return spec.events.find(
    (event) => event.kind === kind && 'fromMinute' in event && event.index === index && minute >= event.fromMinute && minute <= event.toMinute,
  ) as E | undefined;
}

function outcomeFor(spec: IncidentSpec, tenant: TenantSpec, minute: number, random: () => number): Outcome {
  if (active(spec, 'no_targets', tenant.index, minute)) return 'no_targets';
  const down = active<Extract<IncidentEvent, { kind: 'target_down' }>>(spec, 'target_down', tenant.index, minute);
  if (down && random() < down.failFraction) return 'target_down';
  const slow = active<Extract<IncidentEvent, { kind: 'slow_origin' }>>(spec, 'slow_origin', tenant.index, minute);
  if (slow) {
    const roll = random();
    if (roll < slow.fraction) return 'timeout';
    if (roll < slow.fraction * 3) return 'slow_ok';
  }
  return 'ok';
}

function throttledCount(spec: IncidentSpec, tenant: TenantSpec, minute: number, random: () => number): number {
  const burst = active<Extract<IncidentEvent, { kind: 'throttle' }>>(spec, 'throttle', tenant.index, minute);
  if (!burst) return 0;
  const middle = (burst.fromMinute + burst.toMinute) / 2;
  const halfWidth = Math.max(1, (burst.toMinute - burst.fromMinute) / 2 + 1);
  const shape = 1 - Math.abs(minute - middle) / halfWidth;
  return noisyCount(burst.peakPerMinute * Math.max(0.15, shape), random);
}

function origin5xxCount(spec: IncidentSpec, tenant: TenantSpec, minute: number, random: () => number): number {
  const event = active<Extract<IncidentEvent, { kind: 'origin_5xx' }>>(spec, 'origin_5xx', tenant.index, minute);
  return event ? noisyCount(event.perMinute, random) : 0;
}

function pickByTraffic(tenants: TenantSpec[], totalRpm: number, random: () => number): number {
  let roll = random() * totalRpm;
  for (const [i, tenant] of tenants.entries()) {
    roll -= tenant.requestsPerMinute;
    if (roll < 0) return i;
  }
  return tenants.length - 1;
}

function emitter(spec: IncidentSpec, tenant: TenantSpec, tenantIndex: number, random: () => number, alb: GeneratedLine[], proxy: GeneratedLine[]) {
  const arn = `arn:aws:elasticloadbalancing:${spec.region}:${spec.accountId}:${tenant.targetGroup}`;
  const url = `https://search.example.com:443${tenant.path}`;
  return (timeMs: number, outcome: Outcome): void => {
    const target = `10.0.${2 + (tenantIndex % 200)}.${10 + Math.floor(random() * 3)}:8080`;
    const client = `203.0.113.${1 + Math.floor(random() * 250)}:${1024 + Math.floor(random() * 60000)}`;
    const latency = 0.02 + random() * 0.25;
    const traceId = `Root=1-${Math.floor(timeMs / 1000).toString(16)}-${Math.floor(random() * 2 ** 48).toString(16).padStart(24, '0')}`;
    const albFields: AlbLineFields = {
      timeMs,
      elb: spec.loadBalancer,
      client,
      target,
      requestSeconds: 0.001,
      targetSeconds: latency,
      responseSeconds: 0,
      elbStatus: 200,
      targetStatus: 200,
      method: 'POST',
      url,
      targetGroupArn: arn,
      traceId,
    };
    const proxyFields: HaproxyLineFields = {
      timeMs: timeMs - Math.round(latency * 1000),
      client: `10.0.1.${5 + (tenantIndex % 3)}:${20000 + Math.floor(random() * 40000)}`,
      frontend: 'fe_search',
      backend: 'be_search',
      server: `search-${tenantIndex % 4}`,
      timers: [0, 0, 1, Math.round(latency * 1000), Math.round(latency * 1000) + 1],
      status: 200,
      bytes: 1873,
      termination: '----',
      method: 'POST',
      path: tenant.path,
      host: 'search.example.com',
    };
    const shaped = shapeOutcome(outcome, albFields, proxyFields, random);
    alb.push({ timeMs, line: formatAlbLine(shaped.alb) });
    // HAProxy writes its line when it answers: Ta ms after the request's accept date.
    if (shaped.proxy) proxy.push({ timeMs: shaped.proxy.timeMs + Math.max(0, shaped.proxy.timers[4]), line: formatHaproxyLine(shaped.proxy) });
  };
}

/** How each outcome looks in each log; null proxy = the request never reached the proxy. */
function shapeOutcome(outcome: Outcome, alb: AlbLineFields, proxy: HaproxyLineFields, random: () => number): { alb: AlbLineFields; proxy: HaproxyLineFields | null } {
  switch (outcome) {
    case 'ok':
      return { alb, proxy };
    case 'slow_ok': {
      const seconds = 2.5 + random() * 6;
      const ms = Math.round(seconds * 1000);
      return { alb: { ...alb, targetSeconds: seconds }, proxy: { ...proxy, timeMs: alb.timeMs - ms, timers: [0, 0, 1, ms, ms + 1] } };
    }
    case 'throttled':
      return {
        alb: { ...alb, targetSeconds: 0.001, elbStatus: 429, targetStatus: 429 },
        proxy: { ...proxy, timeMs: alb.timeMs - 1, server: '<NOSRV>', timers: [0, -1, -1, -1, 0], status: 429, bytes: 212, termination: 'PR--' },
      };
    case 'origin_5xx':
      return { alb: { ...alb, elbStatus: 500, targetStatus: 500 }, proxy: { ...proxy, status: 500, bytes: 243 } };
    case 'keepalive_502':
    case 'target_down':
      return { alb: { ...alb, targetSeconds: null, elbStatus: 502, targetStatus: null }, proxy: null };
    case 'no_targets':
      return { alb: { ...alb, target: null, targetSeconds: null, elbStatus: 503, targetStatus: null }, proxy: null };
    case 'timeout':
      return {
        alb: { ...alb, targetSeconds: 30.001, elbStatus: 504, targetStatus: 504 },
        proxy: { ...proxy, timeMs: alb.timeMs - 30_001, timers: [0, 0, 1, -1, 30_001], status: 504, bytes: 194, termination: 'sH--' },
      };
  }
}
