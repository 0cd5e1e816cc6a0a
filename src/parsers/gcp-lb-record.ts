/**
 * A Google Cloud external Application Load Balancer request, as Cloud Logging records it
 * (next-capabilities.md §5.3). The normalised facts use the proxies' vocabulary
 * (proxy-record.ts) with the load balancer (Google's front end) as the "proxy" and the backend
 * as the "server": `answeredBy: 'server'` = the backend chose the status
 * (`response_sent_by_backend`); 'proxy-upstream-failure' = the load balancer minted it because
 * the backend failed, and `upstreamFailure` says how. GCP answers many of these with 503 as
 * well as 502: classify by them, never by the status alone.
 */
import type { AnswerFacts, MalformedLine } from './proxy-record.js';

export interface GcpLbRecord extends AnswerFacts {
  kind: 'gcp-lb';
  /** The entry's `timestamp`, epoch ms. */
  timeMs: number;
  /** `httpRequest.status` ("502"); "0" when absent (the client left before any response). */
  status: string;
  /** `jsonPayload.statusDetails` verbatim ("backend_connection_closed_before_data_sent_to_client"); null when absent. */
  statusDetails: string | null;
  /** `resource.labels.backend_service_name`; null when absent or empty (a backend bucket). */
  backendService: string | null;
  /** `httpRequest.latency` ("0.248406s") in ms; null when absent. */
  latencyMs: number | null;
  method: string | null;
  host: string | null;
  /** Path and query of `httpRequest.requestUrl`. */
  path: string | null;
}

export type GcpLbEntry = GcpLbRecord | MalformedLine;

export const KNOWN_GCP_LB_FORMAT =
  'Google Cloud external Application Load Balancer request logs exported from Cloud Logging (JSON: one entry per line, or a JSON array)';
