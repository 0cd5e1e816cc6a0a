/**
 * The incident channel's one summary message (`/why502 summary`, CONTRACT §10), built from the
 * channel's why502 verdicts: what was asked and when, what each verdict said with the numbers that
 * decided it, causes when known, open questions, and a link to each thread. Pure: the records of
 * readVerdictRecords in, a SlackMessage out (blocks, a `text` fallback that says the same, and
 * `why502_summary` metadata so the Slack side can find the summary again and chat.update it in
 * place instead of posting another).
 *
 * As incident.io does with its channel messages: one message, updated rather than re-posted, short
 * enough to take little of the channel; the detail stays in each verdict's thread.
 */
import type { ResolvedZone } from '../core/types.js';
import { createTimeFormatter } from '../grammar/time-formatter.js';
import { describeAskedInstant } from '../render/report-sections.js';
import {
  BLOCK_LIMITS,
  bulletSections,
  context,
  escapeMrkdwn,
  fitBlocks,
  header,
  mrkdwnSection,
  type PrioritisedBlock,
  truncateText,
} from '../render/slack/block-kit.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import { buildSummaryLines, type Line, type SummaryLines } from './summary-lines.js';
import type { HistoryMessage, ReadVerdicts } from './verdict-record.js';

export const SUMMARY_EVENT_TYPE = 'why502_summary';

export interface SummaryOptions {
  /** When the summary is built, shown as "updated …": passed in, never read from a clock. */
  builtAt: Date;
  /** Times are shown in this zone (the config's timezone, else UTC) unless a verdict carries its own. */
  zone: ResolvedZone;
  /** Where the verdicts were asked, as plain text, when the summary is posted elsewhere ("#oncall"); default "this channel". */
  where?: string;
  /** How the message is refreshed; default "/why502 summary updates this message". */
  refreshHint?: string;
}

/** The most verdict lines one message lists; earlier ones are counted, and stay in their threads. */
export const MAX_LISTED_VERDICTS = 25;
/** Characters of verdict lines one message lists: what the message budget leaves after the rest. */
export const VERDICT_LINES_BUDGET = 4_500;

const truncationNote = (where: string) =>
  `Some verdicts were left out to fit one Slack message; each is in its own thread in ${escapeMrkdwn(where)}.`;

export function buildIncidentSummary(read: ReadVerdicts, options: SummaryOptions): SlackMessage {
  const { records, unreadable } = read;
  const lines = buildSummaryLines(records, options.zone);
  const listed = latestWithin(lines.verdicts, VERDICT_LINES_BUDGET);
  const earlier = lines.verdicts.length - listed.length;
  const where = options.where ?? 'this channel';
  const footer = footerText(records.length, unreadable, options);
  const blocks: PrioritisedBlock[] = [
    { block: header(`why502 summary · ${records.length} verdict${records.length === 1 ? '' : 's'}`) },
    {
      block: mrkdwnSection(
        records.length === 0
          ? `No why502 verdicts in ${escapeMrkdwn(where)} yet: ask with \`/why502 <index> <time>\`.`
          : lines.glance.mrkdwn,
      ),
    },
    ...verdictBlocks(
      listed.map((v) => v.line),
      earlier,
      where,
    ),
    ...openQuestionBlocks(lines),
    { block: context(escapeMrkdwn(footer)) },
  ];
  return {
    text: fallbackText(
      lines,
      listed.map((v) => v.line),
      earlier,
      footer,
    ),
    blocks: fitBlocks(blocks, truncationNote(where)),
    metadata: {
      event_type: SUMMARY_EVENT_TYPE,
      event_payload: {
        verdicts: records.length,
        latest_verdict_ts:
          records
            .map((r) => r.ts)
            .sort((a, b) => Number(a) - Number(b))
            .at(-1) ?? '',
        built_at: options.builtAt.toISOString(),
      },
    },
  };
}

/** The latest entries whose lines fit the budget (and MAX_LISTED_VERDICTS), in their order. */
export function latestWithin<T extends { line: Line }>(entries: readonly T[], budgetChars: number): T[] {
  let used = 0;
  let first = entries.length;
  while (
    first > 0 &&
    entries.length - first < MAX_LISTED_VERDICTS &&
    used + entries[first - 1]!.line.mrkdwn.length + 3 <= budgetChars
  ) {
    first--;
    used += entries[first]!.line.mrkdwn.length + 3;
  }
  return entries.slice(first);
}

/**
 * The ts of the summary to update in place (chat.update) rather than post again: the latest
 * message in the history carrying why502_summary metadata, or null when there is none yet.
 */
export function existingSummaryTs(messages: readonly HistoryMessage[]): string | null {
  const summaries = messages.filter(
    (m) => m?.metadata?.event_type === SUMMARY_EVENT_TYPE && typeof m.ts === 'string' && /^\d+\.\d+$/.test(m.ts),
  );
  return summaries.map((m) => m.ts!).sort((a, b) => Number(b) - Number(a))[0] ?? null;
}

function verdictBlocks(lines: readonly Line[], earlier: number, where: string): PrioritisedBlock[] {
  if (lines.length === 0) return [];
  const items = lines.map((line) => line.mrkdwn);
  if (earlier > 0)
    items.unshift(
      `${earlier} earlier verdict${earlier === 1 ? '' : 's'}, not listed: see their threads in ${escapeMrkdwn(where)}.`,
    );
  // The latest verdicts come last: when the message must shrink, the oldest chunk goes first.
  return bulletSections('*Verdicts*, by asked time', items).map((block, i, all) => ({
    block,
    optional: i < all.length - 1,
  }));
}

function openQuestionBlocks(lines: SummaryLines): PrioritisedBlock[] {
  if (lines.verdicts.length === 0) return [];
  if (lines.openQuestions.length === 0)
    return [{ block: mrkdwnSection('*Open questions*\nNone from the verdicts so far.') }];
  return bulletSections(
    '*Open questions*',
    lines.openQuestions.map((q) => q.mrkdwn),
  ).map((block) => ({ block }));
}

function footerText(count: number, unreadable: number, options: SummaryOptions): string {
  const updated = describeAskedInstant(
    options.builtAt,
    createTimeFormatter(options.zone, { referenceInstant: options.builtAt }),
  );
  const skipped =
    unreadable > 0 ? ` · ${unreadable} verdict message${unreadable === 1 ? '' : 's'} could not be read` : '';
  const where = options.where ?? 'this channel';
  const refresh = options.refreshHint ?? '/why502 summary updates this message';
  return `Built from ${count} why502 verdict${count === 1 ? '' : 's'} in ${where} · updated ${updated}${skipped} · ${refresh}`;
}

function fallbackText(lines: SummaryLines, listed: readonly Line[], earlier: number, footer: string): string {
  const text = [
    `why502 summary · ${lines.glance.plain}`,
    ...(earlier > 0 ? [`${earlier} earlier verdicts, not listed.`] : []),
    ...listed.map((line) => `• ${line.plain}`),
    ...(lines.openQuestions.length > 0 ? ['Open questions:', ...lines.openQuestions.map((q) => `• ${q.plain}`)] : []),
    footer,
  ].join('\n');
  return truncateText(escapeMrkdwn(text), BLOCK_LIMITS.fallbackText);
}
