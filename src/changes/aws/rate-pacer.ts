/**
 * Spaces calls out to a documented rate. CloudTrail LookupEvents: "The rate of lookup requests
 * is limited to two per second, per account, per Region. If this limit is exceeded, a throttling
 * error occurs" (next-capabilities §4.1). Every investigation of this process shares one pacer,
 * so two people asking at once still make at most two calls a second; throttling that happens
 * anyway (another tool on the account) is retried with backoff by the caller.
 */
import type { Clock } from '../../core/clock.js';

export class RatePacer {
  private nextSlotMs = Number.NEGATIVE_INFINITY;

  constructor(readonly minIntervalMs: number) {}

  /** Resolves when this call's slot comes; slots are handed out in call order, `minIntervalMs` apart. */
  async wait(clock: Clock, signal?: AbortSignal): Promise<void> {
    const nowMs = clock.now().getTime();
    const slotMs = Math.max(nowMs, this.nextSlotMs);
    this.nextSlotMs = slotMs + this.minIntervalMs;
    if (slotMs > nowMs) await clock.sleep(slotMs - nowMs, signal);
  }
}

/** Two calls a second. */
export const CLOUDTRAIL_MIN_INTERVAL_MS = 500;

let processPacer: RatePacer | null = null;

/** The one CloudTrail pacer of this process (a Lambda container, the Slack app, the CLI). */
export function cloudTrailPacer(): RatePacer {
  processPacer ??= new RatePacer(CLOUDTRAIL_MIN_INTERVAL_MS);
  return processPacer;
}
