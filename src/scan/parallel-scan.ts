import { availableParallelism } from 'node:os';
import { runPieces } from '../parallel/worker-pool.js';
import { type PieceResult, type ScanPiece, scanPiece } from './scan-piece.js';

/** Below this much work, starting worker threads costs more than it saves. */
const MIN_PIECES_FOR_WORKERS = 2;

export interface ParallelScanOptions {
  utcOffsetMinutes: number;
  /** Threads besides the main one; default: one per extra core. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Scans pieces on the main thread and on worker threads at once (the shared worker pool,
 * src/parallel). Pieces are handed out one at a time to whoever is free (the main thread starts
 * immediately, workers once they have loaded), so a slow start or an uneven piece never leaves a
 * core idle. Results come back in piece order.
 */
export async function scanInParallel(pieces: ScanPiece[], options: ParallelScanOptions): Promise<PieceResult[]> {
  const results: PieceResult[] = new Array(pieces.length);
  let done = 0;
  const threads =
    pieces.length >= MIN_PIECES_FOR_WORKERS
      ? Math.min(options.workers ?? availableParallelism() - 1, pieces.length - 1)
      : 0;
  await runPieces<ScanPiece, PieceResult>(pieces, {
    kind: 'scan',
    context: { utcOffsetMinutes: options.utcOffsetMinutes },
    threads,
    mainThreadReads: true,
    runHere: (piece) => scanPiece(piece, options.utcOffsetMinutes),
    onResult: (_piece, result) => {
      results[result.id] = result;
      options.onProgress?.(++done, pieces.length);
    },
  });
  return results;
}
