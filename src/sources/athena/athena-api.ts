/**
 * The four Athena calls the provider makes, narrowed to one small seam: tests and the bench
 * stand in for it, or point the real client at a local stand-in (AWS_ENDPOINT_URL_ATHENA).
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionInput,
  type GetQueryExecutionOutput,
  GetQueryResultsCommand,
  type GetQueryResultsInput,
  type GetQueryResultsOutput,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
  type StartQueryExecutionOutput,
  StopQueryExecutionCommand,
  type StopQueryExecutionInput,
} from '@aws-sdk/client-athena';

export interface AthenaCallOptions {
  /** Aborts the HTTP call (deadline reached, or the investigation was cancelled). */
  abortSignal?: AbortSignal;
}

export interface AthenaApi {
  startQueryExecution(
    input: StartQueryExecutionInput,
    options?: AthenaCallOptions,
  ): Promise<Pick<StartQueryExecutionOutput, 'QueryExecutionId'>>;
  getQueryExecution(
    input: GetQueryExecutionInput,
    options?: AthenaCallOptions,
  ): Promise<Pick<GetQueryExecutionOutput, 'QueryExecution'>>;
  getQueryResults(
    input: GetQueryResultsInput,
    options?: AthenaCallOptions,
  ): Promise<Pick<GetQueryResultsOutput, 'ResultSet' | 'NextToken'>>;
  stopQueryExecution(input: StopQueryExecutionInput, options?: AthenaCallOptions): Promise<unknown>;
}

/** What the credentials need for the calls above (the S3 and Glue side: scripts/athena-iam.cjs). */
export const ATHENA_PERMISSIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
] as const;

/** The real thing. Credentials, region and endpoint come from the client's own chain. */
export function createAthenaApi(client: AthenaClient): AthenaApi {
  const sendOptions = (options?: AthenaCallOptions) =>
    options?.abortSignal ? { abortSignal: options.abortSignal } : {};
  return {
    startQueryExecution: (input, options) => client.send(new StartQueryExecutionCommand(input), sendOptions(options)),
    getQueryExecution: (input, options) => client.send(new GetQueryExecutionCommand(input), sendOptions(options)),
    getQueryResults: (input, options) => client.send(new GetQueryResultsCommand(input), sendOptions(options)),
    stopQueryExecution: (input, options) => client.send(new StopQueryExecutionCommand(input), sendOptions(options)),
  };
}
