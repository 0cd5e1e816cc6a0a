/**
 * The records the per-line parsers produce, in one file so that the format parsers and their
 * dispatcher import types from here rather than from each other.
 *
 * Every record carries NORMALISED facts (`answeredBy`, `upstreamFailure`) so that rules never
 * re-read a format's own codes (HAProxy termination states, Envoy response flags, Traefik's
 * OriginStatus, CloudFront result types, GCP statusDetails, Cloudflare 52x). In these facts the
 * "proxy" is the layer that wrote the log line (HAProxy, nginx, Traefik, Envoy, the CDN edge,
 * Google's front end) and the "server" is the layer behind it (application, origin, backend).
 */

/**
 * Who produced the status the client of this layer received.
 * - `server`: the layer behind answered and this layer passed the answer on (from cache too).
 * - `proxy-rule`: this layer answered by its own rule without asking the server: a deny or
 *   rate-limit rule (HAProxy `PR`, Envoy `RL`/`UAEX`), a redirect, no route, a WAF block, a
 *   Traefik middleware (OriginStatus 0 below 500).
 * - `proxy-upstream-failure`: this layer minted an error because the server failed: could not
 *   connect, reset before answering, timed out, no healthy server (HAProxy `SC`/`SH`/`sH`, Envoy
 *   `UF`/`UC`/`UH`/`UT`, Traefik's own "Bad Gateway", Cloudflare 52x, CloudFront `Origin*Error`,
 *   GCP `failed_to_connect_to_backend`…). `upstreamFailure` says how, when the log says.
 * - `proxy-internal`: this layer failed by itself (resource exhaustion, internal error,
 *   overload, its own capacity): its own error, neither a rule nor the server's fault.
 * - `queue-timeout`: the request waited in the proxy's queue for a free server until the queue
 *   timeout (HAProxy `sQ`).
 * - `none`: nobody answered (the client went away first) or the log does not say who did.
 */
export type AnsweredBy =
  | 'server'
  | 'proxy-rule'
  | 'proxy-upstream-failure'
  | 'proxy-internal'
  | 'queue-timeout'
  | 'none';

/** How the server failed, when the log says (only with `answeredBy: 'proxy-upstream-failure'`). */
export type UpstreamFailure =
  /** No connection: refused, unreachable, DNS, or a timeout while connecting. */
  | 'connect'
  /** The connection closed or reset before any response header: the keep-alive race's shape. */
  | 'reset_before_response'
  /** Connected, but no response in time. */
  | 'timeout'
  /** No healthy server to send to. */
  | 'no_healthy'
  /** The server answered something invalid (bad headers, TLS or HTTP protocol error). */
  | 'protocol';

/** The facts every record fills. */
export interface AnswerFacts {
  answeredBy: AnsweredBy;
  upstreamFailure: UpstreamFailure | null;
}

export type ProxyKind = 'haproxy-http' | 'nginx-ingress' | 'traefik-clf' | 'traefik-json' | 'envoy' | 'envoy-json';

/** One answer of an origin proxy, the same shape for every proxy format. */
export interface ProxyRecord extends AnswerFacts {
  kind: ProxyKind;
  /**
   * When the request started, epoch ms (the line's own time). HAProxy's accept date has no zone:
   * it is read in `utcOffsetMinutes` (default 0 = UTC). nginx and Traefik CLF carry their
   * offset; Traefik JSON `StartUTC`, Envoy `%START_TIME%` are UTC.
   */
  timeMs: number;
  /** Verbatim: "429"; "-1" when HAProxy sent no response; "0" when Envoy or Traefik sent none. */
  status: string;
  /**
   * The proxy's own termination code verbatim: HAProxy's 4-char state ("PR--", "----", "SH--");
   * Envoy's `%RESPONSE_FLAGS%` ("UC", "UF,URX"; null for "-"). Null for nginx and Traefik.
   */
  termination: string | null;
  /** HAProxy frontend (with its `~` SSL suffix); Traefik router name; null for nginx and Envoy. */
  frontend: string | null;
  /** HAProxy backend; nginx `$proxy_upstream_name` (null when `[]`); Traefik JSON ServiceName; Istio upstream cluster. */
  backend: string | null;
  /** HAProxy server, `<NOSRV>` and `<STATS>` kept verbatim; nginx `$upstream_addr` verbatim (null when `-`); Traefik ServiceURL; Envoy UPSTREAM_HOST. */
  server: string | null;
  /**
   * Server response time in ms (HAProxy Tr; nginx upstream_response_time first value; Traefik
   * JSON OriginDuration; Envoy x-envoy-upstream-service-time); null when -1 / "-" / absent.
   */
  serverResponseMs: number | null;
  /** Total time (HAProxy Ta, or Tt in 1.x logs; nginx `$request_time`; Traefik Duration; Envoy DURATION) in ms; null when absent. */
  totalMs: number | null;
  /** From the request line; null for "<BADREQ>" or "". */
  method: string | null;
  path: string | null;
  /** Request line cut at the syslog length limit (no closing quote, or the line ends before it). */
  requestTruncated: boolean;
  /** nginx: verbatim upstream_status field ("200, 203", "-"); Traefik JSON: OriginStatus ("0" when Traefik answered itself); null otherwise. */
  upstreamStatus: string | null;
}

export type OtherProxyLineKind = 'tcplog' | 'connect_from' | 'spoe' | 'error_log' | 'other';

/** A recognised HAProxy line that is not an HTTP access line. */
export interface OtherProxyLine {
  kind: 'other';
  otherKind: OtherProxyLineKind;
}

export interface MalformedLine {
  kind: 'malformed';
  /** Short and specific, e.g. "truncated accept date". */
  reason: string;
}

export type ProxyLine = ProxyRecord | OtherProxyLine | MalformedLine;

export interface ParseProxyLineOptions {
  /** HAProxy writes its accept date in its local time; this is that zone's UTC offset. Default 0. */
  utcOffsetMinutes?: number;
}

export const malformed = (reason: string): MalformedLine => ({ kind: 'malformed', reason });

/** The proxy formats `parseProxyLine` knows, as a person would name them. */
export const KNOWN_PROXY_FORMATS =
  'HAProxy httplog, ingress-nginx upstreaminfo, Traefik access logs (Common Log Format or JSON), Envoy or Istio access logs (default text format or Istio JSON)';
