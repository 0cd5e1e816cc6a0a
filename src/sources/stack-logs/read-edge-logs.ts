/**
 * The edge view from CloudFront standard logs or Cloudflare Logpush `http_requests` files
 * (CONTRACT §11): per minute, the index's requests as the edge saw them, the 5xx its clients
 * received, and of those which the edge made itself (Cloudflare 520–527/530 or an origin status
 * of 0; CloudFront Origin*Error) and which it passed on from the origin.
 */
import type { SignalSeries, TimeWindow } from '../../core/types.js';
import { createIndexMatcher, type IndexSelector } from '../../evidence/index-matcher.js';
import { bump, windowMinutes, zeroCounts } from '../../evidence/minute-buckets.js';
import { measuredSeries } from '../../evidence/signal-series.js';
import { type AbsentView, type EdgeView, failedView } from '../../evidence/views.js';
import type { MalformedLineReporter } from '../../files/malformed-reporter.js';
import { isMintedByProxy } from '../../parsers/answer-facts.js';
import { createEdgeLineParser } from '../../parsers/edge-line.js';
import type { EdgeKind } from '../../parsers/edge-record.js';
import { finishStackRead, readStackFiles, type StackReadDeps } from './read-stack-files.js';

export interface EdgeLogsInput {
  paths: readonly string[];
  window: TimeWindow;
  selector: IndexSelector;
}

const NAMES: Record<EdgeKind, string> = { cloudfront: 'CloudFront logs', cloudflare: 'Cloudflare logs' };

export async function readEdgeLogs(
  input: EdgeLogsInput,
  deps: StackReadDeps,
  malformed: MalformedLineReporter,
): Promise<EdgeView | AbsentView> {
  const matcher = createIndexMatcher(input.selector);
  const minutes = windowMinutes(input.window);
  const counts = {
    requests: zeroCounts(minutes),
    all5xx: zeroCounts(minutes),
    minted: zeroCounts(minutes),
    passed: zeroCounts(minutes),
  };
  const byCode = {
    all5xx: {} as Record<string, number>,
    minted: {} as Record<string, number>,
    passed: {} as Record<string, number>,
  };
  const kinds = new Set<EdgeKind>();
  const read = await readStackFiles(input.paths, input.window, 'edge logs', deps, malformed, () => {
    const parse = createEdgeLineParser();
    return (line) => {
      const entry = parse(line);
      if (entry.kind === 'header') return [];
      if (entry.kind === 'malformed') return [{ malformed: entry.reason }];
      kinds.add(entry.kind);
      return [
        {
          timeMs: entry.timeMs,
          onWindow: (minute) => {
            if (!matcher.requestBelongs(entry.path)) return false;
            counts.requests[minute]!++;
            if (entry.status.length !== 3 || entry.status.charCodeAt(0) !== 53 /* 5 */) return true;
            counts.all5xx[minute]!++;
            bump(byCode.all5xx, entry.status);
            // 'none' (an old log that cannot say who answered) counts in neither: unknown, never assumed.
            if (isMintedByProxy(entry.answeredBy)) {
              counts.minted[minute]!++;
              bump(byCode.minted, entry.status);
            } else if (entry.answeredBy === 'server') {
              counts.passed[minute]!++;
              bump(byCode.passed, entry.status);
            }
            return true;
          },
        },
      ];
    };
  });
  const kind: EdgeKind = kinds.has('cloudflare') ? 'cloudflare' : 'cloudfront';
  const name = NAMES[kind];
  const finished = finishStackRead(read, input.window, name, 'edge logs');
  if (finished.problem?.status === 'unavailable') return failedView(finished.problem.reason, [finished.source]);
  const series = (values: number[], codes?: Record<string, number>): SignalSeries =>
    measuredSeries('index', name, values, codes ? { byCode: codes } : {});
  return {
    name,
    kind,
    signals: {
      edge_requests: series(counts.requests),
      edge_5xx: series(counts.all5xx, byCode.all5xx),
      edge_minted_5xx: series(counts.minted, byCode.minted),
      edge_passed_5xx: series(counts.passed, byCode.passed),
    },
    uncovered: finished.uncovered,
    problem: finished.problem,
    sources: [finished.source],
  };
}
