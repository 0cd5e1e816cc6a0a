/**
 * What a button on the draft message must remember to act later, possibly in another process
 * (a Lambda worker that never saw the investigation): where the thread is and how to rebuild
 * the command. It travels in the button's `value` (at most 2000 characters); Slack signs the
 * payload that brings it back, so it cannot be forged, but it is still validated.
 */
import { z } from 'zod';
import { VERDICT_KINDS } from '../../core/types.js';
import { SLACK_CHANNEL_ID, SLACK_USER_ID } from '../../slack/slack-ids.js';
import { BLOCK_LIMITS, truncateText } from './block-kit.js';

export const DraftRefSchema = z.object({
  v: z.literal(1),
  /** Channel of the thread. */
  channel: z.string().regex(SLACK_CHANNEL_ID),
  /** `ts` of the parent message: the thread. */
  threadTs: z.string().regex(/^\d+\.\d+$/),
  /** The command text as typed after /why502, and the instant it was read at, so parse() gives the same command. */
  text: z.string().max(1000),
  requestedAt: z.iso.datetime(),
  /** Becomes a mention: only a real user id (a crafted value could otherwise broadcast). */
  askedBy: z.string().regex(SLACK_USER_ID).optional(),
  /** Index and asked minute (ISO 8601 UTC), for the summary even when the command no longer parses. */
  index: z.string().max(128),
  at: z.iso.datetime(),
  kind: z.enum(VERDICT_KINDS),
  confidence: z.enum(['high', 'medium', 'low']),
  headline: z.string().max(600),
});
export type DraftRef = z.infer<typeof DraftRefSchema>;

const HEADLINE_MAX = 400;

export function encodeDraftRef(ref: DraftRef): string {
  const compact: DraftRef = { ...ref, headline: truncateText(ref.headline, HEADLINE_MAX) };
  const encoded = JSON.stringify(compact);
  if (encoded.length <= BLOCK_LIMITS.buttonValue) return encoded;
  // Only an unusually long command text can get here; the headline is the part we can spare.
  return JSON.stringify({ ...compact, headline: truncateText(compact.headline, 80) });
}

/** The ref carried by a button, or null when the value is not one of ours. */
export function decodeDraftRef(value: string | undefined): DraftRef | null {
  if (!value) return null;
  try {
    const parsed = DraftRefSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
