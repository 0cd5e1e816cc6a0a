import { existsSync } from 'node:fs';
import path from 'node:path';
import { type CliIo, EXIT } from '../src/cli/cli-io.js';
import type { Config } from '../src/config.js';
import { parseUtcOffsetMinutes } from '../src/core/utc-offset.js';
import { UsageError } from '../src/errors.js';
import { listLogFiles } from '../src/files/list-log-files.js';
import { MalformedLineReporter } from '../src/files/malformed-reporter.js';
import { type EdgeScanJson, EdgeScanTally } from '../src/scan/edge-scan-tally.js';
import { type GcpLbScanJson, GcpLbScanTally } from '../src/scan/gcp-lb-scan-tally.js';
import { scanInParallel } from '../src/scan/parallel-scan.js';
import { renderScanText } from '../src/scan/render-scan-text.js';
import { type LogFormat, type PieceResult, planPieces, type ScanPiece } from '../src/scan/scan-piece.js';
import {
  type AlbScanJson,
  AlbScanTally,
  type ProxyScanJson,
  ProxyScanTally,
  type ScanJson,
} from '../src/scan/scan-tally.js';
import { describeUnknownFormatFile, filesOfNoKnownFormat } from '../src/scan/unknown-format-files.js';
import { clearProgress, progressWriter } from './output.js';

export interface ScanOptions {
  albLogs: string[];
  proxyLogs: string[];
  /** CloudFront standard logs or Cloudflare Logpush http_requests (CONTRACT §11). */
  edgeLogs?: string[];
  /** Google Cloud external Application Load Balancer request logs (CONTRACT §11). */
  gcpLbLogs?: string[];
  format: 'text' | 'json';
  proxyLogUtcOffset?: string;
  config?: string;
  threads?: string;
}

/** `why502 scan`: what is in these files (CONTRACT §6, §11). Malformed lines are counted, never fatal. */
export async function runScan(options: ScanOptions, io: CliIo): Promise<number> {
  // Without paths on the command line, the config's files: lists (and its proxy log zone) apply.
  const config = await loadScanConfig(options.config, io.cwd ?? process.cwd());
  const edgeLogs = options.edgeLogs ?? [];
  const gcpLbLogs = options.gcpLbLogs ?? [];
  const given = options.albLogs.length + options.proxyLogs.length + edgeLogs.length + gcpLbLogs.length > 0;
  const albLogs = given ? options.albLogs : (config?.files?.albLogs ?? []);
  const proxyLogs = given ? options.proxyLogs : (config?.files?.proxyLogs ?? []);
  if (albLogs.length + proxyLogs.length + edgeLogs.length + gcpLbLogs.length === 0)
    throw new UsageError(
      'scan needs log files.',
      'Pass --alb-logs, --proxy-logs, --edge-logs or --gcp-lb-logs <path> (or list them under files: in why502.yml), e.g. npx why502 scan --alb-logs ./logs/alb',
    );
  const utcOffsetMinutes = parseUtcOffsetMinutes(
    options.proxyLogUtcOffset ?? config?.files?.proxyLogUtcOffset ?? '+00:00',
  );
  const paths: Record<LogFormat, string[]> = { alb: albLogs, proxy: proxyLogs, edge: edgeLogs, 'gcp-lb': gcpLbLogs };
  const files: Record<LogFormat, string[]> = { alb: [], proxy: [], edge: [], 'gcp-lb': [] };
  for (const format of LOG_FORMATS) files[format] = await listLogFiles(paths[format]);
  const pieces = await planPieces(LOG_FORMATS.flatMap((format) => files[format].map((file) => ({ file, format }))));
  const progress = progressWriter(io);
  const results = await scanInParallel(pieces, {
    utcOffsetMinutes,
    ...(options.threads ? { workers: parseThreads(options.threads) - 1 } : {}),
    ...(progress ? { onProgress: (done: number, total: number) => progress(`scanned ${done}/${total} pieces`) } : {}),
  });
  if (progress) clearProgress(io);
  const unknownFormat = filesOfNoKnownFormat(pieces, results);
  reportMalformed(pieces, results, new Set(unknownFormat.map(({ file }) => file)), io);
  for (const file of unknownFormat) io.stderr.write(`${describeUnknownFormatFile(file)}\n`);
  const result = mergeResults(pieces, results, (format) => paths[format].length > 0);
  io.stdout.write(
    options.format === 'json'
      ? `${JSON.stringify(result, null, 2)}\n`
      : renderScanText(result, {
          alb: files.alb.length,
          proxy: files.proxy.length,
          edge: files.edge.length,
          gcpLb: files['gcp-lb'].length,
        }),
  );
  return EXIT.ok;
}

const LOG_FORMATS: readonly LogFormat[] = ['alb', 'proxy', 'edge', 'gcp-lb'];

/** One part per kind of log given (null when none were), each piece's tally folded in. */
function mergeResults(pieces: ScanPiece[], results: PieceResult[], wasGiven: (format: LogFormat) => boolean): ScanJson {
  const alb = wasGiven('alb') ? new AlbScanTally() : null;
  const proxy = wasGiven('proxy') ? new ProxyScanTally() : null;
  const edge = wasGiven('edge') ? new EdgeScanTally() : null;
  const gcpLb = wasGiven('gcp-lb') ? new GcpLbScanTally() : null;
  for (const [i, piece] of pieces.entries()) {
    const tally = results[i]!.tally;
    if (piece.format === 'alb') alb!.merge(tally as AlbScanJson);
    else if (piece.format === 'proxy') proxy!.merge(tally as ProxyScanJson);
    else if (piece.format === 'edge') edge!.merge(tally as EdgeScanJson);
    else gcpLb!.merge(tally as GcpLbScanJson);
  }
  const unreadable = (format: LogFormat) =>
    pieces.flatMap((piece, i) => (piece.format === format && results[i]!.error ? [results[i]!.error!] : []));
  const withUnreadable = <T extends object>(part: T | null, format: LogFormat) =>
    part && unreadable(format).length > 0 ? { ...part, unreadable: unreadable(format) } : part;
  return {
    alb: withUnreadable(alb?.toJson() ?? null, 'alb'),
    proxy: withUnreadable(proxy?.toJson() ?? null, 'proxy'),
    edge: withUnreadable(edge?.toJson() ?? null, 'edge'),
    gcpLb: withUnreadable(gcpLb?.toJson() ?? null, 'gcp-lb'),
  };
}

/**
 * The first malformed lines overall, as file:line (line numbers counted across a file's pieces).
 * Files of no known format are left to their one message.
 */
function reportMalformed(
  pieces: ScanPiece[],
  results: PieceResult[],
  unknownFormatFiles: ReadonlySet<string>,
  io: CliIo,
): void {
  const reporter = new MalformedLineReporter((message) => io.stderr.write(`${message}\n`));
  const linesBefore = new Map<string, number>();
  for (const [i, piece] of pieces.entries()) {
    const result = results[i]!;
    const offset = linesBefore.get(piece.file) ?? 0;
    linesBefore.set(piece.file, offset + result.lineCount);
    if (result.error)
      io.stderr.write(`why502: ${result.error} Its lines up to the damage are counted; the scan goes on.\n`);
    if (unknownFormatFiles.has(piece.file)) continue;
    for (const { lineNumber, reason } of result.malformed) reporter.report(piece.file, offset + lineNumber, reason);
    const { lines: overlongLines, firstLine } = result.overlong;
    reporter.reportOverlong(piece.file, {
      overlongLines,
      firstOverlongLine: firstLine === null ? null : offset + firstLine,
    });
    reporter.count += result.tally.malformed - result.malformed.length;
  }
  reporter.finish();
}

function parseThreads(text: string): number {
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new UsageError(
      `--threads ${JSON.stringify(text)} is not a thread count.`,
      'Use a whole number from 1 to 64, e.g. --threads 2.',
    );
  return threads;
}

/**
 * The config, when there is one. Its parsers (yaml, zod) take ~80 ms to load, a tenth of a
 * scan of a million lines: a scan without a config file does not pay for them.
 */
async function loadScanConfig(explicitPath: string | undefined, cwd: string): Promise<Config | undefined> {
  if (!explicitPath && !existsSync(path.join(cwd, 'why502.yml'))) return undefined;
  const { loadConfigFile } = await import('../src/config.js');
  return loadConfigFile(explicitPath, cwd)?.config;
}
