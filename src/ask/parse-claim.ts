/**
 * Reads `claim <number> [<status>] [over <duration>]`: a customer's figure, what it counts, and the
 * period it covers ("537k 502s over 4h", "537,000 errors in 4 hours", "1.2M 5xx"). Pure.
 */
import { quote } from '../grammar/zones.js';
import type { ClaimQuestion, ClaimStatus, FollowUpProblem } from './follow-up-question.js';

export const CLAIM_USAGE =
  'Write it as: claim <number> [502s|503s|504s|5xx|429s|errors] [over <duration>], e.g. "claim 537k 502s over 4h".';

const NUMBER = /^[~≈]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?([km]|thousand|million|bn|billion)?\+?$/i;
const MULTIPLIER_WORD = /^(k|m|thousand|million|bn|billion)$/i;
const MULTIPLIERS: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, bn: 1e9, billion: 1e9 };
const STATUS_WORDS: ReadonlyArray<[RegExp, ClaimStatus]> = [
  [/^(?:http_?)?502s?$/i, '502'],
  [/^(?:http_?)?503s?$/i, '503'],
  [/^(?:http_?)?504s?$/i, '504'],
  [/^(?:http_?)?429s?$/i, '429'],
  [/^5xxs?$/i, '5xx'],
  [/^(?:errors?|failures?|failed)$/i, 'errors'],
];
const PREPOSITION = /^(?:over|in|during|across|within|for)$/i;
/** From a minute to a month: anything longer is not a period one report can speak to. */
const MAX_DURATION_MINUTES = 31 * 24 * 60;

/** `tokens` are the words after "claim". */
export function parseClaim(tokens: readonly string[]): ClaimQuestion | FollowUpProblem {
  const words = tokens.filter(Boolean);
  if (words.length === 0) return problem('The claim has no number.', CLAIM_USAGE);
  const figure = readFigure(words);
  if (figure.kind === 'problem') return figure;
  let rest = words.slice(figure.wordCount);
  let status: ClaimStatus = 'errors';
  const statusWord = rest[0] === undefined ? undefined : STATUS_WORDS.find(([pattern]) => pattern.test(rest[0]!));
  if (statusWord) {
    status = statusWord[1];
    rest = rest.slice(1);
  } else if (rest[0] !== undefined && /^\d{3}s?$/.test(rest[0])) {
    return problem(
      `I cannot check ${quote(rest[0])}: I count 502s, 503s, 504s, 5xx in all, 429s, or errors (5xx and 429s).`,
      CLAIM_USAGE,
    );
  }
  if (rest.length === 0)
    return { kind: 'claim', figure: figure.value, figureText: figure.text, status, durationMinutes: null };
  if (PREPOSITION.test(rest[0]!)) rest = rest.slice(1);
  if (rest.length === 0)
    return problem(`The claim ends before its duration, after ${quote(words.join(' '))}.`, CLAIM_USAGE);
  const duration = readDurationMinutes(rest.join(''));
  if (duration === null)
    return problem(
      `I could not read ${quote(rest.join(' '))} as the claim's duration.`,
      'Give it as e.g. "over 4h", "over 90m" or "over 2h30m".',
    );
  if (duration < 1 || duration > MAX_DURATION_MINUTES)
    return problem(
      `The claim's duration ${quote(rest.join(' '))} is out of range: from 1 minute to 31 days.`,
      CLAIM_USAGE,
    );
  return { kind: 'claim', figure: figure.value, figureText: figure.text, status, durationMinutes: duration };
}

type Figure = { kind: 'figure'; value: number; text: string; wordCount: number } | FollowUpProblem;

/** "537k", "537,000", "1.2M", "1.2 million", "~537k". */
function readFigure(words: readonly string[]): Figure {
  const [first = '', second] = words;
  const match = NUMBER.exec(first);
  if (!match)
    return problem(
      `${quote(first)} is not a number I can read.`,
      `Numbers look like 537k, 537,000, 537000 or 1.2M. ${CLAIM_USAGE}`,
    );
  const [, whole = '', fraction, glued] = match;
  const separateMultiplier =
    glued === undefined && second !== undefined && MULTIPLIER_WORD.test(second) ? second : undefined;
  const multiplierWord = glued ?? separateMultiplier;
  const multiplier = multiplierWord === undefined ? 1 : MULTIPLIERS[multiplierWord.toLowerCase()]!;
  const value = Math.round(
    Number(`${whole.replace(/,/g, '')}${fraction === undefined ? '' : `.${fraction}`}`) * multiplier,
  );
  if (!Number.isFinite(value)) return problem(`${quote(first)} is not a number I can read.`, CLAIM_USAGE);
  const wordCount = separateMultiplier === undefined ? 1 : 2;
  return { kind: 'figure', value, text: words.slice(0, wordCount).join(' '), wordCount };
}

/** "4h", "4hours", "90m", "2h30m", "1.5h", "1d" (spaces already removed) → minutes; null when unreadable. */
export function readDurationMinutes(compact: string): number | null {
  const normal = compact
    .toLowerCase()
    .replace(/(?<=\d)(?:hours?|hrs?)/g, 'h')
    .replace(/(?<=\d)(?:minutes?|mins?)/g, 'm')
    .replace(/(?<=\d)(?:days?)/g, 'd');
  const match = /^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+)m)?$/.exec(normal);
  if (!match || normal === '') return null;
  const [, days = '0', hours = '0', minutes = '0'] = match;
  return Math.round(Number(days) * 24 * 60 + Number(hours) * 60 + Number(minutes));
}

function problem(message: string, hint?: string): FollowUpProblem {
  return { kind: 'problem', message, ...(hint ? { hint } : {}) };
}
