/** Pure: a pattern window's evidence as the report carries it, with its note in the asked zone. */
import type { PatternsJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import { describePatterns } from './describe-patterns.js';
import type { PatternsEvidence } from './judge-patterns.js';

export function patternsJson(evidence: PatternsEvidence, fmt: TimeFormatter): PatternsJson {
  return {
    window: { start: evidence.window.start.toISOString(), end: evidence.window.end.toISOString() },
    bucketMinutes: evidence.bucketMinutes,
    judged: evidence.judged,
    daily: evidence.patterns.map(({ hourUtc, days, daysMeasured, what, evidence: shownBy }) => ({
      hourUtc,
      days,
      daysMeasured,
      what,
      evidence: shownBy,
    })),
    series: evidence.series.map(({ signal, provider, source, status, reason, counts }) => ({
      signal,
      provider,
      source,
      status,
      ...(reason ? { reason } : {}),
      counts,
    })),
    lines: describePatterns(evidence, fmt),
    sources: evidence.sources,
  };
}
