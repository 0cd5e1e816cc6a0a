/**
 * Runs one Athena query to completion, honestly (next-capabilities §1.4):
 * - StartQueryExecution with the values as ExecutionParameters, result reuse on, and one
 *   ClientRequestToken for every retry of the start, so a retried start never runs twice;
 * - GetQueryExecution polled through pollUntilDone while QUEUED or RUNNING ("for queries that
 *   experience certain transient errors, the state transitions from RUNNING back to QUEUED");
 * - SUCCEEDED: every result page read (MaxResults 1,000, the API's cap), header row skipped;
 * - FAILED / CANCELLED: Athena's own StateChangeReason; the deadline: StopQueryExecution;
 * - throttling (TooManyRequestsException, ThrottlingException) and 5xx retried with jitter.
 * It never throws except when the caller cancels: every failure is an outcome with a reason.
 */
import { randomUUID } from 'node:crypto';
import type { QueryExecution } from '@aws-sdk/client-athena';
import type { Clock } from '../../core/clock.js';
import { classifyAwsError, describeAwsFailure } from '../cloudwatch/aws-errors.js';
import {
  callWithRetries,
  type PollCalls,
  type PollOptions,
  type PollPolicy,
  PollTimeoutError,
  pollUntilDone,
  type RetryLog,
} from '../poll-until-done.js';
import { ATHENA_PERMISSIONS, type AthenaApi } from './athena-api.js';
import type { AthenaConfig } from './athena-config.js';
import type { BoundQuery } from './query-template.js';
import { type AthenaRow, columnsOfPage, rowsOfPage } from './result-rows.js';

/** GetQueryResults' MaxResults cap (botocore MaxQueryResults). */
export const RESULT_PAGE_ROWS = 1000;
const CATALOG = 'AwsDataCatalog';

export interface AthenaQueryRequest {
  query: BoundQuery;
  athena: AthenaConfig;
  /** Epoch ms on `clock`; shared by every query of the investigation. */
  deadlineMs: number;
}

export interface AthenaQueryDeps {
  api: AthenaApi;
  clock: Clock;
  signal?: AbortSignal | undefined;
  random?: (() => number) | undefined;
  polling?: Partial<PollPolicy> | undefined;
  /** Retries are counted here, for the note. */
  retryLog: RetryLog;
}

export type AthenaQueryOutcome =
  | { status: 'succeeded'; queryId: string; rows: AthenaRow[]; bytesScanned: number; reused: boolean }
  | { status: 'failed'; queryId: string | null; reason: string; bytesScanned: number; reused: boolean };

export async function runAthenaQuery(request: AthenaQueryRequest, deps: AthenaQueryDeps): Promise<AthenaQueryOutcome> {
  const options: PollOptions = {
    deadlineMs: request.deadlineMs,
    clock: deps.clock,
    signal: deps.signal,
    retryLog: deps.retryLog,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.polling ? { policy: deps.polling } : {}),
  };
  let queryId: string | null = null;
  try {
    const done = await pollUntilDone(
      athenaQueryCalls(request, deps.api, (id) => (queryId = id)),
      options,
    );
    const execution = done.result;
    const statistics = execution.Statistics;
    const bytesScanned = statistics?.DataScannedInBytes ?? 0;
    const reused = statistics?.ResultReuseInformation?.ReusedPreviousResult === true;
    const state = execution.Status?.State;
    if (state !== 'SUCCEEDED')
      return { status: 'failed', queryId: done.id, reason: describeEnded(done.id, execution), bytesScanned, reused };
    const rows = await readAllRows(done.id, deps.api, options);
    return { status: 'succeeded', queryId: done.id, rows, bytesScanned, reused };
  } catch (error) {
    if (deps.signal?.aborted) throw deps.signal.reason;
    return {
      status: 'failed',
      queryId,
      reason: describeFailure(error, request.athena),
      bytesScanned: 0,
      reused: false,
    };
  }
}

/** The three calls pollUntilDone drives. */
function athenaQueryCalls(
  request: AthenaQueryRequest,
  api: AthenaApi,
  started: (id: string) => void,
): PollCalls<string, QueryExecution> {
  const { query, athena } = request;
  const clientRequestToken = randomUUID();
  return {
    start: async ({ abortSignal }) => {
      const output = await api.startQueryExecution(
        {
          QueryString: query.queryString,
          ExecutionParameters: query.executionParameters,
          QueryExecutionContext: { Catalog: CATALOG, Database: athena.database },
          WorkGroup: athena.workgroup,
          ClientRequestToken: clientRequestToken,
          ...(athena.outputLocation ? { ResultConfiguration: { OutputLocation: athena.outputLocation } } : {}),
          ResultReuseConfiguration: {
            ResultReuseByAgeConfiguration:
              athena.resultReuseMinutes > 0
                ? { Enabled: true, MaxAgeInMinutes: athena.resultReuseMinutes }
                : { Enabled: false },
          },
        },
        { abortSignal },
      );
      if (!output.QueryExecutionId) throw new Error('StartQueryExecution returned no QueryExecutionId');
      started(output.QueryExecutionId);
      return output.QueryExecutionId;
    },
    poll: async (id, { abortSignal }) => {
      const output = await api.getQueryExecution({ QueryExecutionId: id }, { abortSignal });
      const execution = output.QueryExecution ?? {};
      const state = execution.Status?.State;
      // QUEUED and RUNNING are not terminal (RUNNING may even go back to QUEUED); an unknown
      // state is waited on too: the deadline bounds it.
      return state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED'
        ? { done: true, result: execution }
        : { done: false };
    },
    stop: async (id, { abortSignal }) => {
      await api.stopQueryExecution({ QueryExecutionId: id }, { abortSignal });
    },
  };
}

/** Every page of a finished query, in order, under the same deadline and retry rules. */
async function readAllRows(queryId: string, api: AthenaApi, options: PollOptions): Promise<AthenaRow[]> {
  const rows: AthenaRow[] = [];
  let columns: string[] = [];
  let nextToken: string | undefined;
  let firstPage = true;
  do {
    const token = nextToken;
    const page = await callWithRetries(
      ({ abortSignal }) =>
        api.getQueryResults(
          { QueryExecutionId: queryId, MaxResults: RESULT_PAGE_ROWS, ...(token ? { NextToken: token } : {}) },
          { abortSignal },
        ),
      options,
    );
    if (firstPage) columns = columnsOfPage(page);
    rows.push(...rowsOfPage(page, columns, firstPage));
    firstPage = false;
    nextToken = page.NextToken;
  } while (nextToken);
  return rows;
}

function describeEnded(queryId: string, execution: QueryExecution): string {
  const reason = execution.Status?.StateChangeReason ?? execution.Status?.AthenaError?.ErrorMessage;
  if (execution.Status?.State === 'CANCELLED') {
    return `Athena query ${queryId} was cancelled${reason ? `: ${reason}` : ''} (a workgroup's bytes-scanned cutoff cancels queries that read more)`;
  }
  return `Athena query ${queryId} failed: ${reason ?? 'Athena gave no reason'}`;
}

function describeFailure(error: unknown, athena: AthenaConfig): string {
  if (error instanceof PollTimeoutError) {
    const why = error.retryingCode ? `, Athena still answering ${error.retryingCode}` : '';
    return `Athena query timed out after ${athena.queryTimeoutSeconds} s${why} (aws.athena.queryTimeoutSeconds)${error.stopped ? '; stopped it' : ''}`;
  }
  return describeAwsFailure(classifyAwsError(error), `Athena (workgroup ${athena.workgroup})`, ATHENA_PERMISSIONS);
}
