import type { ReportJson } from '../src/core/report.js';
import type { TimeFormatter } from '../src/core/types.js';
import { renderJson } from '../src/render/render-json.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import { renderText } from '../src/render/render-text.js';
import type { CliIo } from '../src/cli/cli-io.js';

export type ReportFormat = 'text' | 'json' | 'markdown';

/** Writes the report to stdout in the asked format: exactly one document for json. */
export function writeReport(report: ReportJson, formatter: TimeFormatter, format: ReportFormat, io: CliIo): void {
  if (format === 'json') io.stdout.write(renderJson(report));
  else if (format === 'markdown') io.stdout.write(`${renderMarkdown(report, formatter).trimEnd()}\n`);
  else io.stdout.write(`${renderText(report, formatter).join('\n')}\n`);
}

/** Progress goes to stderr only when a person is watching it. */
export function progressWriter(io: CliIo): ((message: string) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (message) => io.stderr.write(`\u001b[2K\r${message.slice(0, 120)}`);
}
