/** A scan worker thread: scans the pieces the main thread hands it, one at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../errors.js';
import { type ScanPiece, scanPiece } from './scan-piece.js';

const { utcOffsetMinutes } = workerData as { utcOffsetMinutes: number };

parentPort!.on('message', async (piece: ScanPiece | null) => {
  if (piece === null) {
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ ok: true, result: await scanPiece(piece, utcOffsetMinutes) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, message: describeError(error) });
  }
});
parentPort!.postMessage({ ready: true });
