/**
 * `why502 serve`: the Slack app as a long-running process — HTTP on PORT at POST /slack/events,
 * or Socket Mode when SLACK_APP_TOKEN is set (CONTRACT §7). Evidence comes from the config's
 * source, checked at start so a misconfigured server fails now, not on the first command.
 */
import { pino } from 'pino';
import { type CliIo, EXIT } from '../src/cli/cli-io.js';
import { defaultConfig, loadConfigFile, readSecrets } from '../src/config.js';
import { type Clock, systemClock } from '../src/core/clock.js';
import { createInvestigationRunner } from '../src/engine/create-runner.js';
import { planEvidence } from '../src/engine/evidence-plan.js';
import type { InvestigationRunner } from '../src/engine/investigation-runner.js';
import { UsageError } from '../src/errors.js';
import { parseTableStyle } from '../src/render/slack/table-style.js';
import { type AppLogger, fromPino } from '../src/slack/app-logger.js';
import { renderChartPng } from '../src/slack/chart-image.js';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackAppHandle } from '../src/slack/create-slack-app.js';

export interface ServeOptions {
  config?: string;
}

/** Seams for tests; production uses none of them. */
export interface ServeDeps {
  clock?: Clock;
  logger?: AppLogger;
  createRunner?: typeof createInvestigationRunner;
  /** Overrides PORT / HOST (tests bind 127.0.0.1:0). */
  listen?: { port: number; host?: string };
}

export interface RunningServer {
  handle: SlackAppHandle;
  /** The bound port in HTTP mode. */
  port?: number;
}

export async function startServe(options: ServeOptions, io: CliIo, deps: ServeDeps = {}): Promise<RunningServer> {
  const loaded = loadConfigFile(options.config, io.cwd ?? process.cwd());
  const config = loaded?.config ?? defaultConfig();
  planEvidence(config); // a config with nothing to read fails now, not on the first command
  const clock = deps.clock ?? systemClock;
  const logger =
    deps.logger ?? fromPino(pino({ level: io.env.LOG_LEVEL ?? 'info', base: { app: 'why502' } }, pino.destination(2)));
  const runner: InvestigationRunner = (deps.createRunner ?? createInvestigationRunner)({
    config,
    env: io.env,
    clock,
    warn: (message) => logger.warn(message),
  });
  const handle = createSlackApp({
    runner,
    config,
    secrets: readSecrets(io.env),
    logger,
    clock,
    ...(io.env.SLACK_API_URL ? { slackApiUrl: io.env.SLACK_API_URL } : {}),
    tableStyle: parseTableStyle(io.env.WHY502_SLACK_TABLE),
    chartImage: renderChartPng,
  });
  const listen = deps.listen ?? { port: parsePort(io.env.PORT), ...(io.env.HOST ? { host: io.env.HOST } : {}) };
  const { port } = await handle.start(listen);
  io.stderr.write(
    handle.mode === 'socket'
      ? 'why502 serve: connected to Slack in Socket Mode.\n'
      : `why502 serve: listening on port ${port} at POST ${SLACK_EVENTS_PATH}${loaded ? ` (config ${loaded.path})` : ''}.\n`,
  );
  return { handle, ...(port !== undefined ? { port } : {}) };
}

/** Runs until SIGINT or SIGTERM, then stops taking requests and lets work in flight finish. */
export async function runServe(options: ServeOptions, io: CliIo): Promise<number> {
  const { handle } = await startServe(options, io);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.stderr.write(`why502 serve: ${signal}, finishing work in flight…\n`);
  await handle.stop();
  return EXIT.ok;
}

export function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(
      `PORT=${JSON.stringify(raw)} is not a port number.`,
      'Set PORT to a number from 1 to 65535, or unset it for 3000.',
    );
  return port;
}
