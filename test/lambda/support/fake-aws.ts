/**
 * A local stand-in for the two AWS APIs the Lambda functions call, on 127.0.0.1: Lambda
 * Invoke (REST-JSON, POST /2015-03-31/functions/{name}/invocations) and SSM GetParameters
 * (AWS JSON 1.1, X-Amz-Target AmazonSSM.GetParameters). Reached through
 * AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL_SSM with fake credentials.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../support/read-body.js';

export interface RecordedInvoke {
  functionName: string;
  invocationType: string | undefined;
  payload: unknown;
  atMs: number;
}

export interface FakeAws {
  endpoint: string;
  invokes: RecordedInvoke[];
  ssmRequests: Array<{ names: string[]; withDecryption: boolean }>;
  parameters: Map<string, string>;
  /** The next invoke fails with this status and error type. */
  failNextInvoke(status: number, errorType: string): void;
  /** Answers SSM / Lambda only after this long: a slow or unreachable service. */
  delays: { ssmMs: number; invokeMs: number };
  close(): Promise<void>;
}

export async function startFakeAws(): Promise<FakeAws> {
  const invokes: RecordedInvoke[] = [];
  const ssmRequests: FakeAws['ssmRequests'] = [];
  const parameters = new Map<string, string>();
  const invokeFailures: Array<{ status: number; errorType: string }> = [];
  const delays = { ssmMs: 0, invokeMs: 0 };
  const wait = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
    await wait(invoke ? delays.invokeMs : delays.ssmMs);
    if (res.destroyed) return;
    if (invoke) {
      const failure = invokeFailures.shift();
      if (failure) {
        res.writeHead(failure.status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': failure.errorType });
        res.end(JSON.stringify({ Type: 'User', message: `${failure.errorType} from the fake` }));
        return;
      }
      invokes.push({
        functionName: decodeURIComponent(invoke[1]!),
        invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
        payload: JSON.parse(raw),
        atMs: performance.now(),
      });
      res.writeHead(202, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'fake-request' }).end();
      return;
    }
    if (req.headers['x-amz-target'] === 'AmazonSSM.GetParameters') {
      const input = JSON.parse(raw) as { Names: string[]; WithDecryption?: boolean };
      ssmRequests.push({ names: input.Names, withDecryption: input.WithDecryption === true });
      const found = input.Names.filter((name) => parameters.has(name));
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          Parameters: found.map((name) => ({
            Name: name,
            Type: 'SecureString',
            Value: parameters.get(name),
            Version: 1,
          })),
          InvalidParameters: input.Names.filter((name) => !parameters.has(name)),
        }),
      );
      return;
    }
    res
      .writeHead(400, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ message: `unexpected ${req.method} ${req.url}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invokes,
    ssmRequests,
    parameters,
    failNextInvoke: (status, errorType) => void invokeFailures.push({ status, errorType }),
    delays,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
