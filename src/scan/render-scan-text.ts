/** `why502 scan` as text: one block per kind of log given, counts sorted by size. */
import { formatCount } from '../core/format-number.js';
import type { ScanJson } from './scan-tally.js';

export interface ScannedFileCounts {
  alb: number;
  proxy: number;
  edge: number;
  gcpLb: number;
}

export function renderScanText(result: ScanJson, files: ScannedFileCounts): string {
  const lines: string[] = [];
  const counts = (title: string, tally: Record<string, number>) => {
    const entries = Object.entries(tally).sort((a, b) => b[1] - a[1]);
    if (entries.length > 0)
      lines.push(`  ${title}: ${entries.map(([key, n]) => `${key} ${formatCount(n)}`).join(' · ')}`);
  };
  const perKind = (byKindAndStatus: Record<string, Record<string, number>>) => {
    if (Object.keys(byKindAndStatus).length < 2) return; // one format: "by status" says it all
    for (const [kind, byStatus] of Object.entries(byKindAndStatus)) counts(`${kind} by status`, byStatus);
  };
  const heading = (
    title: string,
    fileCount: number,
    count: number,
    unit: string,
    malformed: number,
    first: string | null,
    last: string | null,
  ) => {
    lines.push(`${title}: ${countOf(fileCount, 'file')}, ${countOf(count, unit)}, ${formatCount(malformed)} malformed`);
    lines.push(`  time range: ${first ?? '—'} … ${last ?? '—'}`);
  };
  if (result.alb) {
    const a = result.alb;
    heading('ALB logs', files.alb, a.lines, 'line', a.malformed, a.first, a.last);
    counts('by ELB status', a.byElbStatus);
    counts('by target status', a.byTargetStatus);
    counts('by type', a.byType);
    counts('by format', a.byKind);
  }
  if (result.proxy) {
    const p = result.proxy;
    heading('Proxy logs', files.proxy, p.lines, 'line', p.malformed, p.first, p.last);
    counts('by status', p.byStatus);
    counts('by termination state', p.byTermination);
    counts('by kind', p.byKind);
    perKind(p.byKindAndStatus);
    counts('by upstream status', p.byUpstreamStatus);
    counts('5xx answered by', p.serverErrorsByAnsweredBy);
    counts('upstream failures', p.byUpstreamFailure);
  }
  if (result.edge) {
    const e = result.edge;
    heading('Edge logs', files.edge, e.lines, 'line', e.malformed, e.first, e.last);
    counts('by status', e.byStatus);
    counts('by format', e.byKind);
    perKind(e.byKindAndStatus);
    counts('5xx answered by', e.serverErrorsByAnsweredBy);
    counts('origin failures', e.byUpstreamFailure);
    counts('by result type', e.byDetail);
    counts('by origin status', e.byOriginStatus);
  }
  if (result.gcpLb) {
    const g = result.gcpLb;
    heading('Google Cloud load balancer logs', files.gcpLb, g.entries, 'entry', g.malformed, g.first, g.last);
    counts('by status', g.byStatus);
    counts('by statusDetails', g.byStatusDetails);
    counts('by backend service', g.byBackendService);
    counts('5xx answered by', g.serverErrorsByAnsweredBy);
    counts('backend failures', g.byUpstreamFailure);
  }
  return `${lines.join('\n')}\n`;
}

function countOf(n: number, unit: string): string {
  const plural = unit === 'entry' ? 'entries' : `${unit}s`;
  return `${formatCount(n)} ${n === 1 ? unit : plural}`;
}
