/**
 * Who answered a Traefik request, from its access log (Traefik source, pkg/middlewares/accesslog
 * and pkg/proxy/httputil/proxy.go; traefik/traefik#13609):
 * - Traefik initialises OriginStatus to 0 at the entry point and sets it only inside the
 *   per-server proxy handler, so OriginStatus 0 (and in CLF, no server URL) means the request
 *   was never proxied: a router miss, a middleware (redirect, auth, rate limit), or the load
 *   balancer's own 503 "no available server".
 * - Traefik's proxy error handler writes its 502/504 INSIDE that handler, so an unreachable or
 *   resetting server is logged with OriginStatus 502/504 like a server's own answer. What tells
 *   them apart is the body: the handler writes `http.StatusText(code)`, "Bad Gateway" (11 bytes)
 *   or "Gateway Timeout" (15 bytes), or "Internal Server Error" (21) for other errors.
 */
import { ANSWERED, UPSTREAM_FAILED } from './answer-facts.js';
import type { AnswerFacts } from './proxy-record.js';

/** The body Traefik's proxy error handler writes for each status it mints, by size. */
const OWN_ERROR_BODIES: Record<string, { bytes: number; facts: AnswerFacts }> = {
  '502': { bytes: 'Bad Gateway'.length, facts: UPSTREAM_FAILED.unknown },
  '504': { bytes: 'Gateway Timeout'.length, facts: UPSTREAM_FAILED.timeout },
  '500': { bytes: 'Internal Server Error'.length, facts: UPSTREAM_FAILED.unknown },
};

/**
 * `status` is the DownstreamStatus; `proxied` whether a server handler ran (OriginStatus > 0, or
 * a server URL in CLF); `bodyBytes` the response body size (OriginContentSize, else
 * DownstreamContentSize), null when not logged.
 */
export function traefikAnswerFacts(status: string, proxied: boolean, bodyBytes: number | null): AnswerFacts {
  // 0: no response was written (hijacked or abandoned); 499: Traefik's "client closed request".
  if (status === '0' || status === '499') return ANSWERED.byNobody;
  if (!proxied) {
    if (status.charCodeAt(0) !== 53 /* 5 */) return ANSWERED.byRule;
    // The load balancer's "no available server" (and an open circuit breaker) answer 503.
    return status === '503' ? UPSTREAM_FAILED.noHealthy : UPSTREAM_FAILED.unknown;
  }
  const own = OWN_ERROR_BODIES[status];
  return own !== undefined && bodyBytes === own.bytes ? own.facts : ANSWERED.byServer;
}
