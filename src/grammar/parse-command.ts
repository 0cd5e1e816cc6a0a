import type { AskedTime, InvestigationCommand, TimeWindow } from '../core/types.js';
import { ConfigError, UsageError } from '../errors.js';
import { closestNames } from './closest-names.js';
import { MAX_WINDOW_MINUTES, parseTypedWindowMinutes, parseWindowMinutes } from './parse-duration.js';
import { resolveAskedTime } from './parse-time.js';
import { looksLikeTimeToken } from './read-time-tokens.js';
import { createTimeFormatter, zoneLabelAt } from './time-formatter.js';
import { formatWallClock, MINUTE_MS } from './wall-clock.js';
import { quote } from './zones.js';

export interface CommandDefaults {
  /** The moment the command runs; windows never reach past it. */
  now: Date;
  /** Config `timezone`: the zone for times typed without one. */
  defaultZone?: string;
  /** Config `window`, e.g. "3h". */
  defaultWindow?: string;
  /** Config `indexes:` keys. Absent: any well-formed index name is accepted (files mode). */
  knownIndexes?: readonly string[];
}

export interface InvestigationInput {
  positionals: string[];
  window?: string;
  noDraft?: boolean;
}

export const USAGE = `Usage: /why502 <index> <time> [<zone>] [--window <duration>] [--no-draft]
       (on the terminal: npx why502 <index> <time> [<zone>] [options])

  <index>     an index from the config, e.g. prod_000_audio
  <time>      05:41  5:41am  5:41 PM  5am  12 pm  05:41:07  2026-06-19 05:41
              2026-06-19T05:41  2026-06-18T19:41:00Z  2026-06-19T05:41+10:00
              An hour with am/pm is on the hour: 5am is 05:00. Dates from 1970 on.
              Without a date: the most recent time the clock showed it (never the future).
  <zone>      UTC Z GMT · AEST AEDT ACST ACDT AWST · NZST NZDT
              PST PDT MST MDT CST CDT EST EDT · BST CET CEST JST SGT
              offsets (+10:00, UTC+10) · IANA names (Australia/Sydney)
              Omitted: the config's timezone, else UTC. An abbreviation means its fixed offset.
  --window    total width, centred on the time: 3h (default), 90m, 2h30m; 10m to 24h.
              Over 24h (36h, 7d, up to 14d): the default width around the time is judged,
              and the days up to it are read by the hour for bursts that recur daily
              (CloudWatch/Athena only)
  --no-draft  skip the customer draft

Examples:
  /why502 prod_000_audio 05:41 AEST
  /why502 prod_000_audio 5:41am Australia/Sydney --window 2h
  /why502 prod_000_audio 05:41 AEST --window 14d
  /why502 prod_000_audio 2026-06-18T19:41:00Z --no-draft
  /why502 help`;

const EXAMPLE = '"prod_000_audio 05:41 AEST"';
const INDEX_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const DEFAULT_WINDOW = '3h';

/**
 * Builds an investigation from parsed arguments: `positionals` is [index, ...time tokens, zone?].
 * Every problem is a UsageError (a ConfigError when the config's defaults are at fault), thrown
 * before anything is queried.
 */
export function parseInvestigation(input: InvestigationInput, defaults: CommandDefaults): InvestigationCommand {
  const [indexToken, ...rest] = input.positionals.map((token) => token.trim()).filter(Boolean);
  const index = validateIndex(indexToken, defaults.knownIndexes);
  if (rest.length === 0)
    throw new UsageError(
      `The time is missing after ${quote(index)}.`,
      `Give the index, then the time, e.g. ${EXAMPLE}.`,
    );

  const { timeTokens, zoneToken } = splitTimeAndZone(rest);
  const asked = resolveAskedTime(timeTokens, zoneToken, { now: defaults.now, defaultZone: defaults.defaultZone });
  const typedMinutes = input.window === undefined ? undefined : parseTypedWindowMinutes(input.window);
  const isPattern = typedMinutes !== undefined && typedMinutes > MAX_WINDOW_MINUTES;
  // A pattern window is judged, by the minute, on the config's width around the asked minute.
  const widthMinutes =
    typedMinutes !== undefined && !isPattern ? typedMinutes : readConfiguredWidth(defaults.defaultWindow);
  const { window, clipNote } = centreWindow(asked, widthMinutes, defaults.now);
  const notes = clipNote === undefined ? [...asked.notes] : [...asked.notes, clipNote];
  const command: InvestigationCommand = { index, asked: { ...asked, notes }, window, noDraft: input.noDraft ?? false };
  if (!isPattern) return command;
  // The days UP TO the question: "does this happen every day?" looks back from the incident,
  // and a window centred on yesterday would read only half the days asked for.
  return {
    ...command,
    patternWindow: { start: new Date(window.end.getTime() - typedMinutes * MINUTE_MS), end: window.end },
  };
}

function validateIndex(token: string | undefined, knownIndexes: readonly string[] | undefined): string {
  if (token === undefined)
    throw new UsageError('The index and the time are missing.', `Give the index, then the time, e.g. ${EXAMPLE}.`);
  if (looksLikeTimeToken(token))
    throw new UsageError(`The index is missing: ${quote(token)} is a time.`, `Give the index first, e.g. ${EXAMPLE}.`);
  if (!INDEX_NAME.test(token)) {
    throw new UsageError(
      `${quote(token)} is not an index name.`,
      `Index names are 1–128 letters, digits, "_", "." or "-", e.g. ${EXAMPLE}.`,
    );
  }
  if (knownIndexes === undefined || knownIndexes.includes(token)) return token;
  throw unknownIndexError(token, knownIndexes);
}

function unknownIndexError(token: string, knownIndexes: readonly string[]): UsageError {
  if (knownIndexes.length === 0) {
    return new UsageError(
      `Unknown index ${quoteSingle(token)}: the config lists no indexes.`,
      'Add it under indexes: in the config.',
    );
  }
  const closest = closestNames(token, knownIndexes);
  const listed =
    closest.length > 0
      ? `Closest: ${closest.join(', ')}.`
      : `Known: ${knownIndexes.slice(0, 3).join(', ')}${knownIndexes.length > 3 ? ', …' : ''}.`;
  const example = closest[0] ?? knownIndexes[0];
  return new UsageError(
    `Unknown index ${quoteSingle(token)}. ${listed}`,
    `Use an index from the config's indexes: section, e.g. "${example} 05:41 AEST".`,
  );
}

function quoteSingle(token: string): string {
  return `'${token}'`;
}

/** The last token is the zone when there is more than one and it is not part of a time ("AM", "05:41"). */
function splitTimeAndZone(tokens: string[]): { timeTokens: string[]; zoneToken: string | undefined } {
  const last = tokens.at(-1);
  if (tokens.length < 2 || last === undefined || looksLikeTimeToken(last))
    return { timeTokens: tokens, zoneToken: undefined };
  return { timeTokens: tokens.slice(0, -1), zoneToken: last };
}

/** The config's `window`: the width judged by the minute, at most 24h (longer windows are typed). */
function readConfiguredWidth(configured: string | undefined): number {
  try {
    return parseWindowMinutes(configured ?? DEFAULT_WINDOW);
  } catch (error) {
    throw new ConfigError(
      `The config's window ${quote(configured ?? '')} is not a usable width.`,
      'Set window to a width between 10m and 24h, e.g. window: 3h: it is the width judged around the asked minute; for patterns over days, type --window 14d with the command.',
      { cause: error },
    );
  }
}

/**
 * The window of `widthMinutes` centred on the asked minute (an odd extra minute goes after it),
 * with its end clipped to the end of the current minute: minutes that have not happened have no
 * data, and an empty tail would read as a drop to zero.
 */
function centreWindow(asked: AskedTime, widthMinutes: number, now: Date): { window: TimeWindow; clipNote?: string } {
  const atMs = asked.at.getTime();
  const start = new Date(atMs - Math.floor(widthMinutes / 2) * MINUTE_MS);
  const fullEndMs = start.getTime() + widthMinutes * MINUTE_MS;
  // The current minute counts only once it has begun: at 23:00:00 exactly the window ends at 23:00.
  const nowEndMs = Math.ceil(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const end = new Date(Math.max(atMs + MINUTE_MS, Math.min(fullEndMs, nowEndMs)));
  if (end.getTime() >= fullEndMs) return { window: { start, end } };
  return { window: { start, end }, clipNote: describeClip(asked, start, end, widthMinutes, now) };
}

function describeClip(asked: AskedTime, start: Date, end: Date, widthMinutes: number, now: Date): string {
  const formatter = createTimeFormatter(asked.zone);
  const covered = formatter.range(start, end);
  return `Window clipped at now (${nowText(asked, now)}): it covers ${covered}, not the full ${formatWidth(widthMinutes)}, because later minutes have not happened yet.`;
}

function nowText(asked: AskedTime, now: Date): string {
  const formatter = createTimeFormatter(asked.zone);
  const label = zoneLabelAt(asked.zone, now);
  const utcNow = `${formatWallClock(now.getTime())} UTC`;
  return label === 'UTC' ? utcNow : `${formatter.localClock(now)} ${label}, ${utcNow}`;
}

/** 180 → "3h", 90 → "1h30m", 45 → "45m", 1440 → "24h"; past a day: 20160 → "14d", 2160 → "1d12h" */
export function formatWidth(minutes: number): string {
  const days = minutes > MAX_WINDOW_MINUTES ? Math.floor(minutes / (24 * 60)) : 0;
  const hours = Math.floor((minutes - days * 24 * 60) / 60);
  const rest = minutes % 60;
  const parts = [
    days > 0 ? `${days}d` : '',
    hours > 0 ? `${hours}h` : '',
    rest > 0 || (days === 0 && hours === 0) ? `${rest}m` : '',
  ];
  return parts.join('');
}

/**
 * Parses the text of a Slack slash command ("prod_000_audio 05:41 AEST --window 2h --no-draft").
 * Empty text or "help" asks for usage. Tolerates Slack's smart quotes, non-breaking spaces and
 * the dash that autocorrect makes of "--".
 */
export function parseCommandText(text: string, defaults: CommandDefaults): InvestigationCommand | { help: true } {
  const tokens = tokenizeCommandText(text);
  const [first] = tokens;
  if (first === undefined || /^(help|--help|-h)$/i.test(first) || tokens.includes('--help')) return { help: true };
  return parseInvestigation(readFlags(tokens), defaults);
}

function tokenizeCommandText(text: string): string[] {
  const tokens = text
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u2010\u2011\u2212]/g, '-')
    .split(/\s+/)
    .map((token) =>
      token.replace(/^["'`“”„‟‘’‚‛«»]+|["'`“”„‟‘’‚‛«»]+$/g, '').replace(/^[\u2013\u2014](?=[a-z])/i, '--'),
    )
    .filter(Boolean);
  return tokens[0]?.toLowerCase() === '/why502' ? tokens.slice(1) : tokens;
}

const FLAGS_HINT = 'Options are --window <width> (e.g. --window 2h) and --no-draft.';

function readFlags(tokens: string[]): InvestigationInput {
  const input: InvestigationInput = { positionals: [] };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    if (!/^--|^-[a-z]/i.test(token)) {
      input.positionals.push(token);
    } else if (token === '--no-draft') {
      input.noDraft = true;
    } else if (token === '--window' || token.startsWith('--window=')) {
      const value = token === '--window' ? tokens[++i] : token.slice('--window='.length);
      if (!value || value.startsWith('--')) throw new UsageError('--window needs a width.', FLAGS_HINT);
      // "--window 1h 30m", "--window 1d 12h": the smaller units belong to the width, not to the time.
      let width = value;
      while (i + 1 < tokens.length && continuesWidth(width, tokens[i + 1]!)) width += tokens[++i];
      input.window = width;
    } else {
      throw new UsageError(`Unknown option ${quote(token)}.`, FLAGS_HINT);
    }
  }
  return input;
}

const UNIT_RANK: Record<string, number> = { d: 3, h: 2, m: 1 };

/** "1d" then "12h", "2h" then "30m": a number with a smaller unit than the width so far ends with. */
function continuesWidth(width: string, next: string): boolean {
  const last = /\d+([dh])$/i.exec(width)?.[1]?.toLowerCase();
  const unit = /^\d+(d|h|m|min)$/i.exec(next)?.[1]?.toLowerCase().slice(0, 1);
  return last !== undefined && unit !== undefined && UNIT_RANK[unit]! < UNIT_RANK[last]!;
}
