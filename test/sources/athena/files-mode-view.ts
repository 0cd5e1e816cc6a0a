/**
 * Files mode's answer for the ALB access-log view, for the equivalence tests: every line of the
 * files through the real parser (parseLbLine) into a new AlbTally, as readAlbFiles does, and the
 * pure sample collector beside it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AccessLogSample } from '../../../src/core/report.js';
import type { TimeWindow } from '../../../src/core/types.js';
import { AccessLogSampleCollector } from '../../../src/evidence/access-log-samples.js';
import type { AlbCounts } from '../../../src/evidence/alb-counts.js';
import { AlbTally } from '../../../src/evidence/alb-tally.js';
import { createIndexMatcher, type IndexSelector } from '../../../src/evidence/index-matcher.js';
import { parseLbLine } from '../../../src/parsers/alb-line.js';

export interface FilesModeView {
  counts: AlbCounts;
  samples: AccessLogSample[];
  /** Lines the parser called malformed. */
  malformed: number;
}

export function filesModeView(
  roots: readonly string[],
  input: { window: TimeWindow; askedAt: Date; selector: IndexSelector; slowRequestSeconds: number },
): FilesModeView {
  const matcher = createIndexMatcher(input.selector);
  const tally = new AlbTally(input.window, matcher, input.slowRequestSeconds);
  const collector = new AccessLogSampleCollector(input.window, input.askedAt, matcher);
  const startMs = input.window.start.getTime();
  let malformed = 0;
  for (const file of roots.flatMap(logFilesUnder)) {
    for (const line of linesOf(file)) {
      const entry = parseLbLine(line);
      if (entry.kind === 'malformed') malformed++;
      if (entry.kind !== 'alb') continue;
      const offset = entry.timeMs - startMs;
      if (offset < 0 || offset >= tally.minutes * 60_000) continue;
      tally.add(entry);
      collector.offer(entry, line);
    }
  }
  return { counts: tally.counts, samples: collector.samples(), malformed };
}

function logFilesUnder(root: string): string[] {
  if (statSync(root).isFile()) return [root];
  return readdirSync(root, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) =>
      entry.isDirectory()
        ? logFilesUnder(path.join(root, entry.name))
        : /\.log(\.gz)?$/.test(entry.name)
          ? [path.join(root, entry.name)]
          : [],
    );
}

function linesOf(file: string): string[] {
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '');
}
