/**
 * The channel's one summary message as the Slack edge posts it: buildIncidentSummary's message
 * (src/summary), plus what only the edge knows — which channel the verdicts were asked in when the
 * summary lives in another (the incident channel), that older history was not read, and the
 * Regenerate button. Its `why502_summary` metadata names the source channel, so the summary of
 * #oncall's verdicts in #incidents is found again and updated, not confused with another. Pure.
 */
import { z } from 'zod';
import type { ResolvedZone } from '../../core/types.js';
import { mentionChannel, SLACK_CHANNEL_ID } from '../../slack/slack-ids.js';
import { buildIncidentSummary } from '../../summary/build-incident-summary.js';
import type { ReadVerdicts } from '../../summary/verdict-record.js';
import { BLOCK_LIMITS, button, context, type KnownBlock } from './block-kit.js';
import type { SlackMessage } from './slack-message.js';

export const ACTION_REGENERATE_SUMMARY = 'why502_summary_regenerate';
export const SUMMARY_ACTIONS_BLOCK = 'why502_summary_actions';

export interface ChannelSummaryOptions {
  builtAt: Date;
  zone: ResolvedZone;
  sourceChannel: string;
  targetChannel: string;
  /** The source channel's name ("oncall"), when Slack gave it: named in the footer. */
  sourceName?: string;
  /** Messages of the source channel read, and whether older ones were left unread. */
  history: { messages: number; complete: boolean };
}

/** What the Regenerate button carries: the channel whose verdicts it rebuilds from. */
const RegenerateValueSchema = z.object({ v: z.literal(1), source: z.string().regex(SLACK_CHANNEL_ID) });
export type RegenerateValue = z.infer<typeof RegenerateValueSchema>;

export function renderChannelSummary(read: ReadVerdicts, options: ChannelSummaryOptions): SlackMessage {
  const elsewhere = options.sourceChannel !== options.targetChannel;
  const name =
    options.sourceName && /^[a-z0-9_-]{1,80}$/.test(options.sourceName) ? `#${options.sourceName}` : 'another channel';
  const built = buildIncidentSummary(read, {
    builtAt: options.builtAt,
    zone: options.zone,
    ...(elsewhere ? { where: name, refreshHint: 'Regenerate updates this message' } : {}),
  });
  const extras: KnownBlock[] = [
    ...(elsewhere
      ? [context(`Verdicts asked in ${mentionChannel(options.sourceChannel)}; each links to its thread there.`)]
      : []),
    ...(options.history.complete
      ? []
      : [
          context(
            `Read the latest ${options.history.messages.toLocaleString('en-US')} messages of ${mentionChannel(options.sourceChannel)}; verdicts before them are not counted.`,
          ),
        ]),
  ];
  const actions: KnownBlock = {
    type: 'actions',
    block_id: SUMMARY_ACTIONS_BLOCK,
    elements: [
      button({
        actionId: ACTION_REGENERATE_SUMMARY,
        text: 'Regenerate',
        value: JSON.stringify({ v: 1, source: options.sourceChannel } satisfies RegenerateValue),
      }),
    ],
  };
  // The header and glance lead; the summary's own blocks already fit; extras and the button take the last places.
  const room = BLOCK_LIMITS.blocksPerMessage - extras.length - 1;
  const own = built.blocks.length > room ? [...built.blocks.slice(0, room - 1), built.blocks.at(-1)!] : built.blocks;
  const [lead, ...rest] = own;
  return {
    text: built.text,
    blocks: [...(lead ? [lead] : []), ...extras, ...rest, actions],
    metadata: {
      event_type: built.metadata!.event_type,
      event_payload: { ...built.metadata!.event_payload, source_channel: options.sourceChannel },
    },
  };
}

export function decodeRegenerateValue(value: string | undefined): RegenerateValue | null {
  if (!value) return null;
  try {
    const parsed = RegenerateValueSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
