/** The compact summary the "Post summary to incident channel" button posts, linking back to the thread. Pure. */
import type { TimeFormatter } from '../core/types.js';
import { describeAskedInstant } from '../render/report-sections.js';
import { VERDICT_LABELS } from '../render/verdict-labels.js';
import { context, escapeMrkdwn, mrkdwnSection } from './block-kit.js';
import type { DraftRef } from './draft-ref.js';
import { mentionUser } from './slack-ids.js';
import type { SlackMessage } from './slack-message.js';
import { VERDICT_ICONS } from './verdict-icons.js';

export interface IncidentSummaryInput {
  ref: DraftRef;
  index: string;
  at: Date;
  fmt: TimeFormatter;
  permalink: string;
  sharedBy?: string;
}

export function renderIncidentSummary(input: IncidentSummaryInput): SlackMessage {
  const { ref, fmt } = input;
  const label = VERDICT_LABELS[ref.kind] ?? ref.kind;
  const subject = `\`${escapeMrkdwn(input.index)}\` · ${escapeMrkdwn(describeAskedInstant(input.at, fmt))}`;
  const verdict = `${VERDICT_ICONS[ref.kind] ?? ''} *${escapeMrkdwn(label)}* (confidence ${ref.confidence}) — ${escapeMrkdwn(ref.headline)}`.trim();
  const link = `<${input.permalink}|Open the why502 thread>`;
  const people = [ref.askedBy ? `asked by ${mentionUser(ref.askedBy)}` : '', input.sharedBy ? `shared by ${mentionUser(input.sharedBy)}` : '']
    .filter(Boolean)
    .join(' · ');
  const footer = people ? `${link} · ${people}` : link;
  return {
    text: `why502 · ${subject}\n${verdict}\n${footer}`,
    blocks: [mrkdwnSection(`:mag: *why502* · ${subject}\n${verdict}`), context(footer)],
  };
}
