/**
 * The state store of `why502 serve` on one machine: a Map with expiry times. It does not
 * survive a restart and is not shared between processes, which one server does not need.
 */
import type { Clock } from '../core/clock.js';
import type { StateStore } from './state-store.js';

interface Entry {
  value: string | undefined;
  expiresAtMs: number;
}

export function createMemoryStateStore(options: { clock: Pick<Clock, 'now'>; maxEntries?: number }): StateStore {
  const entries = new Map<string, Entry>();
  const maxEntries = options.maxEntries ?? 50_000;
  const nowMs = () => options.clock.now().getTime();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAtMs > nowMs()) return entry;
    entries.delete(key);
    return undefined;
  };
  const set = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    // Maps iterate in insertion order: the first key is the oldest write.
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  };
  return {
    async claimOnce(key, ttlSeconds) {
      if (live(key)) return false;
      set(key, { value: undefined, expiresAtMs: nowMs() + ttlSeconds * 1000 });
      return true;
    },
    async put(key, value, ttlSeconds) {
      set(key, { value, expiresAtMs: nowMs() + ttlSeconds * 1000 });
    },
    async get(key) {
      return live(key)?.value;
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
