/**
 * Keeps the process's concurrent Logs Insights queries under a cap, and lets identical
 * work running at the same time share one promise.
 *
 * Logs Insights allows about 30 concurrent queries per account, dashboards included
 * (domain.md §6.2): a bot that answers several people at once must not take them all, so
 * every query waits for a slot here (config aws.maxConcurrentQueries, default 10). Two
 * people asking about the same index and window at the same moment get the same queries,
 * not twice the cost (`share`).
 */
export class QueryLimiter {
  private running = 0;
  private peak = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private maxConcurrent: number) {
    assertCap(maxConcurrent);
  }

  /** Queries running now. */
  get active(): number {
    return this.running;
  }

  /** The most queries that ever ran at once (for tests and the bench). */
  get peakActive(): number {
    return this.peak;
  }

  get cap(): number {
    return this.maxConcurrent;
  }

  /** A later config may change the cap; running queries keep their slots. */
  setMaxConcurrent(maxConcurrent: number): void {
    assertCap(maxConcurrent);
    this.maxConcurrent = maxConcurrent;
    this.wakeWaiters();
  }

  /** Runs `task` once a slot is free; the slot is released however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /**
   * Runs `task` unless a task with the same key is already running, in which case its
   * promise is shared. The key is forgotten when the task settles: later calls run anew.
   */
  share<T>(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = task().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.take();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private take(): void {
    this.running++;
    if (this.running > this.peak) this.peak = this.running;
  }

  private release(): void {
    this.running--;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    while (this.running < this.maxConcurrent && this.waiting.length > 0) {
      this.take();
      this.waiting.shift()!();
    }
  }
}

function assertCap(maxConcurrent: number): void {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(`maxConcurrentQueries must be a whole number of at least 1, got ${maxConcurrent}`);
  }
}

let processLimiter: QueryLimiter | null = null;

/** The one limiter of this process (a Lambda container, the Slack app, the CLI). */
export function processQueryLimiter(maxConcurrent: number): QueryLimiter {
  if (processLimiter === null) processLimiter = new QueryLimiter(maxConcurrent);
  else if (processLimiter.cap !== maxConcurrent) processLimiter.setMaxConcurrent(maxConcurrent);
  return processLimiter;
}
