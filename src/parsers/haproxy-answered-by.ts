/**
 * HAProxy's termination state → who answered (domain.md §5.1, HAProxy configuration.txt
 * "Session state at disconnection"). The first character says who or what ended the session
 * (C/c client, S/s server or server timeout, P proxy rule, L local, R resource, I internal,
 * D down, K killed), the second in which phase (R request, Q queue, C connect, H headers,
 * D data, L last, T tarpit).
 */
import { ANSWERED, UPSTREAM_FAILED } from './answer-facts.js';
import type { AnswerFacts } from './proxy-record.js';

/** `<NOSRV>`: no server was chosen (a deny, or every server down). */
const NO_SERVER = '<NOSRV>';

export function haproxyAnswerFacts(termination: string, status: string, server: string): AnswerFacts {
  const facts = factsOfState(termination.charAt(0), termination.charAt(1), server);
  // -1: no response was sent at all, whatever the state says.
  return status === '-1' && facts === ANSWERED.byServer ? ANSWERED.byNobody : facts;
}

function factsOfState(who: string, phase: string, server: string): AnswerFacts {
  switch (who) {
    case '-':
      // A normal end: the server answered, unless none was chosen (`http-request return`, stats).
      return server === NO_SERVER || server === '<STATS>' ? ANSWERED.byRule : ANSWERED.byServer;
    case 'P':
      // PH: the proxy refused the server's invalid or denied response (502).
      return phase === 'H' ? UPSTREAM_FAILED.protocol : ANSWERED.byRule;
    case 'L':
      return ANSWERED.byRule;
    case 'S':
      if (phase === 'C') return server === NO_SERVER ? UPSTREAM_FAILED.noHealthy : UPSTREAM_FAILED.connect;
      if (phase === 'H') return UPSTREAM_FAILED.resetBeforeResponse;
      // SD/SL: the server's answer had started; it broke off during the body.
      return phase === 'D' || phase === 'L' ? ANSWERED.byServer : UPSTREAM_FAILED.unknown;
    case 's':
      if (phase === 'C') return UPSTREAM_FAILED.connect;
      if (phase === 'Q') return ANSWERED.byQueueTimeout;
      return phase === 'D' || phase === 'L' ? ANSWERED.byServer : UPSTREAM_FAILED.timeout;
    case 'C':
    case 'c':
      // The client left or timed out: the server's answer stands if it had started.
      return phase === 'D' || phase === 'L' ? ANSWERED.byServer : ANSWERED.byNobody;
    case 'R':
    case 'I':
      return ANSWERED.byProxyItself;
    case 'D':
      // Killed because the server was marked down.
      return UPSTREAM_FAILED.unknown;
    default:
      return ANSWERED.byNobody;
  }
}
