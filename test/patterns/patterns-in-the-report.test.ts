/**
 * A pattern window through the whole engine: `--window 14d` in CloudWatch mode judges the
 * default 3h around the question by the minute and reads the 14 days up to it by the hour, and
 * the report says what recurred — in JSON and on the terminal. Files mode refuses it clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createInvestigationRunner } from '../../src/engine/create-runner.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { renderText } from '../../src/render/render-text.js';
import { QueryLimiter } from '../../src/sources/cloudwatch/query-limiter.js';
import { cloudWatchFromLogs } from '../support/cloudwatch-from-logs.js';
import { type FakeCloudWatch, startFakeCloudWatch } from '../support/fake-cloudwatch-server.js';
import { runCli } from '../support/run-cli.js';
import { logsApiAt, metricsApiAt } from './support/clients.js';
import { fastClockFrom } from './support/clocks.js';
import { DAILY_INDEX, DAILY_NOW, DAILY_SPEC, DAILY_TARGET_GROUP, dailyLogs } from './support/daily-incident-fixture.js';

let cloudWatch: FakeCloudWatch;

beforeAll(async () => {
  const derived = cloudWatchFromLogs(DAILY_SPEC, dailyLogs());
  cloudWatch = await startFakeCloudWatch({ queryLatencyMs: 0, metricsFor: derived.metricsFor, rowsFor: () => [] });
}, 120_000);
afterAll(async () => {
  await cloudWatch?.close();
});

describe('a --window of 14d through the engine', () => {
  it('judges the 3h around the question and reports the daily burst at 05:00 AEST over the 14 days before it', async () => {
    const config = parseConfig(
      {
        aws: { region: 'ap-southeast-2', loadBalancer: DAILY_SPEC.loadBalancer },
        indexes: { [DAILY_INDEX]: { targetGroup: DAILY_TARGET_GROUP } },
      },
      'the patterns test',
    );
    const clock = fastClockFrom(DAILY_NOW.toISOString());
    const runner = createInvestigationRunner({
      config,
      env: {},
      clock,
      cloudWatchDeps: {
        metrics: metricsApiAt(cloudWatch.endpoint),
        logs: logsApiAt(cloudWatch.endpoint),
        clock,
        limiter: new QueryLimiter(4),
      },
    });
    // The last day's burst (19:38 UTC = 05:38 AEST on 19 Jun), asked as the customer would.
    const command = runner.parse(`${DAILY_INDEX} 05:41 AEST --window 14d`, DAILY_NOW);
    if ('help' in command) throw new Error('parsed as help');

    const { report, formatter } = await runner.run(command, { noDraft: true });

    expect(report.window).toEqual({ start: '2026-06-18T18:11:00Z', end: '2026-06-18T21:11:00Z' });
    // CloudWatch has no per-target-group LB-minted 502 metric: the kind's signal is the load balancer's.
    expect(report.patterns?.judged).toMatchObject({ signal: 'elb_502', provider: 'cloudwatch' });
    expect(
      report.patterns?.daily.map(({ hourUtc, days, daysMeasured }) => ({ hourUtc, days: days.length, daysMeasured })),
    ).toEqual([{ hourUtc: 19, days: 12, daysMeasured: 14 }]);
    expect(report.patterns?.lines[0]).toMatch(
      /^LB-minted 502s \(whole load balancer\) burst daily in the hour 05:00–05:59 AEST \(19:00–19:59 UTC\), on 12 of the 14 days measured \(/,
    );
    const text = renderText(report, formatter ?? createTimeFormatter(command.asked.zone)).join('\n');
    expect(text).toMatch(
      /Over the days:\n {2}- LB-minted 502s \(whole load balancer\) burst daily in the hour 05:00–05:59 AEST/,
    );
    expect(cloudWatch.calls().StartQuery ?? 0).toBe(0);
  }, 60_000);

  it('refuses a pattern window in files mode before reading anything, saying why and what to do', async () => {
    const run = await runCli([
      DAILY_INDEX,
      '05:41',
      'AEST',
      '--window',
      '14d',
      '--alb-logs',
      '/nonexistent/alb',
      '--now',
      DAILY_NOW.toISOString(),
    ]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      'why502: Patterns over days need CloudWatch or Athena (aws: in the config); in files mode --window is at most 24h. Give --window 24h or less with log files, or add an aws: section (loadBalancer, athena or proxyLogGroups) to why502.yml and run without --alb-logs/--proxy-logs.',
    );
  });
});
