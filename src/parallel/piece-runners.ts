/**
 * What a worker thread can be asked to read, by kind: each kind loads its code, then turns its
 * context (sent once per worker) into a function from a piece to a plain-data result. One table,
 * so one worker bundle serves `scan` and both files-mode views; each kind's code is loaded only
 * by the workers that read it (a worker's memory is part of the investigation's peak).
 *
 * Loading is apart from the context so that a worker started before the context is known
 * (prestartWorkers, worker-pool.ts) can load its code while the main thread is still starting.
 */

import type { ScanPiece } from '../scan/scan-piece.js';
import type { FilePiece } from '../sources/log-files/file-piece.js';
import type { AlbPieceContext } from '../sources/log-files/read-alb-piece.js';
import type { ProxyPieceContext } from '../sources/log-files/read-proxy-piece.js';

type Runner<P> = (piece: P) => Promise<unknown>;

interface PieceRunnerKind<Module, Context, Piece> {
  load: () => Promise<Module>;
  runner: (loaded: Module, context: Context) => Runner<Piece>;
}

const kind = <Module, Context, Piece>(entry: PieceRunnerKind<Module, Context, Piece>) => entry;

export const PIECE_RUNNERS = {
  scan: kind({
    load: () => import('../scan/scan-piece.js'),
    runner: ({ scanPiece }, context: { utcOffsetMinutes: number }) => {
      return (piece: ScanPiece) => scanPiece(piece, context.utcOffsetMinutes);
    },
  }),
  'alb-view': kind({
    load: () => import('../sources/log-files/read-alb-piece.js'),
    runner: ({ readAlbPiece }, context: AlbPieceContext) => {
      return (piece: FilePiece) => readAlbPiece(piece, context);
    },
  }),
  'proxy-view': kind({
    load: () => import('../sources/log-files/read-proxy-piece.js'),
    runner: ({ readProxyPiece }, context: ProxyPieceContext) => {
      return (piece: FilePiece) => readProxyPiece(piece, context);
    },
  }),
};

export type PieceKind = keyof typeof PIECE_RUNNERS;

/** The kind's code loaded, then its runner for `context` (types checked where the kind is known). */
export async function loadPieceRunner(
  pieceKind: PieceKind,
  loading: Promise<unknown>,
  context: unknown,
): Promise<(piece: unknown) => Promise<unknown>> {
  const entry = PIECE_RUNNERS[pieceKind] as unknown as PieceRunnerKind<unknown, unknown, unknown>;
  return entry.runner(await loading, context);
}
