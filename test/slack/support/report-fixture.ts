/**
 * The model reply's incident (examples/model-reply.md) as a ReportJson, and a fake
 * InvestigationRunner that understands just enough grammar for the Slack tests.
 */
import type { ReportJson, SignalJson } from '../../../src/core/report.js';
import type { CustomerDraft, DraftTone, InvestigationCommand, ResolvedZone } from '../../../src/core/types.js';
import type { InvestigationResult, InvestigationRunner, RunOptions } from '../../../src/engine/investigation-runner.js';
import { UsageError } from '../../../src/errors.js';
import { createTimeFormatter } from '../../../src/grammar/time-formatter.js';

const AEST_OFFSET_MS = 600 * 60_000;
export const AEST: ResolvedZone = { kind: 'fixed', label: 'AEST', offsetMinutes: 600 };
/** "Now" for every Slack test: four minutes after the asked time. */
export const TEST_NOW = new Date('2026-06-18T19:45:00Z');

const signal = (fields: Partial<SignalJson> & Pick<SignalJson, 'window' | 'atMinute'>): SignalJson => ({
  status: 'ok',
  scope: 'index',
  perMinute: [],
  peak: null,
  ...fields,
});

export function throttlingReport(overrides: Partial<ReportJson> = {}): ReportJson {
  return {
    schemaVersion: 1,
    index: 'prod_000_audio',
    asked: { input: '05:41 AEST', zone: 'AEST', utcOffset: '+10:00', notes: [] },
    at: '2026-06-18T19:41:00Z',
    window: { start: '2026-06-18T18:11:00Z', end: '2026-06-18T21:11:00Z' },
    sources: [
      { name: 'proxy logs via Logs Insights', status: 'complete', detail: '2.1 GB scanned' },
      { name: 'ALB metrics via GetMetricData', status: 'complete' },
    ],
    signals: {
      requests: signal({
        source: 'ALB RequestCount',
        window: 1_380_210,
        atMinute: 12_140,
        peak: { minute: '2026-06-18T19:35:00Z', count: 24_300 },
      }),
      origin_5xx: signal({ source: 'Logs Insights /prod/haproxy', window: 0, atMinute: 0 }),
      throttled_429: signal({
        source: 'Logs Insights /prod/haproxy',
        window: 43_930,
        atMinute: 212,
        peak: { minute: '2026-06-18T19:35:00Z', count: 4_593 },
        byTermination: { 'PR--': 43_930 },
      }),
      target_5xx: signal({ window: 0, atMinute: 0 }),
      target_connection_errors: signal({ window: 0, atMinute: 0 }),
      elb_502: signal({
        scope: 'loadBalancer',
        window: 1_031,
        atMinute: 6,
        peak: { minute: '2026-06-18T19:52:00Z', count: 13 },
      }),
      elb_502_index: {
        status: 'unavailable',
        reason: 'no such metric',
        scope: 'index',
        window: null,
        atMinute: null,
        peak: null,
        perMinute: [],
      },
      elb_503: signal({ scope: 'loadBalancer', window: 0, atMinute: 0 }),
      elb_504: signal({ scope: 'loadBalancer', window: 0, atMinute: 0 }),
      slow_requests: signal({ window: 310, atMinute: 2, peak: { minute: '2026-06-18T19:36:00Z', count: 14 } }),
    },
    verdict: THROTTLING_FINDING,
    findings: [THROTTLING_FINDING, KEEPALIVE_FINDING],
    draft: {
      text: 'Hi team — thanks for flagging the errors you saw around 5:41 AM AEST.\n\nOur servers returned no 5xx errors.',
      generator: 'template',
    },
    ...overrides,
  };
}

const THROTTLING_FINDING = {
  kind: 'throttling_429',
  headline:
    'The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx.',
  confidence: 'high',
  reasons: [
    'The origin returned 0 5xx in 18:11–21:11 UTC, and the ALB agrees: target 5xx 0, connection errors 0.',
    '43,930 requests got 429 from the proxy’s rate limit (PR--), 3.2 % of requests.',
  ],
  advice: [
    'Ask the customer how their dashboard labels upstream 429s and timeouts.',
    'Client backoff on bursts, or a rate-limit conversation.',
  ],
  facts: { throttled: 43_930, origin5xxWindow: 0 },
} satisfies ReportJson['verdict'];

const KEEPALIVE_FINDING = {
  kind: 'keepalive_race',
  headline: 'A flat background of LB-minted 502s, ~6/min across all tenants: the keep-alive race.',
  confidence: 'medium',
  reasons: ['ELB 502 about 6/min before, during and after, target status "-".'],
  advice: ['Make the targets’ keep-alive timeout longer than the ALB idle timeout (60 s).'],
  facts: {},
} satisfies ReportJson['verdict'];

export const USAGE =
  'Usage: /why502 <index> <time> [<zone>] [--window <duration>] [--no-draft]\nExample: /why502 prod_000_audio 05:41 AEST';

export interface FakeRunner extends InvestigationRunner {
  runs: Array<{ command: InvestigationCommand; options: RunOptions | undefined }>;
  redrafts: Array<{ report: ReportJson; tone: DraftTone }>;
}

export interface FakeRunnerOptions {
  report?: (command: InvestigationCommand) => ReportJson;
  /** Replaces the run (to fail, or to wait). */
  run?: (command: InvestigationCommand, options?: RunOptions) => Promise<ReportJson>;
  redraft?: (report: ReportJson, tone: DraftTone) => Promise<CustomerDraft>;
}

/**
 * Parses "<index> HH:MM AEST" (the only form the tests type), "help", and rejects anything
 * else with a UsageError, as the real grammar would.
 */
export function createFakeRunner(options: FakeRunnerOptions = {}): FakeRunner {
  const runs: FakeRunner['runs'] = [];
  const redrafts: FakeRunner['redrafts'] = [];
  return {
    usage: USAGE,
    runs,
    redrafts,
    parse(text, now) {
      const words = text.trim().split(/\s+/);
      if (words[0] === 'help') return { help: true };
      const [index, time, zone] = words;
      const match = /^(\d{2}):(\d{2})$/.exec(time ?? '');
      if (!index || !match || zone !== 'AEST')
        throw new UsageError(
          `Cannot read "${text}" as <index> <time> AEST.`,
          'Example: /why502 prod_000_audio 05:41 AEST',
        );
      // The most recent 05:41 on an AEST wall clock that is not in the future.
      const local = new Date(now.getTime() + AEST_OFFSET_MS);
      const at = new Date(
        Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), Number(match[1]), Number(match[2])) -
          AEST_OFFSET_MS,
      );
      if (at.getTime() > now.getTime()) at.setUTCDate(at.getUTCDate() - 1);
      return {
        index,
        asked: { input: `${time} AEST`, zone: AEST, utcOffset: '+10:00', instant: at, at, notes: [] },
        window: { start: new Date(at.getTime() - 90 * 60_000), end: new Date(at.getTime() + 90 * 60_000) },
        noDraft: false,
      };
    },
    async run(command, runOptions) {
      runs.push({ command, options: runOptions });
      const report = options.run
        ? await options.run(command, runOptions)
        : (options.report ?? (() => throttlingReport({ index: command.index })))(command);
      return {
        command,
        report,
        formatter: createTimeFormatter(command.asked.zone, { referenceInstant: command.asked.at }),
      } satisfies InvestigationResult;
    },
    async redraft(report, tone) {
      redrafts.push({ report, tone });
      if (options.redraft) return options.redraft(report, tone);
      return { text: `A ${tone} draft for ${report.index}.`, generator: 'template' };
    },
  };
}

export const fixedClock = {
  now: () => new Date(TEST_NOW),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    }),
};
