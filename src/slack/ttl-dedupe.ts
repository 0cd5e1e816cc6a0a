/**
 * Remembers keys for a while, so a request Slack retries (X-Slack-Retry-Num) or an async
 * Lambda event delivered twice is acted on once. In memory: it covers one process (a server,
 * or one warm Lambda instance); see docs/slack.md for what that does and does not cover.
 */
import type { Clock } from '../core/clock.js';

export interface DedupeStore {
  /** True the first time a key is claimed within the TTL; false for a repeat. */
  claim(key: string): boolean;
}

export function createTtlDedupe(options: { ttlMs: number; maxEntries: number; clock: Pick<Clock, 'now'> }): DedupeStore {
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
