/**
 * The bundled demo incident's report, produced the way a user gets it (`why502 demo --format
 * json`): real-format log lines written by the simulator, read back by the real parsers and
 * judged. The chart tests draw from these numbers, not from hand-typed ones.
 */
import type { ReportJson } from '../../../src/core/report.js';
import type { ResolvedZone, TimeFormatter } from '../../../src/core/types.js';
import { createTimeFormatter } from '../../../src/grammar/time-formatter.js';
import { runCli } from '../../support/run-cli.js';

const AEST: ResolvedZone = { kind: 'fixed', label: 'AEST', offsetMinutes: 600 };

let demo: Promise<ReportJson> | undefined;

export function loadDemoReport(): Promise<ReportJson> {
  demo ??= runCli(['demo', '--format', 'json']).then((run) => {
    if (run.code !== 0) throw new Error(`why502 demo failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as ReportJson;
  });
  return demo.then((report) => structuredClone(report));
}

export function demoFormatter(report: ReportJson): TimeFormatter {
  return createTimeFormatter(AEST, { referenceInstant: new Date(report.at) });
}
