/**
 * Reads pieces of log files on worker threads, one piece at a time to whoever is free, so an
 * uneven piece or a slow start never leaves a core idle. Each piece's result comes back as plain
 * data (structured clone) to the thread that merges them. `scan` and files-mode investigations
 * share it; what a piece is and how it is read is the caller's (see piece-runners.ts).
 *
 * Threads claim pieces themselves, from a counter in shared memory: a worker that finishes a
 * piece starts the next at once instead of waiting for a busy main thread (which reads pieces
 * too, and sees messages only between chunks) to hand it one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PieceKind } from './piece-runners.js';
import { CLAIM_STATE, type WorkerMessage, type WorkerSetup } from './worker-protocol.js';

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

/** A worker of `kind`: it loads that kind's code, then waits for its context (piece-worker.ts). */
function newWorker(kind: PieceKind): Worker {
  const worker = new Worker(WORKER_URL, {
    workerData: { kind },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  liveWorkers++;
  worker.once('exit', () => liveWorkers--);
  return worker;
}

interface PrestartedWorker {
  worker: Worker;
  kind: PieceKind;
  /** It failed or exited before anyone adopted it. */
  gone: boolean;
  forget: () => void;
}

const prestarted: PrestartedWorker[] = [];

/**
 * Starts `count` workers of `kind` before their work is known, so that their start-up (a fresh
 * V8 isolate loading the readers, ~50 ms of one core) runs while the main thread is still loading
 * the command and listing files, not while it reads its first piece. runPieces adopts them; until
 * then they do not keep the process alive, and releasePrestartedWorkers ends those never adopted.
 */
export function prestartWorkers(kind: PieceKind, count: number): void {
  if (!canStartWorkers()) return;
  for (let i = 0; i < count; i++) {
    const worker = newWorker(kind);
    worker.unref();
    const entry: PrestartedWorker = { worker, kind, gone: false, forget: () => {} };
    const onGone = () => {
      entry.gone = true;
    };
    worker.on('error', onGone);
    worker.on('exit', onGone);
    entry.forget = () => {
      worker.off('error', onGone);
      worker.off('exit', onGone);
    };
    prestarted.push(entry);
  }
}

/** Ends the prestarted workers nobody adopted (a usage error, fewer pieces than workers). */
export function releasePrestartedWorkers(): void {
  // Their listeners stay: an error while one is ending must not go unhandled.
  for (const entry of prestarted.splice(0)) void entry.worker.terminate();
}

function adoptPrestarted(kind: PieceKind): Worker | null {
  for (;;) {
    const at = prestarted.findIndex((entry) => entry.kind === kind);
    if (at === -1) return null;
    const [entry] = prestarted.splice(at, 1) as [PrestartedWorker];
    entry.forget();
    if (entry.gone) continue;
    entry.worker.ref();
    return entry.worker;
  }
}

/** Runs every piece once, on the workers and (when asked) on this thread. Resolves when all are done. */
export function runPieces<P, R>(pieces: readonly P[], options: PieceRunOptions<P, R>): Promise<void> {
  options.signal?.throwIfAborted();
  const threads = canStartWorkers() ? Math.max(0, Math.min(options.threads, pieces.length)) : 0;
  const claims = new Int32Array(new SharedArrayBuffer(4 * (1 + threads)));
  const claim = (): number => {
    const index = Atomics.add(claims, 0, 1);
    return index < pieces.length ? index : -1;
  };
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
    const deliver = (index: number, result: R): boolean => {
      if (settled) return false;
      try {
        options.onResult(pieces[index]!, result);
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const started: StartedWorker[] = [];
    for (let slot = 0; slot < threads; slot++) {
      running++;
      const setup: WorkerSetup = { context: options.context, pieces, claims: claims.buffer as SharedArrayBuffer, slot };
      started.push(startWorker(options, setup, claims, deliver, finishOne, fail));
    }
    workers.push(...started.map(({ worker }) => worker));
    if (options.mainThreadReads || threads === 0) {
      running++;
      (async () => {
        for (let index = claim(); index !== -1 && !settled; index = claim()) {
          if (!deliver(index, await options.runHere(pieces[index]!))) return;
        }
        // Everything is claimed: a worker still loading has nothing left to do.
        for (const worker of started) worker.dismissIfLoading();
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
  /** Ends a worker that has not begun claiming (it would find nothing left). */
  dismissIfLoading(): void;
}

function startWorker<P, R>(
  options: PieceRunOptions<P, R>,
  setup: WorkerSetup,
  claims: Int32Array,
  deliver: (index: number, result: R) => boolean,
  finishOne: () => void,
  fail: (error: unknown) => void,
): StartedWorker {
  const worker = adoptPrestarted(options.kind) ?? newWorker(options.kind);
  worker.postMessage(setup);
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    finishOne();
  };
  worker.on('message', (message: WorkerMessage<R>) => {
    if (finished) return;
    if ('done' in message) return finish();
    if (!message.ok) return fail(new Error(`a ${options.kind} worker thread failed: ${message.message}`));
    deliver(message.index, message.result);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!finished)
      fail(new Error(`a ${options.kind} worker thread stopped (exit code ${code}) before its work was done`));
  });
  const cell = 1 + setup.slot;
  return {
    worker,
    dismissIfLoading: () => {
      // Atomic: either the worker has begun claiming (and will say when it is done), or it never will.
      if (Atomics.compareExchange(claims, cell, CLAIM_STATE.loading, CLAIM_STATE.dismissed) !== CLAIM_STATE.loading)
        return;
      finish();
      void worker.terminate();
    },
  };
}
