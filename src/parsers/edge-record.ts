/**
 * Records of the edge layer in front of a load balancer: CloudFront standard logs and
 * Cloudflare Logpush `http_requests` (next-capabilities.md §5.1, §5.2). The normalised facts use
 * the proxies' vocabulary (proxy-record.ts) with the edge as the "proxy" and the origin as the
 * "server": `answeredBy: 'server'` is an origin response passed through (fresh or from cache);
 * 'proxy-upstream-failure' an error the edge minted because the origin failed (Cloudflare
 * 520–526/530, CloudFront `Origin*Error`); 'proxy-rule' the edge's own answer (WAF, redirect,
 * geo block); 'proxy-internal' the edge's own trouble (CloudFront CapacityExceeded).
 */
import type { AnswerFacts, MalformedLine } from './proxy-record.js';

export type EdgeKind = 'cloudfront' | 'cloudflare';

export interface EdgeRecord extends AnswerFacts {
  kind: EdgeKind;
  /**
   * When the edge finished answering, epoch ms: CloudFront's `date` + `time` ("the time when
   * the server finished responding", whole seconds, UTC); Cloudflare's `EdgeEndTimestamp`, or
   * `EdgeStartTimestamp` when the end is not logged.
   */
  timeMs: number;
  /** How long the edge took, ms: CloudFront `time-taken`; Cloudflare end − start. Null when not logged. */
  totalMs: number | null;
  /** The status the client received from the edge: `sc-status` ("000": the viewer left first); `EdgeResponseStatus`. */
  status: string;
  /** The origin's status: Cloudflare `OriginResponseStatus` ("0": no request was made to the origin). CloudFront does not log it: null. */
  originStatus: string | null;
  /** How long the origin took, ms: Cloudflare `OriginResponseDurationMs` (or the older `OriginResponseTime`, ns). Null otherwise. */
  originMs: number | null;
  /** CloudFront `x-edge-detailed-result-type` ("OriginConnectError", "Hit"…), else `x-edge-result-type`; Cloudflare `CacheCacheStatus`. */
  detail: string | null;
  method: string | null;
  host: string | null;
  /** The path with its query when logged (CloudFront `cs-uri-stem`; Cloudflare `ClientRequestURI`, else `ClientRequestPath`). */
  path: string | null;
  /** CloudFront `x-edge-location` ("SEA19-C1"); Cloudflare `EdgeColoCode`. */
  edgeLocation: string | null;
  /** CloudFront `x-edge-request-id`; Cloudflare `RayID`. */
  requestId: string | null;
}

/** CloudFront's `#Version:` and `#Fields:` lines. */
export interface EdgeHeaderLine {
  kind: 'header';
}

export type EdgeLine = EdgeRecord | EdgeHeaderLine | MalformedLine;

export const KNOWN_EDGE_FORMATS =
  'CloudFront standard logs (tab-separated, #Fields header) and Cloudflare Logpush http_requests (NDJSON)';
