/**
 * The same simulated requests written as the other stacks of the seeds log them (CONTRACT §11,
 * next-capabilities.md §5): Traefik's JSON access log and Envoy's default format for the
 * proxy, a Google Cloud external Application Load Balancer's request log in place of the ALB's,
 * and CloudFront or Cloudflare in front. Each is the documented format, read back by the real
 * parsers; none draws random numbers, so one seed is one incident in every stack.
 */
import type { AlbLineFields, HaproxyLineFields } from './log-line-format.js';

/** What happened to a request, as the simulator decided it (the formats name the cause differently). */
export type StackOutcome =
  | 'ok'
  | 'slow_ok'
  | 'throttled'
  | 'origin_5xx'
  | 'keepalive_502'
  | 'target_down'
  | 'timeout'
  | 'no_targets'
  | 'edge_unreachable'
  | 'proxy_reset';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Traefik's JSON access log (v2/v3 field names): OriginStatus 0 when Traefik answered itself. */
export function formatTraefikJson(f: HaproxyLineFields, outcome: StackOutcome): string {
  const totalMs = Math.max(0, f.timers[4]);
  const serverMs = f.timers[3];
  // A rate-limit middleware answers before any server is chosen; a dead backend's 502 is
  // Traefik's own "Bad Gateway" page (11 bytes) with the upstream failure's status as OriginStatus.
  const answeredByTraefik = outcome === 'throttled';
  // Traefik's proxy error handler writes http.StatusText(502), "Bad Gateway": 11 bytes.
  const bytes = outcome === 'proxy_reset' ? 'Bad Gateway'.length : f.bytes;
  return JSON.stringify({
    ClientAddr: `${f.client}`,
    ClientHost: f.client.split(':')[0],
    DownstreamContentSize: bytes,
    DownstreamStatus: f.status,
    Duration: totalMs * 1_000_000,
    OriginContentSize: answeredByTraefik ? 0 : bytes,
    OriginDuration: answeredByTraefik ? 0 : Math.max(0, serverMs) * 1_000_000,
    OriginStatus: answeredByTraefik ? 0 : f.status,
    Overhead: 100_000,
    RequestAddr: f.host,
    RequestHost: f.host,
    RequestMethod: f.method,
    RequestPath: f.path,
    RequestPort: '-',
    RequestProtocol: 'HTTP/1.1',
    RequestScheme: 'https',
    RetryAttempts: 0,
    RouterName: 'search@kubernetescrd',
    ServiceName: 'search@kubernetescrd',
    ServiceURL: `http://${f.server === '<NOSRV>' ? '10.0.3.10' : '10.0.3.11'}:8080`,
    StartLocal: new Date(f.timeMs).toISOString(),
    StartUTC: new Date(f.timeMs).toISOString(),
    entryPointName: 'websecure',
    level: 'info',
    msg: '',
    time: new Date(f.timeMs + totalMs).toISOString(),
  });
}

/** Envoy's default text access log, with %RESPONSE_FLAGS% (RL for its rate limit, UT for an upstream timeout). */
export function formatEnvoyLine(f: HaproxyLineFields, outcome: StackOutcome): string {
  const flags = outcome === 'throttled' ? 'RL' : outcome === 'timeout' ? 'UT' : outcome === 'proxy_reset' ? 'UC' : '-';
  const totalMs = Math.max(0, f.timers[4]);
  const upstreamMs = f.timers[3] >= 0 ? String(f.timers[3]) : '-';
  const upstream = outcome === 'throttled' ? '-' : '10.0.3.11:8080';
  return `[${new Date(f.timeMs).toISOString()}] "${f.method} ${f.path} HTTP/1.1" ${f.status} ${flags} 412 ${f.bytes} ${totalMs} ${upstreamMs} "-" "python-requests/2.32.3" "${requestId(f.timeMs)}" "${f.host}" "${upstream}"`;
}

/** A Cloud Logging export line of a Google Cloud external Application Load Balancer request. */
export function formatGcpLbEntry(f: AlbLineFields, outcome: StackOutcome, backendService: string): string {
  const { status, statusDetails } = gcpAnswer(f, outcome);
  const latency = f.targetSeconds === null ? 0.002 : f.targetSeconds + f.requestSeconds + f.responseSeconds;
  const url = f.url.replace(':443', '');
  return JSON.stringify({
    httpRequest: {
      requestMethod: f.method,
      requestUrl: url,
      requestSize: '412',
      status,
      responseSize: status >= 500 ? '332' : '1873',
      remoteIp: f.client.split(':')[0],
      serverIp: f.target?.split(':')[0],
      latency: `${latency.toFixed(6)}s`,
    },
    insertId: requestId(f.timeMs),
    jsonPayload: {
      '@type': 'type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry',
      statusDetails,
      backendTargetProjectNumber: 'projects/123456789012',
    },
    logName: 'projects/example-search-prod/logs/requests',
    resource: {
      type: 'http_load_balancer',
      labels: {
        backend_service_name: backendService,
        forwarding_rule_name: 'search-https',
        project_id: 'example-search-prod',
        target_proxy_name: 'search-https-proxy',
        url_map_name: 'search',
        zone: 'global',
      },
    },
    severity: status >= 500 ? 'WARNING' : 'INFO',
    timestamp: new Date(f.timeMs).toISOString(),
  });
}

/** How Google's front end words what the ALB logs as an LB-minted error (it often answers 503 where ALB answers 502). */
function gcpAnswer(f: AlbLineFields, outcome: StackOutcome): { status: number; statusDetails: string } {
  switch (outcome) {
    case 'keepalive_502':
      return { status: 502, statusDetails: 'backend_connection_closed_before_data_sent_to_client' };
    case 'target_down':
      return { status: 503, statusDetails: 'failed_to_connect_to_backend' };
    case 'no_targets':
      return { status: 503, statusDetails: 'failed_to_pick_backend' };
    default:
      return { status: f.elbStatus, statusDetails: 'response_sent_by_backend' };
  }
}

/** A Cloudflare Logpush `http_requests` line: what the client got from the edge, and from the origin (0: none asked). */
export function formatCloudflareLine(f: AlbLineFields | null, edge: EdgeRequest): string {
  const reached = f !== null;
  const status = reached ? f.elbStatus : 522;
  const durationMs = reached ? Math.round(((f.targetSeconds ?? 0) + 0.004) * 1000) : 19_000;
  const line = JSON.stringify({
    ClientIP: edge.clientIp,
    ClientRequestHost: edge.host,
    ClientRequestMethod: edge.method,
    ClientRequestURI: edge.path,
    ClientRequestPath: edge.path,
    EdgeStartTimestamp: START_NS,
    EdgeEndTimestamp: END_NS,
    EdgeResponseStatus: status,
    EdgeResponseBytes: reached ? 1873 : 3400,
    EdgeColoCode: 'SYD',
    EdgeServerIP: reached ? '203.0.113.15' : '',
    OriginIP: reached ? '198.51.100.80' : '',
    OriginResponseStatus: reached ? f.elbStatus : 0,
    OriginResponseDurationMs: reached ? durationMs - 4 : 0,
    CacheCacheStatus: 'dynamic',
    RayID: requestId(edge.timeMs).slice(0, 16),
  });
  // Logpush's default timestamp_format is unixnano: integers past 2^53, written digit for digit
  // (JSON.stringify cannot write a BigInt), as Logpush writes them.
  return line
    .replace(`"${START_NS}"`, `${edge.timeMs}000000`)
    .replace(`"${END_NS}"`, `${edge.timeMs + durationMs}000000`);
}

const START_NS = '@@edge-start-ns@@';
const END_NS = '@@edge-end-ns@@';

/** A CloudFront standard log line (the 33 tab-separated fields of the current #Fields header). */
export function formatCloudFrontLine(f: AlbLineFields | null, edge: EdgeRequest): string {
  const reached = f !== null;
  const status = reached ? f.elbStatus : 502;
  const error = status >= 400;
  // The origin's own error passes through as "Error" with no origin failure; a connect failure is CloudFront's.
  const detailed = !reached ? 'OriginConnectError' : error ? 'Error' : 'Miss';
  const d = new Date(edge.timeMs);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const taken = reached ? ((f.targetSeconds ?? 0) + 0.004).toFixed(3) : '10.002';
  return [
    date,
    time,
    'SYD62-P1',
    error ? '3400' : '1873',
    edge.clientIp,
    edge.method,
    'd111111abcdef8.cloudfront.net',
    edge.path,
    String(status),
    '-',
    'python-requests/2.32.3',
    '-',
    '-',
    error ? 'Error' : 'Miss',
    requestId(edge.timeMs),
    edge.host,
    'https',
    '412',
    taken,
    '-',
    'TLSv1.3',
    'TLS_AES_128_GCM_SHA256',
    error ? 'Error' : 'Miss',
    'HTTP/1.1',
    '-',
    '-',
    '51234',
    taken,
    detailed,
    'application/json',
    error ? '3400' : '1873',
    '-',
    '-',
  ].join('\t');
}

export const CLOUDFRONT_HEADER = [
  '#Version: 1.0',
  '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end',
].join('\n');

/** The request as the edge saw it: when it answered, who asked, for what. */
export interface EdgeRequest {
  timeMs: number;
  clientIp: string;
  method: string;
  host: string;
  path: string;
}

/** A stable request id from the time: the formats need one, the tests never read it. */
function requestId(timeMs: number): string {
  return `${timeMs.toString(16)}${(timeMs % 9973).toString(16).padStart(4, '0')}`.padEnd(24, '0');
}
