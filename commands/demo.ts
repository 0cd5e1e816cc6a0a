import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CliIo } from '../src/cli/cli-io.js';
import { clockFrom } from '../src/core/clock.js';
import { DEMO_INCIDENT, DEMO_INDEX, DEMO_NOW, DEMO_TIME, demoConfig } from '../src/demo/demo-incident.js';
import { commandDefaults, createInvestigationRunner } from '../src/engine/create-runner.js';
import { parseInvestigation } from '../src/grammar/parse-command.js';
import { writeIncidentLogs } from '../src/simulate/write-incident-logs.js';
import { checkChartTarget, deliverReport, type ReportFormat } from './output.js';

/** Bump when the demo incident changes, so a cached copy is regenerated. */
const DEMO_VERSION = 5;

/**
 * `why502 demo`: generates the bundled incident as real-format log files (once, cached in the
 * temp folder), then runs the same files-mode investigation a user would:
 * `why502 prod_000_audio 05:41 AEST --alb-logs … --proxy-logs …`. No credentials, no network.
 */
export async function runDemo(
  options: { format: ReportFormat; draft: boolean; chart?: string; ascii?: boolean },
  io: CliIo,
): Promise<number> {
  const chart = checkChartTarget(options.chart, io);
  const directory = await demoLogs();
  const albLogs = path.join(directory, 'alb');
  const proxyLogs = path.join(directory, 'haproxy');
  io.stderr.write(`why502 demo: a generated incident modelled on a real one; logs in ${directory}\n`);
  io.stderr.write(
    `  equivalent to: npx why502 ${DEMO_INDEX} ${DEMO_TIME.join(' ')} --now ${DEMO_NOW.toISOString()} --alb-logs ${albLogs} --proxy-logs ${proxyLogs}\n`,
  );
  const config = demoConfig(albLogs, proxyLogs);
  const command = parseInvestigation(
    { positionals: [DEMO_INDEX, ...DEMO_TIME], noDraft: !options.draft },
    commandDefaults(config, DEMO_NOW),
  );
  const runner = createInvestigationRunner({
    config,
    // The demo never calls a model: its draft is the template draft, the same on every machine.
    env: { ...io.env, OPENAI_API_KEY: undefined },
    clock: clockFrom(DEMO_NOW),
    warn: (message) => io.stderr.write(`${message}\n`),
  });
  const { report, formatter } = await runner.run(command);
  return deliverReport(report, formatter, { format: options.format, chart, ascii: options.ascii }, io);
}

async function demoLogs(): Promise<string> {
  const directory = path.join(os.tmpdir(), `why502-demo-v${DEMO_VERSION}`);
  if (existsSync(path.join(directory, 'complete'))) return directory;
  // Write into a fresh folder and rename it into place, so two demos at once never see half a data set.
  const staging = await mkdtemp(path.join(os.tmpdir(), 'why502-demo-staging-'));
  const written = await writeIncidentLogs(DEMO_INCIDENT, staging);
  await writeFile(path.join(staging, 'complete'), `${written.albLines} ALB lines, ${written.proxyLines} proxy lines\n`);
  try {
    await rename(staging, directory);
  } catch {
    await rm(staging, { recursive: true, force: true }); // another run won the race; use its copy
  }
  return directory;
}
