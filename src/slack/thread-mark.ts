/**
 * What a thread without evidence is, for a follow-up asked there: its investigation is still
 * running, or it ended without evidence (it failed, or the evidence could not be kept). Kept in
 * the state store by the investigation (any instance may receive the follow-up), for a day.
 */
import { z } from 'zod';

export const ThreadMarkSchema = z.object({ state: z.enum(['running', 'failed']), text: z.string().max(1000) });
export type ThreadMark = z.infer<typeof ThreadMarkSchema>;

/** Longer than any investigation; after it, a thread without evidence is treated as expired or foreign. */
export const THREAD_MARK_TTL_S = 24 * 3600;

export function threadMarkKey(channel: string, threadTs: string): string {
  return `thread:${channel}:${threadTs}`;
}

export function readThreadMark(raw: string | undefined): ThreadMark | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = ThreadMarkSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
