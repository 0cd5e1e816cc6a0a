/**
 * The normalised answer facts as shared constants (records point at them instead of carrying
 * a fresh object each: proxy logs run to millions of lines), and the one test of "minted".
 */
import type { AnsweredBy, AnswerFacts, UpstreamFailure } from './proxy-record.js';

const facts = (answeredBy: AnsweredBy, upstreamFailure: UpstreamFailure | null = null): AnswerFacts =>
  Object.freeze({ answeredBy, upstreamFailure });

export const ANSWERED = Object.freeze({
  byServer: facts('server'),
  byRule: facts('proxy-rule'),
  byProxyItself: facts('proxy-internal'),
  byQueueTimeout: facts('queue-timeout'),
  byNobody: facts('none'),
});

/** The proxy minted an error because the server failed, and how (null: the log does not say). */
export const UPSTREAM_FAILED = Object.freeze({
  unknown: facts('proxy-upstream-failure'),
  connect: facts('proxy-upstream-failure', 'connect'),
  resetBeforeResponse: facts('proxy-upstream-failure', 'reset_before_response'),
  timeout: facts('proxy-upstream-failure', 'timeout'),
  noHealthy: facts('proxy-upstream-failure', 'no_healthy'),
  protocol: facts('proxy-upstream-failure', 'protocol'),
});

export function upstreamFailed(cause: UpstreamFailure | null): AnswerFacts {
  switch (cause) {
    case 'connect':
      return UPSTREAM_FAILED.connect;
    case 'reset_before_response':
      return UPSTREAM_FAILED.resetBeforeResponse;
    case 'timeout':
      return UPSTREAM_FAILED.timeout;
    case 'no_healthy':
      return UPSTREAM_FAILED.noHealthy;
    case 'protocol':
      return UPSTREAM_FAILED.protocol;
    default:
      return UPSTREAM_FAILED.unknown;
  }
}

const MINTED: ReadonlySet<AnsweredBy> = new Set([
  'proxy-rule',
  'proxy-upstream-failure',
  'proxy-internal',
  'queue-timeout',
]);

/**
 * True when the layer that wrote the log made the status itself rather than passing the
 * server's on: what `edge_minted_5xx` counts for an edge, and "the load balancer minted it" for GCP.
 */
export function isMintedByProxy(answeredBy: AnsweredBy): boolean {
  return MINTED.has(answeredBy);
}
