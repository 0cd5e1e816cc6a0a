import { formatCount } from '../src/core/format-number.js';
import { UsageError } from '../src/errors.js';
import { forEachLine } from '../src/files/for-each-line.js';
import { listLogFiles } from '../src/files/list-log-files.js';
import { MalformedLineReporter } from '../src/files/malformed-reporter.js';
import { parseLbLine } from '../src/parsers/alb-line.js';
import { parseProxyLine } from '../src/parsers/proxy-line.js';
import { AlbScanTally, ProxyScanTally, type ScanJson } from '../src/scan/scan-tally.js';
import { EXIT, type CliIo } from '../src/cli/cli-io.js';
import { progressWriter } from './output.js';

export interface ScanOptions {
  albLogs: string[];
  proxyLogs: string[];
  format: 'text' | 'json';
  proxyLogUtcOffset: string;
}

/** `why502 scan`: what is in these files (CONTRACT §6). Malformed lines are counted, never fatal. */
export async function runScan(options: ScanOptions, io: CliIo): Promise<number> {
  if (options.albLogs.length + options.proxyLogs.length === 0)
    throw new UsageError('scan needs log files.', 'Pass --alb-logs <path> and/or --proxy-logs <path>, e.g. npx why502 scan --alb-logs ./logs/alb');
  const utcOffsetMinutes = parseOffset(options.proxyLogUtcOffset);
  const malformed = new MalformedLineReporter((message) => io.stderr.write(`${message}\n`));
  const progress = progressWriter(io);
  const albFiles = await listLogFiles(options.albLogs);
  const proxyFiles = await listLogFiles(options.proxyLogs);
  let alb: AlbScanTally | null = null;
  if (options.albLogs.length > 0) {
    alb = new AlbScanTally();
    for (const file of albFiles) {
      progress?.(`scanning ${file}`);
      const tally = alb;
      await forEachLine(file, (line, lineNumber) => {
        const entry = parseLbLine(line);
        tally.add(entry);
        if (entry.kind === 'malformed') malformed.report(file, lineNumber, entry.reason);
      });
    }
  }
  let proxy: ProxyScanTally | null = null;
  if (options.proxyLogs.length > 0) {
    proxy = new ProxyScanTally();
    const parseOptions = { utcOffsetMinutes };
    for (const file of proxyFiles) {
      progress?.(`scanning ${file}`);
      const tally = proxy;
      await forEachLine(file, (line, lineNumber) => {
        const entry = parseProxyLine(line, parseOptions);
        tally.add(entry);
        if (entry.kind === 'malformed') malformed.report(file, lineNumber, entry.reason);
      });
    }
  }
  malformed.finish();
  if (progress) io.stderr.write('\u001b[2K\r');
  const result: ScanJson = { alb: alb?.toJson() ?? null, proxy: proxy?.toJson() ?? null };
  io.stdout.write(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderScanText(result, albFiles.length, proxyFiles.length));
  return EXIT.ok;
}

function parseOffset(text: string): number {
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) throw new UsageError(`--proxy-log-utc-offset ${JSON.stringify(text)} is not an offset.`, 'Use e.g. +00:00 or +10:00.');
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function renderScanText(result: ScanJson, albFiles: number, proxyFiles: number): string {
  const lines: string[] = [];
  const counts = (title: string, tally: Record<string, number>) => {
    const entries = Object.entries(tally).sort((a, b) => b[1] - a[1]);
    if (entries.length > 0) lines.push(`  ${title}: ${entries.map(([key, n]) => `${key} ${formatCount(n)}`).join(' · ')}`);
  };
  if (result.alb) {
    const a = result.alb;
    lines.push(`ALB logs: ${formatCount(albFiles)} files, ${formatCount(a.lines)} lines, ${formatCount(a.malformed)} malformed`);
    lines.push(`  time range: ${a.first ?? '—'} … ${a.last ?? '—'}`);
    counts('by ELB status', a.byElbStatus);
    counts('by target status', a.byTargetStatus);
    counts('by type', a.byType);
    counts('by format', a.byKind);
  }
  if (result.proxy) {
    const p = result.proxy;
    lines.push(`Proxy logs: ${formatCount(proxyFiles)} files, ${formatCount(p.lines)} lines, ${formatCount(p.malformed)} malformed`);
    lines.push(`  time range: ${p.first ?? '—'} … ${p.last ?? '—'}`);
    counts('by status', p.byStatus);
    counts('by termination state', p.byTermination);
    counts('by kind', p.byKind);
    counts('by upstream status', p.byUpstreamStatus);
  }
  return `${lines.join('\n')}\n`;
}
