/**
 * The customer draft as the second message of the thread, with its two actions: post (or
 * update) the summary of the channel's verdicts in the incident channel, and redraft in another
 * tone. Pure.
 */
import { type CustomerDraft, DRAFT_TONES, type DraftTone } from '../../core/types.js';
import { OUR_ACTION_NOTE, OUR_ACTION_PLACEHOLDER } from '../../draft/template-draft.js';
import { mentionChannel, mentionUser } from '../../slack/slack-ids.js';
import { describeDraftOrigin } from '../report-sections.js';
import {
  type ActionsBlock,
  BLOCK_LIMITS,
  type Button,
  button,
  context,
  escapeMrkdwn,
  fitBlocks,
  mrkdwnSection,
  type PrioritisedBlock,
  paragraphSections,
  type StaticSelect,
  truncateText,
} from './block-kit.js';
import { type DraftRef, encodeDraftRef } from './draft-ref.js';
import type { SlackMessage } from './slack-message.js';

export const ACTION_POST_SUMMARY = 'why502_post_summary';
export const ACTION_REDRAFT = 'why502_redraft';
export const DRAFT_ACTIONS_BLOCK = 'why502_draft_actions';

/**
 * The tones a person can pick, in menu order; "neutral" is the first draft's tone, so a
 * redraft can always go back to it. `done` words the note under a redraft.
 */
const TONE_WORDS: Record<DraftTone, { label: string; done: string }> = {
  neutral: { label: 'Neutral (first draft)', done: 'back to the neutral first draft' },
  shorter: { label: 'Shorter', done: 'shorter' },
  technical: { label: 'More technical', done: 'more technical' },
  warmer: { label: 'Warmer', done: 'warmer' },
};
export const REDRAFT_TONES: ReadonlyArray<{ tone: DraftTone; label: string; done: string }> = DRAFT_TONES.map(
  (tone) => ({ tone, ...TONE_WORDS[tone] }),
);

export interface DraftMessageContext {
  /** Set when this draft replaced an earlier one. */
  redraft?: { tone: DraftTone; by?: string };
  /** slack.incidentChannel, named in the confirmation step of "Post summary". */
  incidentChannel?: string;
  /**
   * Why the report has no draft when that was the engine's decision (whyNoDraft: an
   * inconclusive answer with nothing measured), said instead of the --no-draft text.
   */
  noDraftNote?: string;
}

/**
 * The draft message in the layouts to try, richest first: blocks with the actions, then the
 * text alone (no buttons), so a draft Slack refuses as blocks still reaches the thread.
 */
export function renderDraftLayouts(
  draft: CustomerDraft | undefined,
  ref: DraftRef,
  extra: DraftMessageContext = {},
): SlackMessage[] {
  const rich = renderDraftMessage(draft, ref, extra);
  return [rich, { text: rich.text, blocks: [] }];
}

export function renderDraftMessage(
  draft: CustomerDraft | undefined,
  ref: DraftRef,
  extra: DraftMessageContext = {},
): SlackMessage {
  const noDraft = extra.noDraftNote ? `:information_source: ${escapeMrkdwn(extra.noDraftNote)}` : NO_DRAFT_TEXT;
  const placeholder = draft?.text.includes(OUR_ACTION_PLACEHOLDER)
    ? `:pencil2: ${escapeMrkdwn(OUR_ACTION_NOTE)}`
    : null;
  const blocks: PrioritisedBlock[] = [
    { block: mrkdwnSection(draftTitle(draft)) },
    // Past the first section the draft may be cut to fit, so the buttons below always stay.
    ...(draft ? paragraphSections(escapeMrkdwn(draft.text)) : [mrkdwnSection(noDraft)]).map((block, i) => ({
      block,
      optional: i > 0,
    })),
    // The SRE must see this before sending: it is kept whatever else is cut.
    ...(placeholder ? [{ block: context(placeholder) }] : []),
    ...noteBlocks(draft, extra),
    { block: draftActions(ref, extra.incidentChannel) },
  ];
  const fallback = draft
    ? [
        `Customer draft (${describeDraftOrigin(draft)}):`,
        escapeMrkdwn(draft.text),
        ...(placeholder ? ['', placeholder] : []),
      ].join('\n')
    : noDraft;
  return {
    text: truncateText(fallback, BLOCK_LIMITS.fallbackText),
    blocks: fitBlocks(blocks, 'The draft was cut to fit Slack’s message limits.'),
  };
}

const NO_DRAFT_TEXT =
  'No customer draft: the command asked for `--no-draft`. Pick a tone under *Redraft* to write one.';

/**
 * The draft's own note, without OUR_ACTION_NOTE: when the draft leaves "[What we're doing: …]"
 * for the SRE, the message says that in a block of its own that is never cut.
 */
function otherNote(draft: CustomerDraft): string | undefined {
  const note = draft.note
    ?.replace(OUR_ACTION_NOTE, '')
    .replace(/[.\s]+$/, '')
    .trim();
  return note ? note : undefined;
}

function draftTitle(draft: CustomerDraft | undefined): string {
  return draft ? `:memo: *Customer draft* — _${escapeMrkdwn(describeDraftOrigin(draft))}_` : ':memo: *Customer draft*';
}

function noteBlocks(draft: CustomerDraft | undefined, extra: DraftMessageContext): PrioritisedBlock[] {
  const notes: string[] = [];
  const note = draft ? otherNote(draft) : undefined;
  if (note) notes.push(escapeMrkdwn(note));
  if (extra.redraft) {
    const tone = REDRAFT_TONES.find((t) => t.tone === extra.redraft!.tone)?.done ?? extra.redraft.tone;
    notes.push(`Redrafted (${escapeMrkdwn(tone)})${extra.redraft.by ? ` by ${mentionUser(extra.redraft.by)}` : ''}.`);
  }
  notes.push('Written from the evidence above; read it before sending.');
  return [{ block: context(...notes), optional: true }];
}

function draftActions(ref: DraftRef, incidentChannel: string | undefined): ActionsBlock {
  const redraft: StaticSelect = {
    type: 'static_select',
    action_id: ACTION_REDRAFT,
    placeholder: { type: 'plain_text', text: 'Redraft…' },
    options: REDRAFT_TONES.map(({ tone, label }) => ({ text: { type: 'plain_text', text: label }, value: tone })),
  };
  return {
    type: 'actions',
    block_id: DRAFT_ACTIONS_BLOCK,
    elements: [
      {
        ...button({
          actionId: ACTION_POST_SUMMARY,
          text: 'Post summary to incident channel',
          value: encodeDraftRef(ref),
          style: 'primary',
        }),
        confirm: postSummaryConfirmation(incidentChannel),
      },
      redraft,
    ],
  };
}

/** Posting to another channel is seen by many people: Slack asks the clicker to confirm first. */
function postSummaryConfirmation(incidentChannel: string | undefined): NonNullable<Button['confirm']> {
  const where = incidentChannel ? mentionChannel(incidentChannel) : 'the incident channel';
  return {
    title: { type: 'plain_text', text: 'Post to the incident channel?' },
    text: {
      type: 'mrkdwn',
      text: `why502 will post the summary of this channel’s why502 verdicts, with a link to each thread, in ${where}, or update the one it posted there before.`,
    },
    confirm: { type: 'plain_text', text: 'Post summary' },
    deny: { type: 'plain_text', text: 'Cancel' },
  };
}
