/**
 * HAProxy writes its accept date in the host's local time with no zone. Read in the wrong zone,
 * the proxy's logs slide by whole hours against the ALB's and the verdict would look at the wrong
 * minutes. The same events appear in both logs (the proxy's 429s and 5xx are the ALB's target
 * 429s and 5xx), so a shift shows as a lag at which the two series line up far better than at 0.
 */

/** Lags tried, in minutes: every quarter hour (zones such as +05:45 exist), up to ±14 h. */
const STEP_MINUTES = 15;
const MAX_LAG_MINUTES = 14 * 60;
/** Too few shared events to tell a shift from chance. */
const MIN_EVENTS = 10;

/**
 * The lag in minutes (proxy minute − ALB minute) at which the proxy's events line up with the
 * ALB's, when it is not 0 and lines up clearly better than 0; else null. Both series cover the
 * same minutes. A positive lag means the proxy's clock reads ahead: its offset is +lag.
 */
export function detectClockShiftMinutes(albEvents: readonly number[], proxyEvents: readonly number[]): number | null {
  const albTotal = albEvents.reduce((a, b) => a + b, 0);
  const proxyTotal = proxyEvents.reduce((a, b) => a + b, 0);
  if (Math.min(albTotal, proxyTotal) < MIN_EVENTS) return null;
  const overlapAt = (lag: number) => {
    let shared = 0;
    for (let i = 0; i < albEvents.length; i++) {
      const j = i + lag;
      if (j >= 0 && j < proxyEvents.length) shared += Math.min(albEvents[i]!, proxyEvents[j]!);
    }
    return shared;
  };
  const atZero = overlapAt(0);
  let best = 0;
  let bestShared = atZero;
  const limit = Math.floor(Math.min(MAX_LAG_MINUTES, albEvents.length - 1) / STEP_MINUTES) * STEP_MINUTES;
  for (let lag = -limit; lag <= limit; lag += STEP_MINUTES) {
    if (lag === 0) continue;
    const shared = overlapAt(lag);
    if (shared > bestShared) {
      best = lag;
      bestShared = shared;
    }
  }
  const enough = bestShared >= 0.6 * Math.min(albTotal, proxyTotal);
  return best !== 0 && enough && bestShared >= 2 * atZero ? best : null;
}

/** "+01:00" for 60, "-05:30" for -330. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
