import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LogFileError } from '../errors.js';
import { type PieceResult, type ScanPiece, scanPiece } from './scan-piece.js';

/**
 * From the sources (tsx) the worker needs its TypeScript loader registered first; from the CLI
 * bundle (dist/cli/main.mjs) the bundled worker sits beside it.
 */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./scan-worker-entry.mjs', import.meta.url)
  : new URL('./scan-worker.mjs', import.meta.url);

/** Below this much work, starting worker threads costs more than it saves. */
const MIN_PIECES_FOR_WORKERS = 2;

export interface ParallelScanOptions {
  utcOffsetMinutes: number;
  /** Threads besides the main one; default: one per extra core. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Scans pieces on the main thread and on worker threads at once. Pieces are handed out one at a
 * time to whoever is free (the main thread starts immediately, workers once they have loaded), so
 * a slow start or an uneven piece never leaves a core idle. Results come back in piece order.
 */
export async function scanInParallel(pieces: ScanPiece[], options: ParallelScanOptions): Promise<PieceResult[]> {
  const results: PieceResult[] = new Array(pieces.length);
  let next = 0;
  let done = 0;
  const take = (): ScanPiece | null => (next < pieces.length ? pieces[next++]! : null);
  const finish = (result: PieceResult) => {
    results[result.id] = result;
    options.onProgress?.(++done, pieces.length);
  };
  const workerCount = pieces.length >= MIN_PIECES_FOR_WORKERS ? Math.min(options.workers ?? availableParallelism() - 1, pieces.length - 1) : 0;
  const workers = Array.from({ length: Math.max(0, workerCount) }, () => runWorker(take, finish, options.utcOffsetMinutes));
  const main = (async () => {
    for (let piece = take(); piece !== null; piece = take()) finish(await scanPiece(piece, options.utcOffsetMinutes));
  })();
  await Promise.all([main, ...workers]);
  return results;
}

function runWorker(take: () => ScanPiece | null, finish: (result: PieceResult) => void, utcOffsetMinutes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { utcOffsetMinutes } });
    const handOut = () => {
      const piece = take();
      worker.postMessage(piece);
      if (piece === null) resolve();
    };
    worker.on('message', (message: { ready?: true; ok?: boolean; result?: PieceResult; message?: string }) => {
      if (message.ready) return handOut();
      if (!message.ok) {
        void worker.terminate();
        return reject(new LogFileError(message.message ?? 'a scan worker failed'));
      }
      finish(message.result!);
      handOut();
    });
    worker.on('error', reject);
  });
}
