/**
 * Files in which not one line (or entry) is of a format their flag reads. Each gets ONE message
 * naming the formats known, instead of a malformed-line warning per line.
 */

import { formatCount } from '../core/format-number.js';
import { printableText } from '../files/printable-text.js';
import { KNOWN_EDGE_FORMATS } from '../parsers/edge-record.js';
import { KNOWN_GCP_LB_FORMAT } from '../parsers/gcp-lb-record.js';
import { KNOWN_PROXY_FORMATS } from '../parsers/proxy-record.js';
import type { LogFormat, PieceResult, ScanPiece } from './scan-piece.js';

export interface UnknownFormatFile {
  file: string;
  format: LogFormat;
  /** Lines (entries for GCP logs) read, every one malformed. */
  entries: number;
  /** The first of them and why it was refused, to show what the file holds. */
  first: { lineNumber: number; reason: string } | null;
}

/** Files whose every counted line is malformed, summed over the file's pieces. */
export function filesOfNoKnownFormat(
  pieces: readonly ScanPiece[],
  results: readonly PieceResult[],
): UnknownFormatFile[] {
  const byFile = new Map<string, UnknownFormatFile & { malformed: number; linesBefore: number }>();
  for (const [i, piece] of pieces.entries()) {
    const result = results[i]!;
    const seen = byFile.get(piece.file) ?? {
      file: piece.file,
      format: piece.format,
      entries: 0,
      first: null,
      malformed: 0,
      linesBefore: 0,
    };
    const first = result.malformed[0];
    if (seen.first === null && first !== undefined)
      seen.first = { lineNumber: seen.linesBefore + first.lineNumber, reason: first.reason };
    seen.entries += result.entries;
    seen.malformed += result.tally.malformed;
    seen.linesBefore += result.lineCount;
    byFile.set(piece.file, seen);
  }
  return [...byFile.values()]
    .filter((file) => file.entries > 0 && file.malformed === file.entries)
    .map(({ file, format, entries, first }) => ({ file, format, entries, first }));
}

const WHAT_EACH_FLAG_READS: Record<LogFormat, { flag: string; formats: string; hint: string }> = {
  alb: {
    flag: '--alb-logs',
    formats: 'ALB, Classic ELB or NLB access logs',
    hint: 'Proxy logs go with --proxy-logs, CloudFront or Cloudflare logs with --edge-logs.',
  },
  proxy: {
    flag: '--proxy-logs',
    formats: KNOWN_PROXY_FORMATS,
    hint: 'ALB access logs go with --alb-logs, CloudFront or Cloudflare logs with --edge-logs, Google Cloud load balancer logs with --gcp-lb-logs.',
  },
  edge: {
    flag: '--edge-logs',
    formats: KNOWN_EDGE_FORMATS,
    hint: 'ALB access logs go with --alb-logs, proxy logs with --proxy-logs.',
  },
  'gcp-lb': {
    flag: '--gcp-lb-logs',
    formats: KNOWN_GCP_LB_FORMAT,
    hint: 'Proxy logs (e.g. ingress-nginx on GKE) go with --proxy-logs.',
  },
};

/** One line for the terminal: the file, what was expected, and where its lines may belong. */
export function describeUnknownFormatFile({ file, format, entries, first }: UnknownFormatFile): string {
  const { flag, formats, hint } = WHAT_EACH_FLAG_READS[format];
  const units = format === 'gcp-lb' ? (entries === 1 ? 'entry' : 'entries') : entries === 1 ? 'line' : 'lines';
  const example = first === null ? '' : ` Line ${first.lineNumber}: ${printableText(first.reason)}.`;
  return `why502: ${printableText(file)}: none of its ${formatCount(entries)} ${units} could be read as a format ${flag} reads (${formats}).${example} ${hint}`;
}
