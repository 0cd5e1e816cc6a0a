/**
 * Time to a verdict in CloudWatch mode (issue 3, item 8): a local endpoint on 127.0.0.1 that
 * answers like CloudWatch with a set query latency L (src/sources/cloudwatch/
 * fake-cloudwatch-server.ts), the real engine (createInvestigationRunner) and the real AWS SDK
 * clients, pointed at the endpoint by AWS_ENDPOINT_URL_CLOUDWATCH(_LOGS) set in this process
 * only. Every query runs in parallel, so the wall time should be the slowest query plus a
 * little: wall ÷ L ≤ 1.2. Also counts the API calls of one investigation, and the StartQuery
 * calls of 5 identical investigations run at once (they share one set of queries).
 *
 * The answers are the demo incident's own log lines (src/demo/demo-incident.ts), through the
 * same stand-in the engine tests use (test/support/cloudwatch-from-logs.ts).
 */
import { type Config, parseConfig } from '../src/config.js';
import { type Clock, systemClock } from '../src/core/clock.js';
import type { InvestigationCommand } from '../src/core/types.js';
import { DEMO_INCIDENT, DEMO_INDEX, DEMO_NOW, DEMO_TENANTS } from '../src/demo/demo-incident.js';
import { createInvestigationRunner } from '../src/engine/create-runner.js';
import { simulateIncident } from '../src/simulate/simulate-incident.js';
import { cloudWatchFromLogs } from '../test/support/cloudwatch-from-logs.js';
import { type FakeCloudWatchOptions, startFakeCloudWatch } from '../test/support/fake-cloudwatch-server.js';
import { withProcessEnv } from '../test/support/process-env.js';

const LOG_GROUP = '/prod/haproxy';
const ASKED_TEXT = `${DEMO_INDEX} 05:41 AEST`;
const CONCURRENT_INVESTIGATIONS = 5;

export interface TimeToVerdictRun {
  latencyMs: number;
  wallMs: number;
  /** wall time ÷ query latency; the target is ≤ 1.2. */
  ratio: number;
  apiCalls: number;
  calls: Record<string, number>;
  verdict: string;
}

export interface ConcurrentRun {
  investigations: number;
  latencyMs: number;
  wallMs: number;
  calls: Record<string, number>;
  verdicts: string[];
}

type Answers = Pick<FakeCloudWatchOptions, 'rowsFor' | 'metricsFor'>;

/** The demo incident as CloudWatch would answer it; query results computed once, ahead of the clock. */
function demoAnswers(): Answers {
  const answers = cloudWatchFromLogs(DEMO_INCIDENT, simulateIncident(DEMO_INCIDENT), { proxyLogGroups: [LOG_GROUP] });
  const rows = new Map<string, ReturnType<typeof answers.rowsFor>>();
  return {
    // Memoised: the real service's work is inside L; the stand-in's own evaluation must not add to it.
    rowsFor: (query) => {
      const key = JSON.stringify(query);
      if (!rows.has(key)) rows.set(key, answers.rowsFor(query));
      return rows.get(key)!;
    },
    metricsFor: answers.metricsFor,
  };
}

function benchConfig(): Config {
  return parseConfig(
    {
      timezone: 'Australia/Sydney',
      window: '3h',
      aws: { region: DEMO_INCIDENT.region, loadBalancer: DEMO_INCIDENT.loadBalancer, proxyLogGroups: [LOG_GROUP] },
      indexes: Object.fromEntries(
        DEMO_TENANTS.map((t) => [t.index, { targetGroup: t.targetGroup, match: `/indexes/${t.index}/` }]),
      ),
    },
    'the time-to-verdict bench',
  );
}

/** The demo's "now", moving with real time so deadlines and backoff behave as in production. */
function movingClock(): Clock {
  const startedMs = Date.now();
  return { now: () => new Date(DEMO_NOW.getTime() + (Date.now() - startedMs)), sleep: systemClock.sleep };
}

/** Sets the AWS variables for `run` (fake credentials, the endpoint), then restores them. */
async function withLocalEndpoint<T>(endpoint: string, run: () => Promise<T>): Promise<T> {
  const changes: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL_CLOUDWATCH: endpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: DEMO_INCIDENT.region,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
  };
  return withProcessEnv(changes, run);
}

/** Starts a local CloudWatch with latency L and runs `investigations` identical investigations at once through a fresh runner. */
async function investigateAgainstLocalEndpoint(answers: Answers, latencyMs: number, investigations: number) {
  const fake = await startFakeCloudWatch({ queryLatencyMs: latencyMs, ...answers });
  try {
    return await withLocalEndpoint(fake.endpoint, async () => {
      // No cloudWatchDeps: the runner builds the real SDK clients from the environment.
      const runner = createInvestigationRunner({ config: benchConfig(), env: {}, clock: movingClock() });
      const command = runner.parse(ASKED_TEXT, DEMO_NOW) as InvestigationCommand;
      const startedNs = process.hrtime.bigint();
      const results = await Promise.all(
        Array.from({ length: investigations }, () => runner.run(command, { noDraft: true })),
      );
      const wallMs = Number(process.hrtime.bigint() - startedNs) / 1e6;
      return {
        wallMs,
        calls: fake.calls(),
        apiCalls: fake.totalCalls(),
        verdicts: results.map((r) => r.report.verdict.kind),
      };
    });
  } finally {
    await fake.close();
  }
}

/** One investigation per latency, after a warm-up that loads the SDK and computes the answers. */
export async function measureTimeToVerdict(
  latenciesMs: readonly number[],
): Promise<{ runs: TimeToVerdictRun[]; concurrent: ConcurrentRun }> {
  const answers = demoAnswers();
  await investigateAgainstLocalEndpoint(answers, 0, 1); // warm-up, not counted
  const runs: TimeToVerdictRun[] = [];
  for (const latencyMs of latenciesMs) {
    const run = await investigateAgainstLocalEndpoint(answers, latencyMs, 1);
    runs.push({
      latencyMs,
      wallMs: run.wallMs,
      ratio: run.wallMs / latencyMs,
      apiCalls: run.apiCalls,
      calls: run.calls,
      verdict: run.verdicts[0]!,
    });
  }
  const latencyMs = latenciesMs[0]!;
  const together = await investigateAgainstLocalEndpoint(answers, latencyMs, CONCURRENT_INVESTIGATIONS);
  return {
    runs,
    concurrent: {
      investigations: CONCURRENT_INVESTIGATIONS,
      latencyMs,
      wallMs: together.wallMs,
      calls: together.calls,
      verdicts: together.verdicts,
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const callList = (calls: Record<string, number>) =>
  Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');

/** Prints the figure; returns false when a run missed the 1.2 × L target. */
export async function printTimeToVerdict(latenciesMs: readonly number[] = [1_000, 3_000]): Promise<boolean> {
  console.log(
    '\nwhy502 bench — time to a verdict, CloudWatch mode (real SDK clients → local endpoint on 127.0.0.1, query latency L)',
  );
  const { runs, concurrent } = await measureTimeToVerdict(latenciesMs);
  for (const run of runs) {
    console.log(
      `  L = ${seconds(run.latencyMs)}: wall ${seconds(run.wallMs)} = ${run.ratio.toFixed(2)} × L (target ≤ 1.2: ${run.ratio <= 1.2 ? 'met' : 'MISSED'})` +
        `   API calls per investigation: ${run.apiCalls} (${callList(run.calls)})   verdict ${run.verdict}`,
    );
  }
  const startQueries = concurrent.calls.StartQuery ?? 0;
  console.log(
    `  ${concurrent.investigations} identical investigations at once (L = ${seconds(concurrent.latencyMs)}): ${startQueries} StartQuery call${startQueries === 1 ? '' : 's'}` +
      ` (${callList(concurrent.calls)}), wall ${seconds(concurrent.wallMs)}, verdicts ${[...new Set(concurrent.verdicts)].join(', ')}`,
  );
  return runs.every((run) => run.ratio <= 1.2);
}
