/**
 * What a proxy tally's termination key says about who answered, for the verdict: the tally
 * keeps the proxy's own code where it writes one (HAProxy "SH--", Envoy "UC,URX") and the
 * parsed facts where it does not ("answered-by:proxy-upstream-failure" for Traefik and nginx),
 * see terminationKey in src/evidence/proxy-tally.ts. The format knowledge stays here, with the
 * parsers; rules read only the normalised facts.
 */
import { ANSWER_KEY_PREFIX } from './answer-key.js';
import { envoyAnswerFacts } from './envoy-response-flags.js';
import { haproxyAnswerFacts } from './haproxy-answered-by.js';
import type { AnsweredBy, AnswerFacts, UpstreamFailure } from './proxy-record.js';

const HAPROXY_STATE = /^[-CcSsPLRIDKU][-RQCHDLT][-A-Za-z]{2}$/;
const ENVOY_FLAGS = /^[A-Z]{2,5}(?:,[A-Z]{2,5})*$/;
const ANSWERED_BY: ReadonlySet<string> = new Set<AnsweredBy>([
  'server',
  'proxy-rule',
  'proxy-upstream-failure',
  'proxy-internal',
  'queue-timeout',
  'none',
]);
const FAILURES: ReadonlySet<string> = new Set<UpstreamFailure>([
  'connect',
  'reset_before_response',
  'timeout',
  'no_healthy',
  'protocol',
]);

/** The facts behind a 5xx tallied under `key`, or null when the key is not one we wrote. */
export function answerFactsOfKey(key: string): AnswerFacts | null {
  if (key.startsWith(ANSWER_KEY_PREFIX)) {
    const [answeredBy, upstreamFailure] = key.slice(ANSWER_KEY_PREFIX.length).split(':');
    if (!answeredBy || !ANSWERED_BY.has(answeredBy)) return null;
    const failure =
      upstreamFailure !== undefined && FAILURES.has(upstreamFailure) ? (upstreamFailure as UpstreamFailure) : null;
    return { answeredBy: answeredBy as AnsweredBy, upstreamFailure: failure };
  }
  // A server is named so that "-" (passed through) and "SC" (connect failed) read as HAProxy wrote them.
  if (HAPROXY_STATE.test(key)) return haproxyAnswerFacts(key, '502', 'server');
  if (ENVOY_FLAGS.test(key)) return envoyAnswerFacts('503', key, null, 'upstream');
  return null;
}
