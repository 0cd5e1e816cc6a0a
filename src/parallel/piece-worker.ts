/**
 * A worker thread: loads the code of its kind at once, waits for its setup (the context, the
 * pieces, the shared claim counter: WorkerSetup in worker-pool.ts), then claims pieces one at a
 * time and posts each result back until none are left. The setup comes as a message, not as
 * workerData, so that a worker can be started before its work is known (prestartWorkers).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPieceRunner, PIECE_RUNNERS, type PieceKind } from './piece-runners.js';
import { CLAIM_STATE, type WorkerSetup } from './worker-protocol.js';

const { kind } = workerData as { kind: PieceKind };
const loading = PIECE_RUNNERS[kind].load();
// A failed load is reported when the setup comes; a worker dismissed before then never asks.
loading.catch(() => {});

parentPort!.once('message', async (setup: WorkerSetup) => {
  try {
    const run = await loadPieceRunner(kind, loading, setup.context);
    const claims = new Int32Array(setup.claims);
    // The main thread may have dismissed this worker while it loaded: then it claims nothing.
    if (
      Atomics.compareExchange(claims, 1 + setup.slot, CLAIM_STATE.loading, CLAIM_STATE.claiming) !== CLAIM_STATE.loading
    )
      return;
    for (let index = Atomics.add(claims, 0, 1); index < setup.pieces.length; index = Atomics.add(claims, 0, 1)) {
      parentPort!.postMessage({ ok: true, index, result: await run(setup.pieces[index]) });
    }
    parentPort!.postMessage({ done: true });
  } catch (error) {
    // Readers turn a bad file into part of their result; anything thrown here is a bug: say what it was.
    parentPort!.postMessage({
      ok: false,
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  } finally {
    parentPort!.close();
  }
});
