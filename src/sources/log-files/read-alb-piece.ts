/**
 * One piece of the ALB access logs (a worker's job): its lines through the same parser as
 * everywhere (summarizeLbLineAt judges them exactly as parseLbLine does), tallied by the same
 * AlbTally and AccessLogSampleCollector as one thread would, returned as plain data.
 */
import type { AccessLogSample } from '../../core/report.js';
import { AccessLogSampleCollector, isMinted5xx } from '../../evidence/access-log-samples.js';
import type { AlbCounts } from '../../evidence/alb-counts.js';
import { type AlbEntryFacts, AlbTally } from '../../evidence/alb-tally.js';
import { createIndexMatcher, type IndexSelector } from '../../evidence/index-matcher.js';
import { isDash } from '../../parsers/alb-fields.js';
import { attachLineBytes, newLbLineSummary, parseLbLine, summarizeLbLineAt } from '../../parsers/alb-line.js';
import { ArnInterner, createAlbSpanMatcher } from './alb-line-spans.js';
import type { FilePiece, PieceTotals, PieceWindow } from './file-piece.js';
import { PieceCounter, readPieceLines } from './piece-totals.js';

export interface AlbPieceContext {
  window: PieceWindow;
  askedAtMs: number;
  selector: IndexSelector;
  slowRequestSeconds: number;
}

export interface AlbPieceResult extends PieceTotals {
  counts: AlbCounts;
  /** The piece's nearest LB-minted 5xx rows of the index, in sample order (merged with nearestSamples). */
  samples: AccessLogSample[];
}

export async function readAlbPiece(
  piece: FilePiece,
  context: AlbPieceContext,
  signal?: AbortSignal,
): Promise<AlbPieceResult> {
  const window = { start: new Date(context.window.startMs), end: new Date(context.window.endMs) };
  // The index's lines are told in place (createAlbSpanMatcher, the same answers as the matcher's);
  // the tally asks its matcher about the line just told.
  const belongsAt = createAlbSpanMatcher(context.selector);
  const line = { belongs: false };
  const tally = new AlbTally(
    window,
    { albBelongs: () => line.belongs, requestBelongs: () => false },
    context.slowRequestSeconds,
  );
  const samples = new AccessLogSampleCollector(
    window,
    new Date(context.askedAtMs),
    createIndexMatcher(context.selector),
  );
  const counter = new PieceCounter(piece, context.window);
  const summary = newLbLineSummary();
  const arns = new ArnInterner();
  // One facts object for every line: the tally reads it and keeps nothing. The URL is never read (see above).
  const facts: AlbEntryFacts = {
    timeMs: 0,
    elbStatus: '',
    targetStatus: '',
    targetGroupArn: null,
    url: null,
    targetProcessingSeconds: null,
  };
  const { stats, error } = await readPieceLines(
    piece,
    (text, start, end, lineNumber) => {
      counter.line(lineNumber);
      const entry = summarizeLbLineAt(text, start, end, summary);
      if (entry.kind !== 'alb') {
        if (entry.kind === 'malformed') counter.noteMalformed(lineNumber, entry.reason);
        return false; // classic ELB / NLB lines carry no ALB signals
      }
      if (counter.entry(entry.timeMs) !== -1) {
        const arn = isDash(text, entry.targetGroupArnStart, entry.targetGroupArnEnd)
          ? null
          : arns.intern(text, entry.targetGroupArnStart, entry.targetGroupArnEnd);
        line.belongs = belongsAt(text, arn, entry.requestStart, entry.requestEnd);
        facts.timeMs = entry.timeMs;
        facts.elbStatus = entry.elbStatus;
        facts.targetStatus = entry.targetStatus;
        facts.targetProcessingSeconds = entry.targetProcessingSeconds;
        facts.targetGroupArn = arn;
        tally.add(facts);
        // A few rows per thousand: only they are parsed whole, for the sample's fields.
        if (isMinted5xx(entry.elbStatus, entry.targetStatus)) offerSample(samples, text.slice(start, end));
      }
      return counter.done;
    },
    signal,
    attachLineBytes,
  );
  return { ...counter.totals(piece.id, stats, error), counts: tally.counts, samples: samples.samples() };
}

function offerSample(samples: AccessLogSampleCollector, line: string): void {
  const record = parseLbLine(line);
  if (record.kind === 'alb') samples.offer(record, line);
}
