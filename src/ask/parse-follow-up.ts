/**
 * Reads a follow-up question: the text after `@why502` in a verdict thread, or after
 * `why502 ask <report.json>` on the terminal (CONTRACT §10). Pure: the thread's zone, its asked
 * minute and "now" come in as arguments.
 *
 *   08:22 · 8:22am · 2026-06-19 08:22 AEST · at 08:22 UTC   another minute (the thread's zone unless given)
 *   impact · tenants · rows · help
 *   claim <number> [<status>] [over <duration>]
 *   anything else                                          free text, for the model
 */
import type { ReportJson } from '../core/report.js';
import type { AskedTime, ResolvedZone } from '../core/types.js';
import { UsageError } from '../errors.js';
import { zoneOfReport } from '../grammar/formatters.js';
import { resolveAskedTime } from '../grammar/parse-time.js';
import { looksLikeTimeToken, readLeadingTime } from '../grammar/read-time-tokens.js';
import type { FollowUpProblem, FollowUpQuestion } from './follow-up-question.js';
import { parseClaim } from './parse-claim.js';

export interface FollowUpContext {
  /** The thread's asked zone: a time typed without a zone is read in it. */
  zone: ResolvedZone;
  /** The thread's asked minute: a time without a date is the occurrence of that clock time nearest it. */
  reference: Date;
  /** Nothing after this can be asked about. */
  now: Date;
}

/** The context of a saved report's thread: its zone and asked minute. */
export function followUpContextFor(report: ReportJson, now: Date): FollowUpContext {
  return { zone: zoneOfReport(report), reference: new Date(report.at), now };
}

/** Slack's free-text questions are bounded before anything reads them. */
export const MAX_QUESTION_CHARS = 500;
const HALF_DAY_MS = 12 * 60 * 60_000;

const KEYWORDS: ReadonlyArray<[RegExp, FollowUpQuestion['kind']]> = [
  [/^(?:help|\?|commands|usage|what can you (?:do|answer))$/, 'help'],
  [/^(?:(?:customer |user )?impact|how bad(?: was it)?|blast radius)$/, 'impact'],
  [
    /^(?:tenants?|target groups?|everyone|is it everyone(?: or just us)?|just us|who else(?: is affected)?)$/,
    'tenants',
  ],
  [/^(?:rows|samples|sample rows|log rows|access[- ]log rows)$/, 'rows'],
];
/** Words around a time that do not change it: "what about 08:22?", "and at 8:22am". */
const TIME_LEAD = /^(?:(?:and |so )?(?:what|how) about |and |at |around |also )+/;

export function parseFollowUp(text: string, context: FollowUpContext): FollowUpQuestion | FollowUpProblem {
  const normal = normalise(text);
  if (normal.length > MAX_QUESTION_CHARS) {
    return {
      kind: 'problem',
      message: `The question is ${normal.length} characters long; I read at most ${MAX_QUESTION_CHARS}.`,
      hint: 'Ask it shorter.',
    };
  }
  const bare = normal.replace(/[?!.]+$/, '').trim();
  const lower = bare.toLowerCase();
  if (lower === '') return { kind: 'help' };
  const keyword = KEYWORDS.find(([pattern]) => pattern.test(lower));
  if (keyword) return { kind: keyword[1] } as FollowUpQuestion;
  const words = bare.split(' ');
  if (words[0]!.toLowerCase() === 'claim') return parseClaim(words.slice(1));
  const timeWords = bare.replace(new RegExp(TIME_LEAD.source, 'i'), '').split(' ');
  if (looksLikeTime(timeWords)) return readTimeQuestion(timeWords, context);
  return { kind: 'free_text', text: normal };
}

/**
 * Slack's rendering of what was typed: the bot's own mention first, smart quotes, no-break and
 * zero-width spaces, the dash autocorrect makes of "--". Collapsed to single spaces.
 */
function normalise(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, ' ')
    .replace(/[“”„‟«»]/g, '"')
    .replace(/[‘’‚‛]/g, "'")
    .trim()
    .replace(/^(?:<@[A-Z0-9]+(?:\|[^>]*)?>|@?why502)[:,]?\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function looksLikeTime(words: readonly string[]): boolean {
  const [first = ''] = words;
  return (
    looksLikeTimeToken(first) || (/^\d{1,2}$/.test(first) && words[1] !== undefined && /^[ap]\.?m\.?$/i.test(words[1]))
  );
}

function readTimeQuestion(words: readonly string[], context: FollowUpContext): FollowUpQuestion | FollowUpProblem {
  const last = words.at(-1);
  const zoneToken = words.length > 1 && last !== undefined && !looksLikeTimeToken(last) ? last : undefined;
  const timeTokens = zoneToken === undefined ? [...words] : words.slice(0, -1);
  try {
    return { kind: 'time', asked: resolveNear(timeTokens, zoneToken, context) };
  } catch (error) {
    if (error instanceof UsageError)
      return { kind: 'problem', message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
    throw error;
  }
}

/**
 * A clock time without a date means the occurrence nearest the thread's asked minute ("08:22" in
 * a thread about 05:41 on 19 June is 08:22 that day), never one after now. A dated time is read
 * as typed.
 */
function resolveNear(timeTokens: string[], zoneToken: string | undefined, context: FollowUpContext): AskedTime {
  const dated = readLeadingTime(timeTokens).typed.dateWallMs !== undefined;
  const latest = Math.min(context.now.getTime(), context.reference.getTime() + HALF_DAY_MS);
  const now = dated ? context.now : new Date(latest);
  return resolveAskedTime(timeTokens, zoneToken, { now, defaultZone: zoneName(context.zone) });
}

function zoneName(zone: ResolvedZone): string {
  return zone.kind === 'iana' ? zone.name : zone.label;
}
