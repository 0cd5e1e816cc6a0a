/**
 * The lines a channel summary and a catch-up share, built once from the verdict records: each
 * verdict (asked time, kind, confidence, the headline that carries its numbers, causes when known,
 * the link to its thread), counts by kind, and the open questions. Each line comes as escaped
 * mrkdwn and as plain text, so blocks and the `text` fallback say the same. Pure.
 */
import type { ResolvedZone, VerdictKind } from '../core/types.js';
import { createTimeFormatter } from '../grammar/time-formatter.js';
import { resolveZone } from '../grammar/zones.js';
import { describeAskedInstant } from '../render/report-sections.js';
import { escapeMrkdwn } from '../render/slack/block-kit.js';
import { VERDICT_ICONS } from '../render/slack/verdict-icons.js';
import { VERDICT_LABELS } from '../render/verdict-labels.js';
import { compareTs, findOpenQuestions, type OpenQuestion } from './open-questions.js';
import type { VerdictRecord } from './verdict-record.js';

export interface Line {
  mrkdwn: string;
  plain: string;
}

export interface SummaryLines {
  /** Chronological by asked time, then by when each was posted. */
  verdicts: Array<{ record: VerdictRecord; line: Line }>;
  /** "2 verdicts for 1 index: 1× 429 throttling, 1× LB keep-alive race (flat background)". */
  glance: Line;
  openQuestions: Line[];
}

export function buildSummaryLines(records: readonly VerdictRecord[], defaultZone: ResolvedZone): SummaryLines {
  const sorted = [...records].sort((a, b) => a.at.getTime() - b.at.getTime() || compareTs(a.ts, b.ts));
  const when = (record: VerdictRecord) =>
    describeAskedInstant(record.at, createTimeFormatter(zoneOf(record, defaultZone), { referenceInstant: record.at }));
  const named = (record: VerdictRecord): Line => ({
    mrkdwn: `\`${escapeCode(record.index)}\` at ${escapeMrkdwn(when(record))}`,
    plain: `${record.index} at ${when(record)}`,
  });
  return {
    verdicts: sorted.map((record) => ({ record, line: verdictLine(record, named(record)) })),
    glance: glanceLine(sorted),
    openQuestions: findOpenQuestions(sorted).map((question) => questionLine(question, named)),
  };
}

function verdictLine(record: VerdictRecord, name: Line): Line {
  const label = VERDICT_LABELS[record.kind];
  const headline = record.headline ? ` — ${record.headline}` : '';
  const causes = record.causes.length > 0 ? ` · causes: ${record.causes.join(', ').replace(/_/g, ' ')}` : '';
  const link = record.permalink ? ` · <${record.permalink}|thread>` : '';
  return {
    mrkdwn: `${VERDICT_ICONS[record.kind]} ${name.mrkdwn} · *${escapeMrkdwn(label)}* (${record.confidence})${escapeMrkdwn(headline)}${escapeMrkdwn(causes)}${link}`,
    plain: `${name.plain} · ${label} (${record.confidence})${headline}${causes}${record.permalink ? ` · ${record.permalink}` : ''}`,
  };
}

function glanceLine(records: readonly VerdictRecord[]): Line {
  const indexes = new Set(records.map((r) => r.index)).size;
  const byKind = new Map<VerdictKind, number>();
  for (const record of records) byKind.set(record.kind, (byKind.get(record.kind) ?? 0) + 1);
  const kinds = [...byKind.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${n}× ${VERDICT_LABELS[kind]}`)
    .join(', ');
  const text = `${records.length} verdict${records.length === 1 ? '' : 's'} for ${indexes} index${indexes === 1 ? '' : 'es'}${kinds ? `: ${kinds}` : ''}`;
  return { mrkdwn: escapeMrkdwn(text), plain: text };
}

function questionLine(question: OpenQuestion, named: (record: VerdictRecord) => Line): Line {
  let mrkdwn = '';
  let plain = '';
  for (const part of question.parts) {
    if (typeof part === 'string') {
      mrkdwn += escapeMrkdwn(part);
      plain += part;
      continue;
    }
    const name = named(part.verdict);
    mrkdwn += part.verdict.permalink ? `${name.mrkdwn} (<${part.verdict.permalink}|thread>)` : name.mrkdwn;
    plain += name.plain;
  }
  return { mrkdwn, plain };
}

function zoneOf(record: VerdictRecord, fallback: ResolvedZone): ResolvedZone {
  if (!record.zone) return fallback;
  try {
    return resolveZone(record.zone);
  } catch {
    return fallback;
  }
}

function escapeCode(text: string): string {
  return escapeMrkdwn(text).replace(/`/g, "'");
}
