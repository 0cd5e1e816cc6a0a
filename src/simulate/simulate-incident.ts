import { type AlbLineFields, formatAlbLine, formatHaproxyLine, type HaproxyLineFields } from './log-line-format.js';
import { noisyCount, seededRandom } from './random.js';
import {
  formatCloudFrontLine,
  formatCloudflareLine,
  formatEnvoyLine,
  formatGcpLbEntry,
  formatTraefikJson,
  type StackOutcome,
} from './stack-line-formats.js';

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
  | {
      kind: 'slow_origin';
      index: string;
      fromMinute: number;
      toMinute: number;
      fraction: number;
      timeoutSeconds: number;
    }
  /** No healthy targets: the load balancer answers 503 itself. */
  | { kind: 'no_targets'; index: string; fromMinute: number; toMinute: number }
  /** The edge (CloudFront, Cloudflare) cannot reach the load balancer: this share of requests end at the edge, never logged behind it. */
  | { kind: 'edge_unreachable'; index: string; fromMinute: number; toMinute: number; failFraction: number }
  /**
   * The proxy's own keep-alive race with the application (seed 004): the application closes idle
   * connections the proxy reuses, and the proxy mints 502 (Envoy: 503 UC) for those requests.
   */
  | { kind: 'proxy_keepalive_502'; index: string; perMinute: number };

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
  /** Which stack logs the requests (the seeds' other stacks). Default: ALB + HAProxy, no edge. */
  stack?: StackSpec;
}

export interface StackSpec {
  loadBalancer?: 'alb' | 'gcp';
  proxy?: 'haproxy' | 'traefik-json' | 'envoy';
  edge?: 'cloudfront' | 'cloudflare';
}

export interface GeneratedLine {
  timeMs: number;
  line: string;
}

export interface SimulatedLogs {
  /** The load balancer's lines: ALB access-log lines, or GCP request-log entries for a GCP stack. */
  alb: GeneratedLine[];
  proxy: GeneratedLine[];
  /** The edge's lines, when the stack has an edge. */
  edge: GeneratedLine[];
}

/** Generates the ALB and proxy log lines of an incident, in time order. Deterministic per seed. */
export function simulateIncident(spec: IncidentSpec): SimulatedLogs {
  const out: SimulatedLogs = { alb: [], proxy: [], edge: [] };
  for (const minute of simulateMinutes(spec)) {
    out.alb.push(...minute.alb);
    out.proxy.push(...minute.proxy);
    out.edge.push(...minute.edge);
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
    const edgeMinute: GeneratedLine[] = [];
    const emitters = spec.tenants.map((tenant, tenantIndex) =>
      emitter(spec, tenant, tenantIndex, random, { alb: albMinute, proxy: proxyMinute, edge: edgeMinute }),
    );
    for (const [tenantIndex, tenant] of spec.tenants.entries()) {
      const emit = emitters[tenantIndex]!;
      for (let n = noisyCount(tenant.requestsPerMinute, random); n > 0; n--)
        emit(minuteMs + Math.floor(random() * 60_000), outcomeFor(spec, tenant, minute, random));
      for (let n = throttledCount(spec, tenant, minute, random); n > 0; n--)
        emit(minuteMs + Math.floor(random() * 60_000), 'throttled');
      for (let n = origin5xxCount(spec, tenant, minute, random); n > 0; n--)
        emit(minuteMs + Math.floor(random() * 60_000), 'origin_5xx');
    }
    for (const event of spec.events) {
      if (event.kind === 'proxy_keepalive_502') {
        const tenant = spec.tenants.findIndex((t) => t.index === event.index);
        for (let n = noisyCount(event.perMinute, random); n > 0; n--)
          emitters[tenant]!(minuteMs + Math.floor(random() * 60_000), 'proxy_reset');
        continue;
      }
      if (event.kind !== 'keepalive_502') continue;
      const only = event.index === undefined ? -1 : spec.tenants.findIndex((tenant) => tenant.index === event.index);
      for (let n = noisyCount(event.perMinute, random); n > 0; n--) {
        const tenant = only >= 0 ? only : pickByTraffic(spec.tenants, totalRpm, random);
        emitters[tenant]!(minuteMs + Math.floor(random() * 60_000), 'keepalive_502');
      }
    }
    albMinute.sort((a, b) => a.timeMs - b.timeMs);
    proxyMinute.sort((a, b) => a.timeMs - b.timeMs);
    edgeMinute.sort((a, b) => a.timeMs - b.timeMs);
    yield { alb: albMinute, proxy: proxyMinute, edge: edgeMinute };
  }
}

type Outcome = StackOutcome;

function active<E extends IncidentEvent>(
  spec: IncidentSpec,
  kind: E['kind'],
  index: string,
  minute: number,
): E | undefined {
  return spec.events.find(
    (event) =>
      event.kind === kind &&
      'fromMinute' in event &&
      event.index === index &&
      minute >= event.fromMinute &&
      minute <= event.toMinute,
  ) as E | undefined;
}

function outcomeFor(spec: IncidentSpec, tenant: TenantSpec, minute: number, random: () => number): Outcome {
  // Draws a random number only when such an event exists: specs without one stay bit-identical.
  const edgeDown = active<Extract<IncidentEvent, { kind: 'edge_unreachable' }>>(
    spec,
    'edge_unreachable',
    tenant.index,
    minute,
  );
  if (edgeDown && random() < edgeDown.failFraction) return 'edge_unreachable';
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

function emitter(
  spec: IncidentSpec,
  tenant: TenantSpec,
  tenantIndex: number,
  random: () => number,
  out: { alb: GeneratedLine[]; proxy: GeneratedLine[]; edge: GeneratedLine[] },
) {
  const stack = spec.stack ?? {};
  const backendService = `k8s-${tenant.index.replace(/_/g, '-')}`;
  const arn = `arn:aws:elasticloadbalancing:${spec.region}:${spec.accountId}:${tenant.targetGroup}`;
  const url = `https://search.example.com:443${tenant.path}`;
  return (timeMs: number, outcome: Outcome): void => {
    const target = `10.0.${2 + (tenantIndex % 200)}.${10 + Math.floor(random() * 3)}:8080`;
    const client = `203.0.113.${1 + Math.floor(random() * 250)}:${1024 + Math.floor(random() * 60000)}`;
    const latency = 0.02 + random() * 0.25;
    const traceId = `Root=1-${Math.floor(timeMs / 1000).toString(16)}-${Math.floor(random() * 2 ** 48)
      .toString(16)
      .padStart(24, '0')}`;
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
    const shaped = shapeOutcome(outcome, albFields, proxyFields, random, stack.proxy ?? 'haproxy');
    if (stack.edge) {
      const edgeRequest = {
        timeMs,
        clientIp: client.split(':')[0]!,
        method: albFields.method,
        host: 'search.example.com',
        path: tenant.path,
      };
      const reached = shaped.alb === null ? null : shaped.alb;
      out.edge.push({
        timeMs,
        line:
          stack.edge === 'cloudflare'
            ? formatCloudflareLine(reached, edgeRequest)
            : formatCloudFrontLine(reached, edgeRequest),
      });
    }
    if (shaped.alb)
      out.alb.push({
        timeMs,
        line:
          stack.loadBalancer === 'gcp'
            ? formatGcpLbEntry(shaped.alb, outcome, backendService)
            : formatAlbLine(shaped.alb),
      });
    // The proxy writes its line when it answers: Ta ms after the request's accept date.
    if (shaped.proxy)
      out.proxy.push({
        timeMs: shaped.proxy.timeMs + Math.max(0, shaped.proxy.timers[4]),
        line: formatProxyLine(stack.proxy ?? 'haproxy', shaped.proxy, outcome),
      });
  };
}

function formatProxyLine(format: NonNullable<StackSpec['proxy']>, fields: HaproxyLineFields, outcome: Outcome): string {
  if (format === 'traefik-json') return formatTraefikJson(fields, outcome);
  if (format === 'envoy') return formatEnvoyLine(fields, outcome);
  return formatHaproxyLine(fields);
}

/** How each outcome looks in each log; null = the request never reached that layer. */
function shapeOutcome(
  outcome: Outcome,
  alb: AlbLineFields,
  proxy: HaproxyLineFields,
  random: () => number,
  proxyFormat: NonNullable<StackSpec['proxy']>,
): { alb: AlbLineFields | null; proxy: HaproxyLineFields | null } {
  switch (outcome) {
    case 'proxy_reset': {
      // The application closed the reused connection as the request arrived: no response header,
      // so the proxy answers its own error (HAProxy SH--, Envoy 503 UC) and the ALB sees it as the target's.
      const status = proxyFormat === 'envoy' ? 503 : 502;
      const ms = 1 + Math.floor(random() * 3);
      return {
        alb: { ...alb, targetSeconds: ms / 1000, elbStatus: status, targetStatus: status },
        proxy: {
          ...proxy,
          timeMs: alb.timeMs - ms,
          timers: [0, 0, 0, -1, ms],
          status,
          bytes: 107,
          termination: 'SH--',
        },
      };
    }
    case 'edge_unreachable':
      return { alb: null, proxy: null };
    case 'ok':
      return { alb, proxy };
    case 'slow_ok': {
      const seconds = 2.5 + random() * 6;
      const ms = Math.round(seconds * 1000);
      return {
        alb: { ...alb, targetSeconds: seconds },
        proxy: { ...proxy, timeMs: alb.timeMs - ms, timers: [0, 0, 1, ms, ms + 1] },
      };
    }
    case 'throttled':
      return {
        alb: { ...alb, targetSeconds: 0.001, elbStatus: 429, targetStatus: 429 },
        proxy: {
          ...proxy,
          timeMs: alb.timeMs - 1,
          server: '<NOSRV>',
          timers: [0, -1, -1, -1, 0],
          status: 429,
          bytes: 212,
          termination: 'PR--',
        },
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
        proxy: {
          ...proxy,
          timeMs: alb.timeMs - 30_001,
          timers: [0, 0, 1, -1, 30_001],
          status: 504,
          bytes: 194,
          termination: 'sH--',
        },
      };
  }
}
