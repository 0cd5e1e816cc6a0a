import type { ProxyTally } from '../../evidence/proxy-tally.js';

/** A ProxyTally as plain data (what a worker thread sends back), and how it folds into another. */
export type ProxyTallyData = Pick<
  ProxyTally,
  | 'requests'
  | 'origin5xx'
  | 'throttled'
  | 'slow'
  | 'origin5xxByCode'
  | 'origin5xxByTermination'
  | 'throttledByTermination'
>;

export function proxyTallyData(tally: ProxyTally): ProxyTallyData {
  const { requests, origin5xx, throttled, slow, origin5xxByCode, origin5xxByTermination, throttledByTermination } =
    tally;
  return { requests, origin5xx, throttled, slow, origin5xxByCode, origin5xxByTermination, throttledByTermination };
}

/**
 * Adds a piece's tally into the view's. Pieces are merged in file order, so every breakdown's
 * keys come out in the order one thread would first have seen them.
 */
export function mergeProxyTally(into: ProxyTally, from: ProxyTallyData): void {
  addArray(into.requests, from.requests);
  addArray(into.origin5xx, from.origin5xx);
  addArray(into.throttled, from.throttled);
  addArray(into.slow, from.slow);
  addTally(into.origin5xxByCode, from.origin5xxByCode);
  addTally(into.origin5xxByTermination, from.origin5xxByTermination);
  addTally(into.throttledByTermination, from.throttledByTermination);
}

function addArray(into: number[], from: readonly number[]): void {
  if (into.length !== from.length)
    throw new Error(`cannot merge a proxy tally of ${from.length} minutes into ${into.length}`);
  for (let i = 0; i < into.length; i++) into[i]! += from[i]!;
}

function addTally(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}
