/**
 * Recent investigations by thread, so "Redraft" can reuse a report instead of querying again.
 * A miss (another process, a restart, an old thread) is normal: the caller re-runs the command.
 */
import type { Clock } from '../core/clock.js';
import type { InvestigationResult } from '../engine/investigation-runner.js';

export interface ReportCache {
  get(channel: string, threadTs: string): InvestigationResult | undefined;
  set(channel: string, threadTs: string, result: InvestigationResult): void;
}

export function createReportCache(options: { ttlMs: number; maxEntries: number; clock: Pick<Clock, 'now'> }): ReportCache {
  const entries = new Map<string, { result: InvestigationResult; expiresAt: number }>();
  const keyOf = (channel: string, threadTs: string) => `${channel}:${threadTs}`;
  return {
    get(channel, threadTs) {
      const key = keyOf(channel, threadTs);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= options.clock.now().getTime()) {
        entries.delete(key);
        return undefined;
      }
      return entry.result;
    },
    set(channel, threadTs, result) {
      const key = keyOf(channel, threadTs);
      entries.delete(key);
      entries.set(key, { result, expiresAt: options.clock.now().getTime() + options.ttlMs });
      // Maps iterate in insertion order: the first key is the oldest.
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
