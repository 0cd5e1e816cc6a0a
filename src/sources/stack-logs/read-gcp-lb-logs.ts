/**
 * The access-log view from a Google Cloud external Application Load Balancer's request logs,
 * exported from Cloud Logging (JSON, one entry per line or a JSON array). Google's front end
 * (GFE) plays the ALB's part, so its requests fill the same AlbCounts and the same rules judge
 * them — but GFE answers many of its own failures with 503 as well as 502, so each request is
 * classed by its `statusDetails`, never by its status alone:
 *
 *   statusDetails                                        counted as (ALB's terms)
 *   response_sent_by_backend                             the target's own status
 *   backend_connection_closed_before_data_sent_to_client LB-minted 502 (the keep-alive race when flat)
 *   failed_to_connect_to_backend                         LB-minted 502 AND a connection error
 *   failed_to_pick_backend                               LB-minted 503 (no healthy backend)
 *   backend_timeout                                      LB-minted 504
 *   other LB-side details (protocol, internal)           LB-minted 502
 *
 * Backend services stand where ALB target groups stand: the tenants.
 */
import type { SignalSeries, TimeWindow } from '../../core/types.js';
import { AlbTally } from '../../evidence/alb-tally.js';
import { createIndexMatcher, type IndexSelector } from '../../evidence/index-matcher.js';
import { windowMinutes, zeroCounts } from '../../evidence/minute-buckets.js';
import { measuredSeries } from '../../evidence/signal-series.js';
import { type AbsentView, type AccessLogView, failedView } from '../../evidence/views.js';
import type { MalformedLineReporter } from '../../files/malformed-reporter.js';
import { parseGcpLbLine } from '../../parsers/gcp-lb-entry.js';
import type { GcpLbRecord } from '../../parsers/gcp-lb-record.js';
import { JsonEntrySplitter } from '../../parsers/json-entry-splitter.js';
import { finishStackRead, type ParsedEntry, readStackFiles, type StackReadDeps } from './read-stack-files.js';

export const GCP_LB_SOURCE = 'Google Cloud load balancer logs';

export interface GcpLbLogsInput {
  paths: readonly string[];
  window: TimeWindow;
  selector: IndexSelector;
  slowRequestSeconds: number;
}

export async function readGcpLbLogs(
  input: GcpLbLogsInput,
  deps: StackReadDeps,
  malformed: MalformedLineReporter,
): Promise<AccessLogView | AbsentView> {
  const matcher = createIndexMatcher({ ...input.selector, targetGroup: undefined });
  const tally = new AlbTally(input.window, matcher, input.slowRequestSeconds);
  const connectionErrors = zeroCounts(windowMinutes(input.window));
  const read = await readStackFiles(
    input.paths,
    input.window,
    'Google Cloud load balancer logs',
    deps,
    malformed,
    () => {
      const splitter = new JsonEntrySplitter();
      return (line, lineNumber): ParsedEntry[] =>
        splitter.push(line, lineNumber).map((piece) => {
          if (piece.kind === 'junk') return { malformed: 'text outside any JSON entry' };
          const record = parseGcpLbLine(piece.text);
          if (record.kind === 'malformed') return { malformed: record.reason };
          return {
            timeMs: record.timeMs,
            onWindow: (minute) => {
              const facts = albFactsOf(record);
              tally.add(facts);
              const belongs = matcher.requestBelongs(record.path);
              if (belongs && record.upstreamFailure === 'connect') connectionErrors[minute]!++;
              return belongs;
            },
          };
        });
    },
  );
  const finished = finishStackRead(read, input.window, GCP_LB_SOURCE, 'Google Cloud load balancer logs');
  if (finished.problem?.status === 'unavailable') return failedView(finished.problem.reason, [finished.source]);
  const connections: SignalSeries = measuredSeries(
    'index',
    `${GCP_LB_SOURCE} (failed_to_connect_to_backend)`,
    connectionErrors,
  );
  return {
    name: GCP_LB_SOURCE,
    counts: tally.counts,
    uncovered: finished.uncovered,
    problem: finished.problem,
    inWindow: read.inWindow,
    forIndex: read.forIndex,
    samples: null,
    sources: [
      {
        ...finished.source,
        detail: `${finished.source.detail}; errors classed by statusDetails, not by status (GFE answers many of its own failures with 503)`,
      },
    ],
    extraSignals: { target_connection_errors: connections },
    loadBalancer: 'gcp',
  };
}

/** A GCP request in the ALB's terms (see the table above). */
function albFactsOf(record: GcpLbRecord) {
  const minted = record.answeredBy !== 'server' && record.answeredBy !== 'none';
  const elbStatus = !minted
    ? record.status
    : record.upstreamFailure === 'no_healthy'
      ? '503'
      : record.upstreamFailure === 'timeout'
        ? '504'
        : '502';
  return {
    timeMs: record.timeMs,
    elbStatus,
    targetStatus: minted ? '-' : record.status,
    targetGroupArn: record.backendService,
    url: record.path,
    targetProcessingSeconds: !minted && record.latencyMs !== null ? record.latencyMs / 1000 : null,
  };
}
