/**
 * The bundled demo incident's report, computed in this process the way `why502 demo` does it:
 * real-format log lines written by the simulator, read back by the real parsers and judged.
 * Per-minute counts, a 429 burst ending a minute before 05:41, a flat LB-minted 502 background:
 * what the Slack picture tests draw. Computed once per test file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clockFrom } from '../../../src/core/clock.js';
import type { AccessLogSample } from '../../../src/core/report.js';
import { DEMO_INCIDENT, DEMO_INDEX, DEMO_NOW, DEMO_TIME, demoConfig } from '../../../src/demo/demo-incident.js';
import { commandDefaults, createInvestigationRunner } from '../../../src/engine/create-runner.js';
import type { InvestigationResult } from '../../../src/engine/investigation-runner.js';
import { parseInvestigation } from '../../../src/grammar/parse-command.js';
import { writeIncidentLogs } from '../../../src/simulate/write-incident-logs.js';

let demo: Promise<InvestigationResult> | undefined;

export function demoResult(): Promise<InvestigationResult> {
  demo ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'why502-slack-demo-'));
    await writeIncidentLogs(DEMO_INCIDENT, dir);
    const config = demoConfig(path.join(dir, 'alb'), path.join(dir, 'haproxy'));
    const command = parseInvestigation(
      { positionals: [DEMO_INDEX, ...DEMO_TIME], noDraft: false },
      commandDefaults(config, DEMO_NOW),
    );
    return createInvestigationRunner({ config, env: {}, clock: clockFrom(DEMO_NOW), warn: () => {} }).run(command);
  })();
  return demo.then((result) => ({ ...result, report: structuredClone(result.report) }));
}

/**
 * LB-minted 502 rows of the demo's index around 05:41 AEST (19:41 UTC), nearest first, in the
 * shape CONTRACT §9 gives them (ALB times with microseconds, target "-" when none answered).
 */
export const DEMO_SAMPLES: readonly AccessLogSample[] = [
  {
    time: '2026-06-18T19:41:07.318204Z',
    elbStatusCode: 502,
    targetStatusCode: '-',
    target: '10.20.4.17:7700',
    targetGroup: 'tg-prod-000-audio',
    request: 'POST /indexes/prod_000_audio/search',
    traceId: 'Root=1-6853165b-4f1e0c2a9b7d3e5f6a8c1b2d',
  },
  {
    time: '2026-06-18T19:41:42.004917Z',
    elbStatusCode: 502,
    targetStatusCode: '-',
    target: '10.20.5.31:7700',
    targetGroup: 'tg-prod-000-audio',
    request: 'GET /indexes/prod_000_audio/documents',
    traceId: 'Root=1-6853167e-0b9a8c7d6e5f4a3b2c1d0e9f',
  },
  {
    time: '2026-06-18T19:40:51.770031Z',
    elbStatusCode: 502,
    targetStatusCode: '-',
    target: '10.20.4.17:7700',
    targetGroup: 'tg-prod-000-audio',
    request: 'POST /indexes/prod_000_audio/search',
    traceId: 'Root=1-6853164b-7c6d5e4f3a2b1c0d9e8f7a6b',
  },
  {
    time: '2026-06-18T19:42:13.118450Z',
    elbStatusCode: 502,
    targetStatusCode: '-',
    target: '-',
    targetGroup: 'tg-prod-000-audio',
    request: 'POST /indexes/prod_000_audio/search',
  },
  {
    time: '2026-06-18T19:40:02.551873Z',
    elbStatusCode: 502,
    targetStatusCode: '-',
    target: '10.20.6.9:7700',
    targetGroup: 'tg-prod-000-audio',
    request: 'PUT /indexes/prod_000_audio/settings',
    traceId: 'Root=1-6853161a-1a2b3c4d5e6f7a8b9c0d1e2f',
  },
  {
    time: '2026-06-18T19:43:29.090112Z',
    elbStatusCode: 502,
    targetStatusCode: '-',
    target: '10.20.5.31:7700',
    targetGroup: 'tg-prod-000-audio',
    request: 'POST /indexes/prod_000_audio/search',
    traceId: 'Root=1-685316e1-9f8e7d6c5b4a39281706f5e4',
  },
];
