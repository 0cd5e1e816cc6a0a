/**
 * CloudTrail LookupEvents for the writes behind the load balancer (next-capabilities §4.1):
 * one call per EventSource (LookupAttributes takes one attribute), at most 50 events a page,
 * every NextToken followed, the 2 calls/s/account/region pace kept by a shared pacer,
 * ThrottlingException retried with backoff. Read-only events are dropped client-side; what is
 * left is matched against the load balancer, its target groups and the configured services
 * from each `CloudTrailEvent`. Never throws: a failure is a named outcome.
 */
import type { Clock } from '../../core/clock.js';
import type { SourceStatus, TimeWindow } from '../../core/types.js';
import { type ChangeEvidence, emptyChangeEvidence } from '../change-event.js';
import type { ChangeScope } from '../change-scope.js';
import {
  type CloudTrailTally,
  describeTally,
  emptyTally,
  readCloudTrailRecords,
  recordOfLookupEvent,
} from '../cloudtrail/cloudtrail-events.js';
import { callAws, describeCallFailure } from './call-aws.js';
import { CLOUDTRAIL_PERMISSIONS, type CloudTrailApi } from './change-apis.js';
import type { RatePacer } from './rate-pacer.js';

export const CLOUDTRAIL_SOURCE = 'CloudTrail';
/** LookupEvents' MaxResults ceiling. */
const PAGE_SIZE = 50;
/** Pages followed per event source: 1,000 writes in the range is far past anything we would read. */
const MAX_PAGES = 20;
const MINUTE_MS = 60_000;
/** Changes this long after the window are still fetched: sources record some causes late. */
const AFTER_WINDOW_MINUTES = 5;

export interface CloudTrailRequest {
  window: TimeWindow;
  now: Date;
  marginMinutes: number;
  scope: ChangeScope;
  deadlineMs: number;
  timeoutSeconds: number;
}

export interface CloudTrailDeps {
  api: CloudTrailApi;
  clock: Clock;
  pacer: RatePacer;
  random?: () => number;
  signal?: AbortSignal;
}

/** The event sources worth a call, given what the scope names. */
export function eventSourcesFor(scope: ChangeScope): string[] {
  const sources: string[] = [];
  if (scope.loadBalancer || scope.targetGroups.length > 0) sources.push('elasticloadbalancing.amazonaws.com');
  if (scope.ecsServices.length > 0) sources.push('ecs.amazonaws.com', 'application-autoscaling.amazonaws.com');
  if (scope.autoScalingGroups.length > 0) sources.push('autoscaling.amazonaws.com');
  return sources;
}

export async function lookupCloudTrailChanges(
  request: CloudTrailRequest,
  deps: CloudTrailDeps,
): Promise<ChangeEvidence> {
  const eventSources = eventSourcesFor(request.scope);
  if (eventSources.length === 0) {
    return withSource({
      name: CLOUDTRAIL_SOURCE,
      status: 'not_configured',
      detail: 'nothing to match events against: set aws.loadBalancer, indexes.*.targetGroup or aws.changes.ecsServices',
    });
  }
  const startTime = new Date(request.window.start.getTime() - request.marginMinutes * MINUTE_MS);
  const endTime = new Date(
    Math.min(request.window.end.getTime() + AFTER_WINDOW_MINUTES * MINUTE_MS, request.now.getTime()),
  );
  const tally = emptyTally();
  const evidence = emptyChangeEvidence();
  const problems: string[] = [];
  let calls = 0;
  let pagesRead = 0;
  for (const [i, eventSource] of eventSources.entries()) {
    const outcome = await lookupSource(eventSource, { startTime, endTime }, request, deps, tally);
    calls += outcome.calls;
    pagesRead += outcome.pagesRead;
    evidence.changes.push(...outcome.changes);
    if (outcome.problem) problems.push(outcome.problem);
    if (outcome.fatal) {
      const skipped = eventSources.slice(i + 1);
      if (skipped.length > 0) problems.push(`not asked: ${skipped.join(', ')}`);
      break;
    }
  }
  // Nothing read at all is a failure, not an empty answer: "no changes" is never implied.
  const status = problems.length === 0 ? 'complete' : pagesRead === 0 ? 'failed' : 'partial';
  const detail = [
    `${eventSources.join(', ')} from ${startTime.toISOString()} to ${endTime.toISOString()}`,
    `${calls} call${calls === 1 ? '' : 's'}`,
    describeTally(tally),
    ...problems,
  ].join('; ');
  evidence.changes.sort((a, b) => a.at.getTime() - b.at.getTime());
  evidence.sources.push({ name: CLOUDTRAIL_SOURCE, status, detail });
  if (request.now.getTime() - request.window.end.getTime() < 15 * MINUTE_MS) {
    evidence.notes.push(
      'CloudTrail shows an API call in its event history some minutes after it was made (commonly 5–15): the last minutes may not be there yet.',
    );
  }
  return evidence;
}

interface SourceOutcome {
  changes: ChangeEvidence['changes'];
  calls: number;
  pagesRead: number;
  problem?: string;
  /** Stop asking: the next source would fail the same way (no permission, out of time). */
  fatal: boolean;
}

async function lookupSource(
  eventSource: string,
  range: { startTime: Date; endTime: Date },
  request: CloudTrailRequest,
  deps: CloudTrailDeps,
  tally: CloudTrailTally,
): Promise<SourceOutcome> {
  const changes: ChangeEvidence['changes'] = [];
  let nextToken: string | undefined;
  let calls = 0;
  try {
    do {
      const token = nextToken;
      calls++;
      const page = await callAws(
        async (context) => {
          await deps.pacer.wait(deps.clock, context.abortSignal);
          return deps.api.lookupEvents(
            {
              LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: eventSource }],
              StartTime: range.startTime,
              EndTime: range.endTime,
              MaxResults: PAGE_SIZE,
              ...(token ? { NextToken: token } : {}),
            },
            context,
          );
        },
        { clock: deps.clock, deadlineMs: request.deadlineMs, signal: deps.signal, random: deps.random },
      );
      const events = page.Events ?? [];
      changes.push(
        ...readCloudTrailRecords(events.map(recordOfLookupEvent), request.scope, CLOUDTRAIL_SOURCE, tally).changes,
      );
      nextToken = page.NextToken;
    } while (nextToken && calls < MAX_PAGES);
    return {
      changes,
      calls,
      pagesRead: calls,
      ...(nextToken
        ? {
            problem: `${eventSource}: stopped after ${MAX_PAGES} pages (${MAX_PAGES * PAGE_SIZE} events); older events in the range were not read`,
          }
        : {}),
      fatal: false,
    };
  } catch (error) {
    const problem = describeCallFailure(
      error,
      `LookupEvents (${eventSource})`,
      CLOUDTRAIL_PERMISSIONS,
      request.timeoutSeconds,
    );
    return {
      changes,
      calls,
      pagesRead: calls - 1,
      problem: calls > 1 ? `${problem} after ${calls - 1} page${calls === 2 ? '' : 's'}` : problem,
      fatal: true,
    };
  }
}

function withSource(source: SourceStatus): ChangeEvidence {
  return { ...emptyChangeEvidence(), sources: [source] };
}
