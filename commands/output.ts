import { accessSync, constants, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CliIo, ERASE_LINE, EXIT } from '../src/cli/cli-io.js';
import type { ReportJson } from '../src/core/report.js';
import type { ReportFormat, TimeFormatter } from '../src/core/types.js';
import { UsageError } from '../src/errors.js';
import { renderJson } from '../src/render/render-json.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import { renderText } from '../src/render/render-text.js';

export type { ReportFormat };

/** Where `--chart` writes, checked before any log is read. */
export interface ChartTarget {
  /** As the user typed it (what the Markdown links to). */
  shown: string;
  /** Absolute. */
  file: string;
  format: 'png' | 'svg';
}

export interface OutputExtras {
  /** Plain ASCII text output (--ascii, or a terminal that cannot show Unicode). */
  ascii?: boolean;
  /** A chart written beside the report, for the Markdown to show. */
  chart?: { path: string; altText: string };
}

/** Writes the report to stdout in the asked format: exactly one document for json. */
export function writeReport(
  report: ReportJson,
  formatter: TimeFormatter,
  format: ReportFormat,
  io: CliIo,
  extras: OutputExtras = {},
): void {
  if (format === 'json') io.stdout.write(renderJson(report));
  else if (format === 'markdown')
    io.stdout.write(`${renderMarkdown(report, formatter, extras.chart ? { chart: extras.chart } : {}).trimEnd()}\n`);
  else {
    const tableWidth = terminalTableWidth(io);
    const lines = renderText(report, formatter, {
      ascii: extras.ascii ?? prefersAscii(io.env),
      ...(tableWidth ? { tableWidth } : {}),
    });
    io.stdout.write(`${lines.join('\n')}\n`);
  }
}

/**
 * Writes the chart when one was asked for, then the report. A chart that cannot be drawn or
 * written costs the chart, not the verdict: the report is still printed, and the exit status is 1.
 */
export async function deliverReport(
  report: ReportJson,
  formatter: TimeFormatter,
  options: { format: ReportFormat; chart?: ChartTarget | undefined; ascii?: boolean | undefined },
  io: CliIo,
): Promise<number> {
  let chart: OutputExtras['chart'];
  let exitCode: number = EXIT.ok;
  if (options.chart) {
    try {
      chart = await writeChartFile(report, formatter, options.chart, io);
    } catch (error) {
      io.stderr.write(
        `why502: could not write the chart to ${options.chart.shown}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      exitCode = EXIT.unexpected;
    }
  }
  writeReport(report, formatter, options.format, io, {
    ...(options.ascii ? { ascii: true } : {}),
    ...(chart ? { chart } : {}),
  });
  return exitCode;
}

/**
 * `--chart <file>`: the format comes from the extension, and the file must be writable. Both
 * are checked up front, so a typo costs nothing: exit 2 before any log is read.
 */
export function checkChartTarget(file: string | undefined, io: Pick<CliIo, 'cwd'>): ChartTarget | undefined {
  if (file === undefined) return undefined;
  const typed = JSON.stringify(file);
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.png' && extension !== '.svg') {
    const what = extension === '' ? 'has no extension' : `ends in ${JSON.stringify(extension)}`;
    throw new UsageError(
      `--chart ${typed} ${what}; the chart is written as PNG or SVG, chosen by the extension.`,
      'Use e.g. --chart incident.png or --chart incident.svg.',
    );
  }
  const absolute = path.resolve(io.cwd ?? process.cwd(), file);
  assertWritable(absolute, typed);
  return { shown: file, file: absolute, format: extension === '.png' ? 'png' : 'svg' };
}

function assertWritable(file: string, typed: string): void {
  const existing = statOrNull(file);
  if (existing?.isDirectory())
    throw new UsageError(`--chart ${typed} is a directory.`, 'Give a file name, e.g. --chart incident.png.');
  const target = existing ? file : path.dirname(file);
  const folder = existing ? null : statOrNull(target);
  if (!existing && !folder)
    throw new UsageError(
      `--chart ${typed}: the folder ${target} does not exist.`,
      'Create it first, or write the chart elsewhere.',
    );
  if (folder && !folder.isDirectory())
    throw new UsageError(`--chart ${typed}: ${target} is a file, not a folder.`, 'Write the chart into a folder.');
  try {
    accessSync(target, constants.W_OK);
  } catch {
    throw new UsageError(
      `--chart ${typed}: ${existing ? 'the file' : `the folder ${target}`} is not writable.`,
      'Write the chart somewhere you can write to.',
    );
  }
}

function statOrNull(file: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

// The chart code pulls in Vega (and resvg for PNG): loaded only when --chart is given.
async function writeChartFile(
  report: ReportJson,
  formatter: TimeFormatter,
  target: ChartTarget,
  io: CliIo,
): Promise<OutputExtras['chart']> {
  const { renderChart } = await import('../src/render/chart/render-chart.js');
  const image = await renderChart(report, formatter, target.format);
  await writeFile(target.file, image.bytes);
  const size = image.width && image.height ? `${image.width}×${image.height} px, ` : '';
  io.stderr.write(`why502: chart written to ${target.shown} (${size}${Math.round(image.bytes.length / 1024)} KB)\n`);
  return { path: target.shown, altText: image.altText };
}

/**
 * Unicode blocks and box drawing need a UTF-8 terminal. The locale says whether there is one:
 * the first of LC_ALL, LC_CTYPE, LANG that is set (POSIX precedence); one that is set without
 * UTF-8 ("C", "en_US.ISO-8859-1") means plain ASCII. With none set we assume UTF-8, as today's
 * terminals and Windows Terminal are.
 */
export function prefersAscii(env: Record<string, string | undefined>): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '');
  return locale !== undefined && !/utf-?8/i.test(locale);
}

/** A terminal wider than 100 columns gives the table's sparklines room; prose stays at 100. */
const MAX_TABLE_WIDTH = 180;

function terminalTableWidth(io: CliIo): number | undefined {
  const columns = (io.stdout as { columns?: unknown }).columns;
  if (!io.stdout.isTTY || typeof columns !== 'number' || columns <= 100) return undefined;
  return Math.min(columns, MAX_TABLE_WIDTH);
}

/**
 * Progress goes to stderr only when a person is watching it. stderr drops control characters,
 * so the line's erase sequence goes through the terminal's raw channel (cli-io.ts).
 */
export function progressWriter(io: CliIo): ((message: string) => void) | undefined {
  const { terminal } = io;
  if (!io.stderr.isTTY || !terminal) return undefined;
  return (message) => {
    terminal.write(ERASE_LINE);
    io.stderr.write(message.slice(0, 120));
  };
}

/** Erases the progress line before the report is written. */
export function clearProgress(io: CliIo): void {
  io.terminal?.write(ERASE_LINE);
}
