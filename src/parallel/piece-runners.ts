/**
 * What a worker thread can be asked to read, by kind: each kind turns its context (sent once per
 * worker) into a function from a piece to a plain-data result. One table, so one worker bundle
 * serves `scan` and both files-mode views; each kind's code is loaded only by the workers that
 * read it (a worker's memory is part of the investigation's peak).
 */

import type { ScanPiece } from '../scan/scan-piece.js';
import type { FilePiece } from '../sources/log-files/file-piece.js';
import type { AlbPieceContext } from '../sources/log-files/read-alb-piece.js';
import type { ProxyPieceContext } from '../sources/log-files/read-proxy-piece.js';

type Runner<P> = (piece: P) => Promise<unknown>;

export const PIECE_RUNNERS = {
  scan: async (context: { utcOffsetMinutes: number }): Promise<Runner<ScanPiece>> => {
    const { scanPiece } = await import('../scan/scan-piece.js');
    return (piece) => scanPiece(piece, context.utcOffsetMinutes);
  },
  'alb-view': async (context: AlbPieceContext): Promise<Runner<FilePiece>> => {
    const { readAlbPiece } = await import('../sources/log-files/read-alb-piece.js');
    return (piece) => readAlbPiece(piece, context);
  },
  'proxy-view': async (context: ProxyPieceContext): Promise<Runner<FilePiece>> => {
    const { readProxyPiece } = await import('../sources/log-files/read-proxy-piece.js');
    return (piece) => readProxyPiece(piece, context);
  },
};

export type PieceKind = keyof typeof PIECE_RUNNERS;
