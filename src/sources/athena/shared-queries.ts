/**
 * Identical concurrent investigations share one Athena query, as Logs Insights queries are
 * shared (QueryLimiter.share): the same SQL and parameters in flight give the same promise, so
 * two people asking about the same minute at once cost one scan, not two.
 *
 * Each caller may cancel on its own: the caller's promise then rejects, and the shared query is
 * stopped only when every caller waiting for it has cancelled.
 */
export class SharedQueries {
  private readonly inFlight = new Map<string, Shared<unknown>>();

  /** How many distinct queries are running now (for tests). */
  get size(): number {
    return this.inFlight.size;
  }

  run<T>(key: string, task: (signal: AbortSignal) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
    let shared = this.inFlight.get(key) as Shared<T> | undefined;
    if (!shared) {
      const controller = new AbortController();
      const promise = task(controller.signal).finally(() => this.inFlight.delete(key));
      shared = { promise, controller, waiting: 0 };
      this.inFlight.set(key, shared);
    }
    return join(shared, callerSignal);
  }
}

interface Shared<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** Callers still waiting. */
  waiting: number;
}

function join<T>(shared: Shared<T>, callerSignal: AbortSignal | undefined): Promise<T> {
  shared.waiting++;
  if (!callerSignal) return shared.promise;
  if (callerSignal.aborted) return leave(shared, callerSignal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => leave(shared, callerSignal).catch(reject);
    callerSignal.addEventListener('abort', onAbort, { once: true });
    shared.promise.then(
      (value) => {
        callerSignal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        callerSignal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function leave<T>(shared: Shared<T>, callerSignal: AbortSignal): Promise<T> {
  shared.waiting--;
  if (shared.waiting === 0) shared.controller.abort(callerSignal.reason);
  // The shared promise may now reject too; nobody else is waiting for it.
  shared.promise.catch(() => {});
  return Promise.reject(callerSignal.reason);
}

/** The one instance of this process (a Lambda container, the Slack app, the CLI). */
export const processSharedQueries = new SharedQueries();
