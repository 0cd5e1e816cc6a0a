/**
 * `/why502 catchup`: the summary for one person, sent ephemerally (only they see it), as Rootly's
 * incident catch-up does — re-runnable as the incident moves, and leading with what is new to them:
 * the verdicts posted since `since` (the last time they looked, when the caller knows it), then the
 * open questions. Pure: the same records as the summary in, a SlackMessage out (no metadata: an
 * ephemeral message is not kept in the channel's history).
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
  mrkdwnSection,
  type PrioritisedBlock,
  truncateText,
} from '../render/slack/block-kit.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import { mentionUser } from '../slack/slack-ids.js';
import { latestWithin, VERDICT_LINES_BUDGET } from './build-incident-summary.js';
import { compareTs } from './open-questions.js';
import { buildSummaryLines } from './summary-lines.js';
import type { ReadVerdicts } from './verdict-record.js';

export interface CatchUpOptions {
  zone: ResolvedZone;
  /** The person asking (a Slack user id): named, never notified (the message is ephemeral). */
  userId: string;
  /** A Slack ts: verdicts posted after it are "new". Absent: everything is. */
  since?: string;
}

const TRUNCATION_NOTE =
  'Some of this was left out to fit one message: `/why502 summary` posts the full summary to the channel.';

export function buildCatchUp(read: ReadVerdicts, options: CatchUpOptions): SlackMessage {
  const lines = buildSummaryLines(read.records, options.zone);
  const isNew = (ts: string) => options.since === undefined || compareTs(ts, options.since) > 0;
  const allFresh = lines.verdicts.filter((v) => isNew(v.record.ts));
  const fresh = latestWithin(allFresh, VERDICT_LINES_BUDGET);
  const seen = lines.verdicts.length - allFresh.length;
  const unlisted = allFresh.length - fresh.length;
  const sinceText = options.since === undefined ? null : describeSince(options.since, options.zone);
  const freshTitle = sinceText
    ? `*New since ${escapeMrkdwn(sinceText)}*: ${fresh.length}`
    : '*Verdicts*, by asked time';
  const blocks: PrioritisedBlock[] = [
    { block: mrkdwnSection(`*Catch-up for ${mentionUser(options.userId)}* · ${lines.glance.mrkdwn}`) },
    ...(fresh.length > 0
      ? bulletSections(
          freshTitle,
          fresh.map((v) => v.line.mrkdwn),
        ).map((block, i, all) => ({ block, optional: i < all.length - 1 }))
      : [{ block: mrkdwnSection(`${freshTitle}\nNothing new.`) }]),
    ...(unlisted > 0
      ? [
          {
            block: context(
              `${unlisted} more new verdict${unlisted === 1 ? '' : 's'}, earlier: in the channel's summary and their threads.`,
            ),
          },
        ]
      : []),
    ...(seen > 0
      ? [
          {
            block: context(
              `${seen} earlier verdict${seen === 1 ? '' : 's'} you have seen: in the channel's summary and their threads.`,
            ),
            optional: true,
          },
        ]
      : []),
    ...(lines.openQuestions.length > 0
      ? bulletSections(
          '*Open questions*',
          lines.openQuestions.map((q) => q.mrkdwn),
        ).map((block) => ({ block }))
      : []),
    { block: context('Only you can see this. `/why502 catchup` again for the latest.') },
  ];
  const text = [
    `Catch-up: ${lines.glance.plain}`,
    ...(sinceText ? [`New since ${sinceText}: ${fresh.length}`] : []),
    ...fresh.map((v) => `• ${v.line.plain}`),
    ...(lines.openQuestions.length > 0 ? ['Open questions:', ...lines.openQuestions.map((q) => `• ${q.plain}`)] : []),
  ].join('\n');
  return {
    text: truncateText(escapeMrkdwn(text), BLOCK_LIMITS.fallbackText),
    blocks: fitBlocks(blocks, TRUNCATION_NOTE),
  };
}

function describeSince(ts: string, zone: ResolvedZone): string {
  const instant = new Date(Math.floor(Number(ts) * 1000));
  return describeAskedInstant(instant, createTimeFormatter(zone, { referenceInstant: instant }));
}
