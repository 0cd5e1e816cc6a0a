/**
 * A parsed command as plain JSON, so the command parsed once where it was typed (the Slack
 * listener) travels to where it runs (the worker) instead of being parsed again there — where
 * "now" and the config's zone could read the same text differently. Validated on arrival.
 */
import { z } from 'zod';
import type { InvestigationCommand } from '../core/types.js';

const instant = z.iso.datetime({ offset: false });
const window = z.object({ start: instant, end: instant });
const zone = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('fixed'),
    label: z.string().min(1).max(64),
    offsetMinutes: z
      .number()
      .int()
      .min(-14 * 60)
      .max(14 * 60),
  }),
  z.object({
    kind: z.literal('iana'),
    label: z.string().min(1).max(64),
    name: z.string().regex(/^[A-Za-z0-9_+\-/]{1,64}$/),
  }),
]);

export const InvestigationCommandJsonSchema = z.object({
  index: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/),
  asked: z.object({
    input: z.string().max(300),
    zone,
    utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/),
    instant,
    at: instant,
    notes: z.array(z.string().max(1000)).max(20),
  }),
  window,
  noDraft: z.boolean(),
  patternWindow: window.optional(),
});

/** What crosses the process boundary: the command with its instants as ISO 8601 strings. */
export type InvestigationCommandJson = z.infer<typeof InvestigationCommandJsonSchema>;

export function commandToJson(command: InvestigationCommand): InvestigationCommandJson {
  const iso = (date: Date) => date.toISOString();
  return {
    index: command.index,
    asked: {
      ...command.asked,
      instant: iso(command.asked.instant),
      at: iso(command.asked.at),
      notes: [...command.asked.notes],
    },
    window: { start: iso(command.window.start), end: iso(command.window.end) },
    noDraft: command.noDraft,
    ...(command.patternWindow
      ? { patternWindow: { start: iso(command.patternWindow.start), end: iso(command.patternWindow.end) } }
      : {}),
  };
}

/** The command back, or a ZodError when what arrived is not one. */
export function commandFromJson(json: unknown): InvestigationCommand {
  const parsed = InvestigationCommandJsonSchema.parse(json);
  const date = (text: string) => new Date(text);
  const windowOf = (w: { start: string; end: string }) => ({ start: date(w.start), end: date(w.end) });
  return {
    index: parsed.index,
    asked: { ...parsed.asked, instant: date(parsed.asked.instant), at: date(parsed.asked.at) },
    window: windowOf(parsed.window),
    noDraft: parsed.noDraft,
    ...(parsed.patternWindow ? { patternWindow: windowOf(parsed.patternWindow) } : {}),
  };
}
