import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeCloudWatch, startFakeCloudWatch } from '../../support/fake-cloudwatch-server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let fake: FakeCloudWatch | null = null;

afterEach(async () => {
  await fake?.close();
  fake = null;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startFakeCloudWatch', () => {
  it('answers Logs Insights like CloudWatch: Scheduled or Running until the latency has passed, then Complete', async () => {
    fake = await startFakeCloudWatch({
      queryLatencyMs: 150,
      rowsFor: (q) => [
        { minute: '2026-06-18 19:41:00.000', status: '429', tsc: 'PR--', requests: String(q.endTime - q.startTime) },
      ],
    });
    const logs = new CloudWatchLogsClient({ region: 'ap-southeast-2', endpoint: fake.endpoint, credentials });

    const { queryId } = await logs.send(
      new StartQueryCommand({ logGroupNames: ['/prod/haproxy'], startTime: 100, endTime: 159, queryString: 'q' }),
    );
    const early = await logs.send(new GetQueryResultsCommand({ queryId: queryId! }));
    await sleep(200);
    const done = await logs.send(new GetQueryResultsCommand({ queryId: queryId! }));

    expect(['Scheduled', 'Running']).toContain(early.status);
    expect(done.status).toBe('Complete');
    expect(done.results).toEqual([
      [
        { field: 'minute', value: '2026-06-18 19:41:00.000' },
        { field: 'status', value: '429' },
        { field: 'tsc', value: 'PR--' },
        { field: 'requests', value: '59' },
      ],
    ]);
    expect(done.statistics).toEqual({
      recordsMatched: 1,
      recordsScanned: 100,
      bytesScanned: 1_000_000,
      resultCount: 1,
    });
    expect(fake.calls()).toEqual({ StartQuery: 1, GetQueryResults: 2 });
    expect(fake.queries()).toEqual([
      { logGroupNames: ['/prod/haproxy'], startTime: 100, endTime: 159, queryString: 'q' },
    ]);
  });

  it('cancels a stopped query', async () => {
    fake = await startFakeCloudWatch({ queryLatencyMs: 10_000 });
    const logs = new CloudWatchLogsClient({ region: 'ap-southeast-2', endpoint: fake.endpoint, credentials });

    const { queryId } = await logs.send(
      new StartQueryCommand({ logGroupNames: ['/g'], startTime: 1, endTime: 2, queryString: 'q' }),
    );
    const stopped = await logs.send(new StopQueryCommand({ queryId: queryId! }));
    const after = await logs.send(new GetQueryResultsCommand({ queryId: queryId! }));

    expect(stopped.success).toBe(true);
    expect(after.status).toBe('Cancelled');
    expect(fake.totalCalls()).toBe(3);
  });

  it('answers GetMetricData in the JSON protocol the installed client speaks', async () => {
    fake = await startFakeCloudWatch({
      queryLatencyMs: 0,
      metricsFor: (queries, range) => queries.map((q) => ({ Id: q.Id, Timestamps: [range.startTime], Values: [42] })),
    });
    const cloudwatch = new CloudWatchClient({ region: 'ap-southeast-2', endpoint: fake.endpoint, credentials });

    const answer = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date('2026-06-18T19:30:00Z'),
        EndTime: new Date('2026-06-18T19:35:00Z'),
        MetricDataQueries: [
          {
            Id: 'm1',
            MetricStat: {
              Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );

    expect(answer.MetricDataResults).toEqual([
      { Id: 'm1', Label: 'm1', StatusCode: 'Complete', Timestamps: [new Date('2026-06-18T19:30:00Z')], Values: [42] },
    ]);
    expect(fake.calls()).toEqual({ GetMetricData: 1 });
  });
});
