import { formatCount } from '../src/core/format-number.js';
import { plural } from '../src/verdict/judge-context.js';
import { UsageError } from '../src/errors.js';
import { loadConfigFile } from '../src/config.js';
import { parseUtcOffsetMinutes } from '../src/core/utc-offset.js';
import { listLogFiles } from '../src/files/list-log-files.js';
import { MalformedLineReporter } from '../src/files/malformed-reporter.js';
import { scanInParallel } from '../src/scan/parallel-scan.js';
import { type PieceResult, type ScanPiece, planPieces } from '../src/scan/scan-piece.js';
import { AlbScanTally, type AlbScanJson, ProxyScanTally, type ProxyScanJson, type ScanJson } from '../src/scan/scan-tally.js';
import { EXIT, type CliIo } from '../src/cli/cli-io.js';
import { progressWriter } from './output.js';

export interface ScanOptions {
  albLogs: string[];
  proxyLogs: string[];
  format: 'text' | 'json';
  proxyLogUtcOffset?: string;
  config?: string;
  threads?: string;
}

/** `why502 scan`: what is in these files (CONTRACT §6). Malformed lines are counted, never fatal. */
export async function runScan(options: ScanOptions, io: CliIo): Promise<number> {
  // Without paths on the command line, the config's files: lists (and its proxy log zone) apply.
  const config = loadConfigFile(options.config, io.cwd ?? process.cwd())?.config;
  const given = options.albLogs.length + options.proxyLogs.length > 0;
  const albLogs = given ? options.albLogs : (config?.files?.albLogs ?? []);
  const proxyLogs = given ? options.proxyLogs : (config?.files?.proxyLogs ?? []);
  if (albLogs.length + proxyLogs.length === 0)
    throw new UsageError('scan needs log files.', 'Pass --alb-logs <path> and/or --proxy-logs <path> (or list them under files: in why502.yml), e.g. npx why502 scan --alb-logs ./logs/alb');
  const utcOffsetMinutes = parseUtcOffsetMinutes(options.proxyLogUtcOffset ?? config?.files?.proxyLogUtcOffset ?? '+00:00');
  const albFiles = await listLogFiles(albLogs);
  const proxyFiles = await listLogFiles(proxyLogs);
  const pieces = await planPieces([
    ...albFiles.map((file) => ({ file, format: 'alb' as const })),
    ...proxyFiles.map((file) => ({ file, format: 'proxy' as const })),
  ]);
  const progress = progressWriter(io);
  const results = await scanInParallel(pieces, {
    utcOffsetMinutes,
    ...(options.threads ? { workers: parseThreads(options.threads) - 1 } : {}),
    ...(progress ? { onProgress: (done: number, total: number) => progress(`scanned ${done}/${total} pieces`) } : {}),
  });
  if (progress) io.stderr.write('\u001b[2K\r');
  reportMalformed(pieces, results, io);
  const alb = albLogs.length > 0 ? new AlbScanTally() : null;
  const proxy = proxyLogs.length > 0 ? new ProxyScanTally() : null;
  for (const [i, piece] of pieces.entries()) {
    const tally = results[i]!.tally;
    if (piece.format === 'alb') alb!.merge(tally as AlbScanJson);
    else proxy!.merge(tally as ProxyScanJson);
  }
  const unreadable = (format: 'alb' | 'proxy') => pieces.flatMap((piece, i) => (piece.format === format && results[i]!.error ? [results[i]!.error!] : []));
  const withUnreadable = <T extends object>(part: T | null, format: 'alb' | 'proxy') =>
    part && unreadable(format).length > 0 ? { ...part, unreadable: unreadable(format) } : part;
  const result: ScanJson = { alb: withUnreadable(alb?.toJson() ?? null, 'alb'), proxy: withUnreadable(proxy?.toJson() ?? null, 'proxy') };
  // Every line malformed usually means the two flags were swapped.
  if (result.alb && result.alb.lines > 0 && result.alb.malformed === result.alb.lines) io.stderr.write('why502: none of the --alb-logs lines is an ALB access-log line: are these proxy logs? Give them with --proxy-logs.\n');
  if (result.proxy && result.proxy.lines > 0 && result.proxy.malformed === result.proxy.lines) io.stderr.write('why502: none of the --proxy-logs lines is an HAProxy log line: are these ALB access logs? Give them with --alb-logs.\n');
  io.stdout.write(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderScanText(result, albFiles.length, proxyFiles.length));
  return EXIT.ok;
}

/** The first malformed lines overall, as file:line (line numbers counted across a file's pieces). */
function reportMalformed(pieces: ScanPiece[], results: PieceResult[], io: CliIo): void {
  const reporter = new MalformedLineReporter((message) => io.stderr.write(`${message}\n`));
  const linesBefore = new Map<string, number>();
  for (const [i, piece] of pieces.entries()) {
    const result = results[i]!;
    const offset = linesBefore.get(piece.file) ?? 0;
    for (const { lineNumber, reason } of result.malformed) reporter.report(piece.file, offset + lineNumber, reason);
    reporter.count += result.tally.malformed - result.malformed.length;
    linesBefore.set(piece.file, offset + result.lineCount);
    if (result.error) io.stderr.write(`why502: ${result.error} Its lines up to the damage are counted; the scan goes on.\n`);
  }
  reporter.finish();
}

function parseThreads(text: string): number {
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UsageError(`--threads ${JSON.stringify(text)} is not a thread count.`, 'Use a whole number from 1 to 64, e.g. --threads 2.');
  return threads;
}


function renderScanText(result: ScanJson, albFiles: number, proxyFiles: number): string {
  const lines: string[] = [];
  const counts = (title: string, tally: Record<string, number>) => {
    const entries = Object.entries(tally).sort((a, b) => b[1] - a[1]);
    if (entries.length > 0) lines.push(`  ${title}: ${entries.map(([key, n]) => `${key} ${formatCount(n)}`).join(' · ')}`);
  };
  if (result.alb) {
    const a = result.alb;
    lines.push(`ALB logs: ${plural(albFiles, 'file')}, ${plural(a.lines, 'line')}, ${formatCount(a.malformed)} malformed`);
    lines.push(`  time range: ${a.first ?? '—'} … ${a.last ?? '—'}`);
    counts('by ELB status', a.byElbStatus);
    counts('by target status', a.byTargetStatus);
    counts('by type', a.byType);
    counts('by format', a.byKind);
  }
  if (result.proxy) {
    const p = result.proxy;
    lines.push(`Proxy logs: ${plural(proxyFiles, 'file')}, ${plural(p.lines, 'line')}, ${formatCount(p.malformed)} malformed`);
    lines.push(`  time range: ${p.first ?? '—'} … ${p.last ?? '—'}`);
    counts('by status', p.byStatus);
    counts('by termination state', p.byTermination);
    counts('by kind', p.byKind);
    counts('by upstream status', p.byUpstreamStatus);
  }
  return `${lines.join('\n')}\n`;
}
