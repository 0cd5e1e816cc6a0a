import type { CliIo } from '../src/cli/cli-io.js';
import { defaultConfig, loadConfigFile } from '../src/config.js';
import { clockFrom, systemClock } from '../src/core/clock.js';
import type { DraftTone, EvidenceSourceChoice } from '../src/core/types.js';
import { parseUtcOffsetMinutes } from '../src/core/utc-offset.js';
import { commandDefaults, createInvestigationRunner } from '../src/engine/create-runner.js';
import { UsageError } from '../src/errors.js';
import { parseInvestigation } from '../src/grammar/parse-command.js';
import { EARLIEST_YEAR } from '../src/grammar/read-time-tokens.js';
import { checkChartTarget, clearProgress, deliverReport, progressWriter, type ReportFormat } from './output.js';

export interface InvestigateOptions {
  window?: string;
  format: ReportFormat;
  source?: EvidenceSourceChoice;
  albLogs: string[];
  edgeLogs?: string[];
  gcpLbLogs?: string[];
  events?: string[];
  proxyLogs: string[];
  config?: string;
  now?: string;
  draft: boolean;
  draftTone: DraftTone;
  proxyLogUtcOffset?: string;
  /** --chart <file.png|file.svg> */
  chart?: string;
  ascii?: boolean;
}

/** `why502 <index> <time> [<zone>] [options]`: parse → gather → judge → render. */
export async function runInvestigate(
  input: { positionals: string[]; options: InvestigateOptions },
  io: CliIo,
): Promise<number> {
  const { options } = input;
  const chart = checkChartTarget(options.chart, io); // bad input before any reading
  const loaded = loadConfigFile(options.config, io.cwd ?? process.cwd());
  const config = loaded?.config ?? defaultConfig();
  const now = options.now ? parseNow(options.now) : systemClock.now();
  const command = parseInvestigation(
    { positionals: input.positionals, ...(options.window ? { window: options.window } : {}), noDraft: !options.draft },
    commandDefaults(config, now),
  );
  if (options.proxyLogUtcOffset !== undefined) parseUtcOffsetMinutes(options.proxyLogUtcOffset); // bad input before any reading
  const progress = progressWriter(io);
  const runner = createInvestigationRunner({
    ...(options.proxyLogUtcOffset !== undefined ? { proxyLogUtcOffset: options.proxyLogUtcOffset } : {}),
    config,
    env: io.env,
    clock: clockFrom(now),
    sourceFlags: {
      ...(options.source ? { source: options.source } : {}),
      albLogs: options.albLogs,
      proxyLogs: options.proxyLogs,
      edgeLogs: options.edgeLogs ?? [],
      gcpLbLogs: options.gcpLbLogs ?? [],
      events: options.events ?? [],
    },
    warn: (message) => io.stderr.write(`${message}\n`),
    ...(progress ? { progress } : {}),
  });
  const { report, formatter } = await runner.run(command, { draftTone: options.draftTone });
  if (progress) clearProgress(io);
  return deliverReport(report, formatter, { format: options.format, chart, ascii: options.ascii }, io);
}

/**
 * `--now` must be a complete ISO 8601 instant, so a run is reproducible anywhere. Date parsing
 * rolls impossible fields over (2026-02-30 becomes 2 March), so the typed fields must read back.
 */
export function parseNow(text: string): Date {
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
  const match = iso.exec(text);
  const instant = new Date(text);
  const typed = JSON.stringify(text);
  if (!match || Number.isNaN(instant.getTime()))
    throw new UsageError(`--now ${typed} is not an ISO 8601 instant.`, NOW_HINT);
  const [year = NaN, month = NaN, day = NaN, hours = NaN, minutes = NaN, seconds = 0] = match
    .slice(1, 7)
    .map((field) => (field === undefined ? 0 : Number(field)));
  if (year < EARLIEST_YEAR) {
    throw new UsageError(
      `--now ${typed}: the year ${match[1]} is out of range; it must be ${EARLIEST_YEAR} or later.`,
      NOW_HINT,
    );
  }
  const fields = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  const readBack = [
    fields.getUTCFullYear(),
    fields.getUTCMonth() + 1,
    fields.getUTCDate(),
    fields.getUTCHours(),
    fields.getUTCMinutes(),
    fields.getUTCSeconds(),
  ];
  if (readBack.join() !== [year, month, day, hours, minutes, seconds].join()) {
    throw new UsageError(`--now ${typed} is not a date and time in the calendar.`, NOW_HINT);
  }
  return instant;
}

const NOW_HINT = 'Use e.g. --now 2026-06-19T00:00:00Z.';
