/**
 * Remembers keys for a while, so a request Slack retries (X-Slack-Retry-Num) is acknowledged
 * once by this process without a network call on the acknowledgement path. In memory: it covers
 * one process; across instances, the job's claim in the state store (job-executor.ts) decides.
 */
import type { Clock } from '../core/clock.js';

export interface DedupeStore {
  /** True the first time a key is claimed within the TTL; false for a repeat. */
  claim(key: string): boolean;
}

export function createTtlDedupe(options: {
  ttlMs: number;
  maxEntries: number;
  clock: Pick<Clock, 'now'>;
}): DedupeStore {
  const expiries = new Map<string, number>();
  const evictExpired = (nowMs: number) => {
    for (const [key, expiresAt] of expiries) {
      if (expiresAt > nowMs && expiries.size <= options.maxEntries) break;
      expiries.delete(key);
    }
  };
  return {
    claim(key) {
      const nowMs = options.clock.now().getTime();
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > nowMs) return false;
      expiries.delete(key);
      expiries.set(key, nowMs + options.ttlMs);
      evictExpired(nowMs);
      return true;
    },
  };
}
