/**
 * Envoy's `%RESPONSE_FLAGS%` (and Istio's `%RESPONSE_CODE_DETAILS%`) → who answered.
 * Flags from Envoy's access-log docs (docs/root/configuration/observability/access_log/usage.rst):
 * UH no healthy upstream (503), UF upstream connection failure (503), UO upstream overflow /
 * circuit breaking (503), NR no route (404), URX retry limit reached, NC cluster not found, LH
 * local service failed health check (503), UT upstream request timeout (504), LR connection
 * local reset (503), UR upstream remote reset (503), UC upstream connection termination (503),
 * RL rate-limited (429), UAEX external authorization denied, RLSE rate limit service error, IH
 * invalid header (400), FI fault injected, SI stream idle timeout, DPE/UPE downstream/upstream
 * protocol error, UMSDR max stream duration, OM overload manager, DF DNS failure, DC downstream
 * connection termination, DI delay injected, DT max duration. Several may be set: "UF,URX".
 * Note Envoy answers the keep-alive race with 503 UC (or URX), not 502.
 */
import { ANSWERED, UPSTREAM_FAILED } from './answer-facts.js';
import type { AnswerFacts } from './proxy-record.js';

/** Flags that mean Envoy minted the status because the upstream failed, most telling first. */
const UPSTREAM_FAILURE_FLAGS: ReadonlyArray<readonly [string, AnswerFacts]> = [
  ['UF', UPSTREAM_FAILED.connect],
  ['DF', UPSTREAM_FAILED.connect],
  ['UH', UPSTREAM_FAILED.noHealthy],
  ['NC', UPSTREAM_FAILED.noHealthy],
  ['LH', UPSTREAM_FAILED.noHealthy],
  ['UT', UPSTREAM_FAILED.timeout],
  ['UMSDR', UPSTREAM_FAILED.timeout],
  ['UC', UPSTREAM_FAILED.resetBeforeResponse],
  ['UR', UPSTREAM_FAILED.resetBeforeResponse],
  ['UPE', UPSTREAM_FAILED.protocol],
  ['LR', UPSTREAM_FAILED.unknown],
  ['UO', UPSTREAM_FAILED.unknown],
  ['URX', UPSTREAM_FAILED.unknown],
];

/** Flags that mean Envoy answered by its own rule, without asking the upstream. */
const RULE_FLAGS = new Set(['RL', 'UAEX', 'NR', 'FI', 'IH']);
/** Envoy's own trouble: the rate limit service failed, or the overload manager shed load. */
const INTERNAL_FLAGS = new Set(['RLSE', 'OM']);

/**
 * `flags` is the verbatim field ("-", "UC", "UF,URX"); `details` Istio's RESPONSE_CODE_DETAILS
 * when the line has it. `upstreamHost` is null when Envoy never picked a host ("-").
 */
export function envoyAnswerFacts(
  status: string,
  flags: string | null,
  details: string | null,
  upstreamHost: string | null,
): AnswerFacts {
  // Istio names the upstream as the author (e.g. its own 503 returned after retries, "503 URX via_upstream").
  if (details === 'via_upstream') return ANSWERED.byServer;
  if (flags !== null) {
    const list = flags.split(',');
    const failure = firstFailure(list);
    if (failure !== null) return failure === UPSTREAM_FAILED.unknown ? (causeFromDetails(details) ?? failure) : failure;
    // SI: a stream idle timeout ends as 408 toward the client, or 504 when waiting on the upstream.
    if (list.includes('SI')) return status === '504' ? UPSTREAM_FAILED.timeout : ANSWERED.byNobody;
    if (list.some((flag) => RULE_FLAGS.has(flag))) return ANSWERED.byRule;
    if (list.some((flag) => INTERNAL_FLAGS.has(flag))) return ANSWERED.byProxyItself;
  }
  // "0": the response never started (the client went away first).
  if (status === '0') return ANSWERED.byNobody;
  // No flag that explains it: the upstream answered, or Envoy answered directly (a redirect or a
  // direct_response route never picks a host).
  return upstreamHost !== null ? ANSWERED.byServer : ANSWERED.byRule;
}

function firstFailure(list: string[]): AnswerFacts | null {
  for (const [flag, facts] of UPSTREAM_FAILURE_FLAGS) if (list.includes(flag)) return facts;
  return null;
}

/**
 * Istio's details name the reset when the flags do not (a bare URX after retries):
 * `upstream_reset_before_response_started{connection_failure}`, `{connection_termination}`,
 * `{remote_reset}`, `{local_reset}`, `{overflow}`.
 */
function causeFromDetails(details: string | null): AnswerFacts | null {
  if (details === null || !details.startsWith('upstream_reset_before_response_started')) return null;
  if (details.includes('connection_failure')) return UPSTREAM_FAILED.connect;
  if (details.includes('connection_termination') || details.includes('remote_reset'))
    return UPSTREAM_FAILED.resetBeforeResponse;
  return null;
}
