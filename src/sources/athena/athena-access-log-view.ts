import type { SourceStatus, TimeWindow } from '../../core/types.js';
import { detectLineGaps } from '../../evidence/detect-line-gaps.js';
import { uncoveredMinuteCount } from '../../evidence/minute-coverage.js';
import { type AbsentView, type AccessLogView, failedView, type ViewProblem } from '../../evidence/views.js';
import { formatBytes } from '../cloudwatch/gather-cloudwatch-evidence.js';
import type { AthenaAccessLogResult } from './query-access-log-view.js';

export const ATHENA_SOURCE_NAME = 'ALB access logs via Athena';

/**
 * The Athena provider's answer as the access-log view. Holes are judged as files mode judges
 * them, on the rows per minute: a busy load balancer's silent or collapsed minutes are files S3
 * has not delivered (or lost), left out rather than read as quiet. A failed samples query costs
 * the samples, not the counts.
 */
export function athenaAccessLogView(result: AthenaAccessLogResult, window: TimeWindow): AccessLogView | AbsentView {
  const source = athenaSource(result);
  if (!result.counts || !result.entriesPerMinute)
    return failedView(result.reason ?? 'the Athena query returned no counts', [source]);
  const gaps = detectLineGaps({
    entriesPerMinute: result.entriesPerMinute,
    entriesBefore: result.coverage !== null && result.coverage.firstMs < window.start.getTime(),
    entriesAfter: result.coverage !== null && result.coverage.lastMs >= window.end.getTime(),
    detectCollapse: true,
  });
  const uncovered = gaps.map((gap) => gap.range);
  const minutes = result.entriesPerMinute.length;
  const problem: ViewProblem | null =
    uncovered.length === 0
      ? null
      : {
          status: uncoveredMinuteCount(uncovered) >= minutes ? 'unavailable' : 'partial',
          reason: `the access-log table has no rows (or far fewer than usual) in ${uncovered.map(([a, b]) => spanUtc(window, a, b)).join(', ')} UTC: those minutes are left out, not counted as zero (S3 delivers files 5–10 minutes late)`,
        };
  const requests = result.counts.perMinute.requests.reduce((sum, n) => sum + n, 0);
  const inWindow = result.entriesPerMinute.reduce((sum, n) => sum + n, 0);
  return {
    name: result.source,
    counts: result.counts,
    uncovered,
    problem,
    inWindow,
    forIndex: requests,
    samples: result.samples,
    sources: [problem ? { ...source, status: 'partial', detail: `${problem.reason}; ${source.detail}` } : source],
  };
}

/** "ALB access logs via Athena: complete — lb_logs.alb_access_logs, 2 queries, 6.1 MB scanned (~$0.0001), day 2026/06/18, …" */
function athenaSource(result: AthenaAccessLogResult): SourceStatus {
  const { stats } = result;
  const reused = stats.reused.filter(Boolean).length;
  const parts = [
    result.source.replace(/^Athena /, ''),
    `${stats.queryIds.length} quer${stats.queryIds.length === 1 ? 'y' : 'ies'}${reused > 0 ? ` (${reused} answered from a reused result)` : ''}`,
    `${formatBytes(stats.bytesScanned)} scanned (~$${stats.costUsd.toFixed(4)})`,
    `day partition${result.partitions.length === 1 ? '' : 's'} ${result.partitions.join(', ')}`,
    ...(stats.queryIds.length > 0 ? [`query ids ${stats.queryIds.join(', ')}`] : []),
    ...(result.reason && result.status !== 'failed' ? [result.reason] : []),
    ...result.notes,
  ];
  const status: SourceStatus['status'] =
    result.status === 'failed' ? 'failed' : result.status === 'partial' ? 'partial' : 'complete';
  return {
    name: ATHENA_SOURCE_NAME,
    status,
    detail: result.status === 'failed' ? `${result.reason ?? 'failed'}; ${parts.join(', ')}` : parts.join(', '),
  };
}

function spanUtc(window: TimeWindow, first: number, last: number): string {
  const at = (index: number) => new Date(window.start.getTime() + index * 60_000).toISOString().slice(11, 16);
  return first === last ? at(first) : `${at(first)}–${at(last)}`;
}
