/**
 * Reads pieces of log files on worker threads, one piece at a time to whoever is free, so an
 * uneven piece or a slow start never leaves a core idle. Each piece's result comes back as plain
 * data (structured clone) to the thread that merges them. `scan` and files-mode investigations
 * share it; what a piece is and how it is read is the caller's (see piece-runners.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PieceKind } from './piece-runners.js';

/**
 * From the sources (tsx, vitest) a worker needs the TypeScript loader registered first; from the
 * CLI bundle (dist/cli/, scripts/build-cli.mjs) the bundled worker sits beside this chunk.
 */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./piece-worker-entry.mjs', import.meta.url)
  : new URL('./piece-worker.mjs', import.meta.url);

let workerEntryShipped: boolean | undefined;

/**
 * Whether the worker's code is where this module expects it. A bundle that does not ship it (the
 * Lambda package bundles one file per function) reads on its main thread only, rather than fail.
 */
function canStartWorkers(): boolean {
  workerEntryShipped ??= WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
  return workerEntryShipped;
}

export interface PieceRunOptions<P, R> {
  kind: PieceKind;
  /** What every piece of this kind needs (the window, the index…), sent to each worker once. */
  context: unknown;
  /** Worker threads to start; never more than there are pieces. */
  threads: number;
  /** True: this thread reads pieces too (scan). False: it only hands them out and merges (the files-mode views), unless there are no workers. */
  mainThreadReads: boolean;
  /** The same work on this thread. */
  runHere: (piece: P) => Promise<R>;
  /** Called once per piece, in the order pieces finish. */
  onResult: (piece: P, result: R) => void;
  /** Aborting terminates the workers; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A reader allocates fast and keeps little: every chunk of text dies young. A small young
 * generation collects it, and the inflate buffers it holds on to, sooner: measured over 300 S3
 * files on two workers, peak memory 165 MB with 12 MB, 183 MB with 24, 220 MB with V8's
 * default, in the same CPU time.
 */
const WORKER_YOUNG_GENERATION_MB = 12;

let liveWorkers = 0;

/** Worker threads started here that have not exited yet (an aborted read must leave none behind). */
export function liveWorkerThreads(): number {
  return liveWorkers;
}

interface WorkerMessage<R> {
  ready?: true;
  ok?: boolean;
  result?: R;
  message?: string;
}

/** Runs every piece once, on the workers and (when asked) on this thread. Resolves when all are done. */
export function runPieces<P, R>(pieces: readonly P[], options: PieceRunOptions<P, R>): Promise<void> {
  options.signal?.throwIfAborted();
  let next = 0;
  const take = (): P | null => (next < pieces.length ? pieces[next++]! : null);
  return new Promise<void>((resolve, reject) => {
    const workers: Worker[] = [];
    let running = 0;
    let settled = false;
    const onAbort = () => fail(options.signal!.reason);
    const settle = () => {
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
    };
    function fail(error: unknown): void {
      if (settled) return;
      settle();
      for (const worker of workers) void worker.terminate();
      reject(error);
    }
    const finishOne = () => {
      if (--running === 0 && !settled) {
        settle();
        resolve();
      }
    };
    const deliver = (piece: P, result: R): boolean => {
      if (settled) return false;
      try {
        options.onResult(piece, result);
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const threads = canStartWorkers() ? Math.max(0, Math.min(options.threads, pieces.length)) : 0;
    const started: StartedWorker[] = [];
    for (let i = 0; i < threads; i++) {
      running++;
      started.push(startWorker(options, take, deliver, finishOne, fail));
    }
    workers.push(...started.map(({ worker }) => worker));
    if (options.mainThreadReads || threads === 0) {
      running++;
      (async () => {
        for (let piece = take(); piece !== null && !settled; piece = take()) {
          if (!deliver(piece, await options.runHere(piece))) return;
        }
        // Everything is handed out: a worker still loading has nothing left to do.
        for (const worker of started) worker.dismissIfNotReady();
      })().then(finishOne, fail);
    }
    if (running === 0) {
      settle();
      resolve();
    }
  });
}

interface StartedWorker {
  worker: Worker;
  /** Ends a worker that has not loaded yet (it would only be told there is nothing to do). */
  dismissIfNotReady(): void;
}

function startWorker<P, R>(
  options: PieceRunOptions<P, R>,
  take: () => P | null,
  deliver: (piece: P, result: R) => boolean,
  finishOne: () => void,
  fail: (error: unknown) => void,
): StartedWorker {
  const worker = new Worker(WORKER_URL, {
    workerData: { kind: options.kind, context: options.context },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  liveWorkers++;
  let current: P | null = null;
  let ready = false;
  let finished = false;
  const finish = () => {
    finished = true;
    finishOne();
  };
  const handOut = () => {
    current = take();
    worker.postMessage(current);
    if (current === null) finish();
  };
  worker.on('message', (message: WorkerMessage<R>) => {
    if (finished) return; // dismissed while its "ready" was on the way
    if (message.ready) {
      ready = true;
      return handOut();
    }
    if (!message.ok)
      return fail(new Error(`a ${options.kind} worker thread failed: ${message.message ?? 'no reason given'}`));
    if (deliver(current!, message.result!)) handOut();
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    liveWorkers--;
    if (!finished)
      fail(new Error(`a ${options.kind} worker thread stopped (exit code ${code}) before its work was done`));
  });
  return {
    worker,
    dismissIfNotReady: () => {
      if (ready || finished) return;
      finish();
      void worker.terminate();
    },
  };
}
