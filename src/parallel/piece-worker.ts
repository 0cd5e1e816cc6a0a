/** A worker thread: reads the pieces the main thread hands it, one at a time, and posts each result back. */
import { parentPort, workerData } from 'node:worker_threads';
import { PIECE_RUNNERS, type PieceKind } from './piece-runners.js';

const { kind, context } = workerData as { kind: PieceKind; context: never };
const run = (await PIECE_RUNNERS[kind](context)) as (piece: unknown) => Promise<unknown>;

parentPort!.on('message', async (piece: unknown) => {
  if (piece === null) {
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ ok: true, result: await run(piece) });
  } catch (error) {
    // Readers turn a bad file into part of their result; anything thrown here is a bug: say what it was.
    parentPort!.postMessage({
      ok: false,
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
});
parentPort!.postMessage({ ready: true });
