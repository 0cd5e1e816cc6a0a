/**
 * One piece of the proxy logs (a worker's job): its lines through parseProxyLine, binned when the
 * proxy answered and tallied by the same rules as one thread (tallyProxyAnswer), returned as plain data.
 */
import { createIndexMatcher, type IndexSelector } from '../../evidence/index-matcher.js';
import { answeredAtMs, ProxyTally, tallyProxyAnswer } from '../../evidence/proxy-tally.js';
import { parseProxyLine } from '../../parsers/proxy-line.js';
import type { FilePiece, PieceTotals, PieceWindow } from './file-piece.js';
import { PieceCounter, readPieceLines } from './piece-totals.js';
import { type ProxyTallyData, proxyTallyData } from './proxy-tally-data.js';

export interface ProxyPieceContext {
  window: PieceWindow;
  selector: IndexSelector;
  slowRequestSeconds: number;
  /** The zone HAProxy wrote its dates in (minutes east of UTC). */
  utcOffsetMinutes: number;
}

export interface ProxyPieceResult extends PieceTotals {
  /** Entries in the window for the index. */
  forIndex: number;
  tally: ProxyTallyData;
}

export async function readProxyPiece(
  piece: FilePiece,
  context: ProxyPieceContext,
  signal?: AbortSignal,
): Promise<ProxyPieceResult> {
  const matcher = createIndexMatcher(context.selector);
  const tally = new ProxyTally({ start: new Date(context.window.startMs), end: new Date(context.window.endMs) });
  const counter = new PieceCounter(piece, context.window);
  const options = { utcOffsetMinutes: context.utcOffsetMinutes };
  const slowMs = context.slowRequestSeconds * 1000;
  let forIndex = 0;
  const { stats, error } = await readPieceLines(
    piece,
    (text, start, end, lineNumber) => {
      counter.line(lineNumber);
      const entry = parseProxyLine(text.slice(start, end), options);
      if (entry.kind === 'malformed') {
        counter.noteMalformed(lineNumber, entry.reason);
        return false;
      }
      if (entry.kind === 'other') return false; // tcplog, "Connect from", SPOE…: not HTTP answers
      if (counter.entry(answeredAtMs(entry)) !== -1 && matcher.requestBelongs(entry.path)) {
        forIndex++;
        tallyProxyAnswer(tally, entry, slowMs);
      }
      return counter.done;
    },
    signal,
  );
  return { ...counter.totals(piece.id, stats, error), forIndex, tally: proxyTallyData(tally) };
}
