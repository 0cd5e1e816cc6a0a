/**
 * Pure: standing settings that produce errors by themselves. The keep-alive race needs no
 * change: when the targets close idle connections no later than the load balancer does (seed
 * 004, 000), pooled connections are reused as they close. Google's external ALB keeps backend
 * connections 600 s, fixed (next-capabilities §5.3), so its targets need more than that.
 */
import type { Cause } from '../../core/types.js';
import type { StandingSettings } from '../change-event.js';
import type { ErrorSpan } from './cause-windows.js';

/** Google's external Application Load Balancer: "the backend keepalive timeout value is fixed" at 600 s. */
export const GCP_BACKEND_KEEPALIVE_SECONDS = 600;

export function gcpIdleTimeoutSetting(): NonNullable<StandingSettings['idleTimeout']> {
  return {
    seconds: GCP_BACKEND_KEEPALIVE_SECONDS,
    object: 'the Google Cloud load balancer',
    source: 'Google Cloud external Application Load Balancer: fixed 600 s backend keep-alive',
  };
}

export interface SettingFinding {
  causes: Cause[];
  context: Array<{ at: null; what: string; evidence: string }>;
}

/** The keep-alive comparison, for spans of the keep-alive race only; draining settings as context. */
export function findSettingCauses(spans: readonly ErrorSpan[], settings: StandingSettings): SettingFinding {
  const found: SettingFinding = { causes: [], context: [] };
  if (spans.some((span) => span.kind === 'keepalive_race')) compareKeepAlive(settings, found);
  for (const delay of settings.deregistrationDelays ?? []) {
    if (delay.seconds !== 0) continue;
    found.context.push({
      at: null,
      what: `${delay.object} does not drain: a deploy or scale-in cuts its targets' open requests off.`,
      evidence: `${delay.source} = 0`,
    });
  }
  return found;
}

function compareKeepAlive(settings: StandingSettings, found: SettingFinding): void {
  const idle = settings.idleTimeout;
  const keepAlive = settings.targetKeepAlive;
  if (!idle || !keepAlive) {
    const known = idle
      ? `${idle.object}'s idle timeout is ${idle.seconds} s`
      : keepAlive
        ? `the targets' keep-alive timeout is ${keepAlive.seconds} s`
        : 'neither timeout is known';
    found.context.push({
      at: null,
      what: `Which of the two timeouts is longer was not measured: ${known}.`,
      evidence: idle
        ? `${idle.source} = ${idle.seconds}; set aws.changes.targetKeepAliveSeconds to compare`
        : keepAlive
          ? `${keepAlive.source} = ${keepAlive.seconds}; the load balancer's idle timeout was not read`
          : 'no idle timeout or keep-alive setting was read',
    });
    return;
  }
  const evidence = `${idle.source} = ${idle.seconds}; ${keepAlive.source} = ${keepAlive.seconds}`;
  if (keepAlive.seconds > idle.seconds) {
    found.context.push({
      at: null,
      what: `The targets' keep-alive timeout (${keepAlive.seconds} s) is longer than ${idle.object}'s idle timeout (${idle.seconds} s): the right way round, so look for a hop in between that closes connections sooner.`,
      evidence,
    });
    return;
  }
  const what =
    keepAlive.seconds === idle.seconds
      ? `The targets' keep-alive timeout equals ${idle.object}'s idle timeout (${idle.seconds} s): both close idle connections at the same moment, and the load balancer reuses some the targets are closing.`
      : `The targets' keep-alive timeout (${keepAlive.seconds} s) is shorter than ${idle.object}'s idle timeout (${idle.seconds} s): they close idle connections the load balancer still reuses.`;
  found.causes.push({ kind: 'idle_timeout_mismatch', at: null, what, evidence });
}
