/**
 * Pure: is every number in a model-rewritten customer draft backed by the evidence?
 * CONTRACT §8: "every number in the rewritten text must appear in the evidence, or the template
 * draft is used". The evidence is the report (signal totals, at-minute counts, peaks, findings'
 * facts, headlines and reasons, the asked time and window) and the template draft itself.
 *
 * A number is compared by what it means, not how it is written:
 * - counts: "43,930", "43930", "43 930" (no-break/thin space) are one value; "1.38M", "44k",
 *   "1.4 million" pass when a count rounds to them at the precision written; a bare count must
 *   be exact ("about 44,000" for 43,930 is caught: we tell the model to copy numbers as given).
 * - percentages: "3.2 %", "3.2%", "3.2 percent" must equal a percentage in the evidence.
 * - clock times: "05:29", "5:29", "5:29 AM", "5:29am", "19:29" (UTC) are compared as minutes of
 *   the day, in the customer's zone (via the TimeFormatter) or in UTC; a time without am/pm may be
 *   read either way; an hour alone ("around 5 AM") needs an evidence time in that hour.
 * - dates: "19 June", "June 19th", "19 Jun", "2026-06-19", "19/06" must be a day in the evidence
 *   (local or UTC); a year must be the year of an evidence instant.
 * - ignored, as not claims: list numbering at the start of a line ("1."), status classes ("5xx"),
 *   identifiers with letters attached ("k8s", "ELB_502"), "HTTP/1.1", the index name, and the
 *   number words zero to twelve (ordinary prose: "one minute", "a couple of retries").
 * - larger number words ("twenty", "hundreds", "thousands", "a million") are always reported:
 *   they state a quantity we cannot check, and the model is told to write figures in digits.
 */
import type { ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import { isIsoInstant } from './draft-placeholders.js';

export interface GroundingEvidence {
  templateDraft: string;
  report: ReportJson;
  fmt: TimeFormatter;
}

/** The number, percentage, time and date tokens of `rewrite` that the evidence does not back, in order, once each. */
export function findUngroundedNumbers(rewrite: string, allowed: GroundingEvidence): string[] {
  const values = collectAllowedValues(allowed);
  const offending = tokenizeNumbers(withoutNonClaims(rewrite, allowed.report.index))
    .filter((token) => !isGrounded(token, values))
    .map((token) => token.text.trim());
  return [...new Set(offending)];
}

// ---------------------------------------------------------------------------------------------
// Tokens

type NumberToken =
  | { kind: 'clock'; text: string; hour: number; minute: number | null; meridiem: 'am' | 'pm' | null }
  | { kind: 'date'; text: string; month: number; day: number; year: number | null }
  | { kind: 'ambiguousDate'; text: string; first: number; second: number }
  | { kind: 'offset'; text: string; minutes: number }
  | { kind: 'percent'; text: string; value: number }
  | { kind: 'count'; text: string; value: number; tolerance: number; ordinal: boolean; yearLike: boolean }
  | { kind: 'numberWord'; text: string };

const MONTH =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DIGITS = String.raw`\d{1,3}(?:[,\u00a0\u202f\u2009]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const NUMBER_TOKEN = new RegExp(
  [
    String.raw`(?<![\w.])(?<isoY>\d{4})-(?<isoM>\d{2})-(?<isoD>\d{2})(?:[T ](?<isoH>\d{2}):(?<isoMin>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w])`,
    String.raw`\b(?:UTC|GMT)\s?(?<offSign>[+\u2212-])\s?(?<offH>\d{1,2})(?::?(?<offM>\d{2}))?(?!\d)`,
    String.raw`(?<![\w:])(?<offSign2>[+\u2212])(?<offH2>\d{1,2}):(?<offM2>\d{2})(?!\d)`,
    String.raw`(?<![\w.:])(?<clH>\d{1,2}):(?<clM>\d{2})(?::\d{2})?(?!\d)(?:\s?(?<clAp>[ap])\.?m\b\.?)?`,
    String.raw`(?<![\w.:,])(?<hcH>\d{1,2})\s?(?<hcAp>[ap])\.?m\b\.?`,
    String.raw`(?<![\w.])(?<dmD>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?<dmM>${MONTH})\b\.?(?:,?\s+(?<dmY>\d{4})\b)?`,
    String.raw`\b(?<mdM>${MONTH})\.?\s+(?<mdD>\d{1,2})(?:st|nd|rd|th)?(?![\d:])\b(?:,?\s+(?<mdY>\d{4})\b)?`,
    String.raw`(?<![\w.\/,])(?<ndA>\d{1,2})\/(?<ndB>\d{1,2})(?:\/(?:\d{4}|\d{2}))?(?![\w\/])`,
    String.raw`(?<![\w.])(?<pct>${DIGITS}|\.\d+)\s?(?:%|percent\b|per\s?cent\b)`,
    String.raw`(?<![\w.])(?<num>${DIGITS})(?<numSuffix>[A-Za-z_]*)(?:\s(?<numMult>thousand|million|billion|bn|M|K)\b)?`,
    String.raw`\b(?<word>thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?)\b`,
  ].join('|'),
  'gi',
);

const MONTH_NUMBERS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const UNIT_SUFFIXES = new Set(['', 's', 'h', 'hr', 'hrs', 'm', 'min', 'mins', 'ms', 'sec', 'secs', 'x']);
const ORDINAL_SUFFIXES = new Set(['st', 'nd', 'rd', 'th']);
const MULTIPLIERS: Record<string, number> = { k: 1e3, thousand: 1e3, million: 1e6, bn: 1e9, billion: 1e9 };

/** Text that holds digits but states no quantity: list numbering, "HTTP/1.1", the index name. */
function withoutNonClaims(text: string, indexName: string): string {
  return text
    .split(indexName)
    .join(' ')
    .replace(/HTTP\/\d(?:\.\d)?/gi, 'HTTP')
    .replace(/^(\s*(?:[-*•]\s*)?)\d{1,2}[.)](?=\s)/gm, '$1');
}

function tokenizeNumbers(text: string): NumberToken[] {
  return [...text.matchAll(NUMBER_TOKEN)].flatMap((match) => toTokens(match[0], match.groups ?? {}));
}

function toTokens(text: string, g: Record<string, string | undefined>): NumberToken[] {
  if (g.isoY !== undefined) return isoTokens(text, g);
  if (g.offH !== undefined || g.offH2 !== undefined) return [offsetToken(text, g)];
  if (g.clH !== undefined)
    return [{ kind: 'clock', text, hour: Number(g.clH), minute: Number(g.clM), meridiem: meridiemOf(g.clAp) }];
  if (g.hcH !== undefined)
    return [{ kind: 'clock', text, hour: Number(g.hcH), minute: null, meridiem: meridiemOf(g.hcAp) }];
  if (g.dmM !== undefined) return dateTokens(text, g.dmM, g.dmD ?? '', g.dmY);
  if (g.mdM !== undefined) return dateTokens(text, g.mdM, g.mdD ?? '', g.mdY);
  if (g.ndA !== undefined) return [{ kind: 'ambiguousDate', text, first: Number(g.ndA), second: Number(g.ndB) }];
  if (g.pct !== undefined) return [{ kind: 'percent', text, value: parseDigits(g.pct) }];
  if (g.num !== undefined) return countTokens(text, g.num, g.numSuffix ?? '', g.numMult);
  if (g.word !== undefined) return [{ kind: 'numberWord', text }];
  return [];
}

/** "2026-06-18T19:41Z" is a date and, when it has one, a 24-hour time. */
function isoTokens(text: string, g: Record<string, string | undefined>): NumberToken[] {
  const date: NumberToken = {
    kind: 'date',
    text,
    month: Number(g.isoM),
    day: Number(g.isoD),
    year: Number(g.isoY),
  };
  if (g.isoH === undefined) return [date];
  return [date, { kind: 'clock', text, hour: Number(g.isoH), minute: Number(g.isoMin), meridiem: null }];
}

function offsetToken(text: string, g: Record<string, string | undefined>): NumberToken {
  const sign = (g.offSign ?? g.offSign2) === '+' ? 1 : -1;
  const minutes = Number(g.offH ?? g.offH2) * 60 + Number(g.offM ?? g.offM2 ?? 0);
  return { kind: 'offset', text, minutes: sign * minutes };
}

function dateTokens(text: string, monthText: string, dayText: string, yearText: string | undefined): NumberToken[] {
  // "may" and "mar" are also words ("retries may help"); only a capitalised "May"/"Mar" is a month.
  if (/^(may|mar)$/.test(monthText)) return countTokens(dayText, dayText, '', undefined);
  const month = MONTH_NUMBERS[monthText.slice(0, 3).toLowerCase()] ?? 0;
  // A trailing "." closes an abbreviation ("Jun.") or the sentence; report the date without it.
  return [
    {
      kind: 'date',
      text: text.replace(/\.$/, ''),
      month,
      day: Number(dayText),
      year: yearText === undefined ? null : Number(yearText),
    },
  ];
}

function countTokens(text: string, digits: string, suffix: string, multiplierText: string | undefined): NumberToken[] {
  const ordinal = ORDINAL_SUFFIXES.has(suffix.toLowerCase());
  const suffixMultiplier = multiplierOf(suffix);
  // Letters glued to a number that are not a unit or an ordinal make it an identifier or a class ("5xx").
  if (!ordinal && suffixMultiplier === null && !UNIT_SUFFIXES.has(suffix.toLowerCase())) return [];
  const wordMultiplier = multiplierText === undefined ? null : multiplierOf(multiplierText);
  // "5 m" matched the multiplier alternative but means minutes (or metres): not part of the number.
  const shownText =
    multiplierText !== undefined && wordMultiplier === null ? text.slice(0, -multiplierText.length).trimEnd() : text;
  const multiplier = suffixMultiplier ?? wordMultiplier ?? 1;
  const decimals = digits.split('.')[1]?.length ?? 0;
  return [
    {
      kind: 'count',
      text: shownText,
      value: parseDigits(digits) * multiplier,
      tolerance: multiplier === 1 ? 0 : (0.5 * multiplier) / 10 ** decimals,
      ordinal,
      yearLike: multiplier === 1 && /^\d{4}$/.test(digits),
    },
  ];
}

/** "k"/"K"/"thousand", "M"/"million" (not "m": minutes), "bn"/"billion". */
function multiplierOf(word: string): number | null {
  if (word === 'M') return 1e6;
  if (word === 'm' || word === '') return null;
  return MULTIPLIERS[word.toLowerCase()] ?? null;
}

function meridiemOf(letter: string | undefined): 'am' | 'pm' | null {
  if (letter === undefined) return null;
  return letter.toLowerCase() === 'a' ? 'am' : 'pm';
}

function parseDigits(digits: string): number {
  return Number(digits.replace(/[,\u00a0\u202f\u2009]/g, ''));
}

// ---------------------------------------------------------------------------------------------
// What the evidence allows

interface AllowedValues {
  counts: number[];
  percents: number[];
  /** Minutes of the day (0–1439) of evidence times, in the customer's zone and in UTC. */
  clocks: Set<number>;
  hours: Set<number>;
  /** "6-19": month-day of evidence dates, in the customer's zone and in UTC. */
  dates: Set<string>;
  days: Set<number>;
  years: Set<number>;
  offsets: Set<number>;
}

function collectAllowedValues({ templateDraft, report, fmt }: GroundingEvidence): AllowedValues {
  const allowed: AllowedValues = {
    counts: [],
    percents: [],
    clocks: new Set(),
    hours: new Set(),
    dates: new Set(),
    days: new Set(),
    years: new Set(),
    offsets: new Set([0]),
  };
  for (const text of evidenceTexts(report, templateDraft))
    addTokens(allowed, tokenizeNumbers(withoutNonClaims(text, report.index)));
  for (const instant of evidenceInstants(report)) addInstant(allowed, instant, fmt);
  allowed.counts.push(...evidenceCounts(report));
  allowed.percents.push(...evidencePercents(report));
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(report.asked.utcOffset);
  if (offset) allowed.offsets.add((offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])));
  return allowed;
}

function evidenceTexts(report: ReportJson, templateDraft: string): string[] {
  const findingTexts = report.findings.concat(report.verdict).flatMap((f) => [f.headline, ...f.reasons, ...f.advice]);
  return [templateDraft, report.asked.input, ...report.asked.notes, ...findingTexts];
}

function evidenceInstants(report: ReportJson): Date[] {
  const isoValues = [
    report.at,
    report.window.start,
    report.window.end,
    ...Object.values(report.signals).flatMap((signal) => (signal.peak ? [signal.peak.minute] : [])),
    ...report.findings.concat(report.verdict).flatMap((f) => Object.values(f.facts).filter(isIsoInstant)),
  ];
  const instants = isoValues.map((iso) => new Date(iso)).filter((d) => !Number.isNaN(d.getTime()));
  // The window's last whole minute, for "from 04:11 to 07:10".
  instants.push(new Date(Date.parse(report.window.end) - 60_000));
  return instants;
}

function evidenceCounts(report: ReportJson): number[] {
  const counts: number[] = [];
  for (const [name, signal] of Object.entries(report.signals)) {
    counts.push(
      ...[signal.window, signal.atMinute, signal.peak?.count].filter((n): n is number => typeof n === 'number'),
    );
    counts.push(...Object.values(signal.byCode ?? {}), ...Object.values(signal.byTermination ?? {}));
    counts.push(
      ...Object.keys(signal.byCode ?? {})
        .map(Number)
        .filter(Number.isFinite),
    );
    counts.push(...(name.match(/\d{3}/g) ?? []).map(Number)); // the status code a signal counts: elb_503 → 503
  }
  for (const finding of report.findings.concat(report.verdict)) {
    for (const fact of Object.values(finding.facts)) if (typeof fact === 'number') counts.push(fact, Math.abs(fact));
    counts.push(...burstLengthsMinutes(finding.facts));
  }
  const windowMinutes = (Date.parse(report.window.end) - Date.parse(report.window.start)) / 60_000;
  counts.push(windowMinutes, windowMinutes / 60);
  return counts.filter(Number.isFinite);
}

/** A burst 19:29–19:40 is 11 minutes apart and 12 minutes long, inclusive: either may be written. */
function burstLengthsMinutes(facts: Record<string, number | string>): number[] {
  const start = facts.burstStart;
  const end = facts.burstEnd;
  if (!isIsoInstant(start) || !isIsoInstant(end)) return [];
  const apart = (Date.parse(end) - Date.parse(start)) / 60_000;
  return [apart, apart + 1];
}

function evidencePercents(report: ReportJson): number[] {
  return report.findings
    .concat(report.verdict)
    .flatMap((f) => Object.entries(f.facts))
    .filter(([key, value]) => /percent$/i.test(key) && typeof value === 'number')
    .map(([, value]) => value as number);
}

function addInstant(allowed: AllowedValues, instant: Date, fmt: TimeFormatter): void {
  addTokens(allowed, tokenizeNumbers(fmt.localClock(instant)));
  addTokens(allowed, tokenizeNumbers(fmt.localDate(instant)));
  addClock(allowed, instant.getUTCHours() * 60 + instant.getUTCMinutes());
  addDate(allowed, instant.getUTCMonth() + 1, instant.getUTCDate());
  for (const dayShift of [-1, 0, 1])
    allowed.years.add(new Date(instant.getTime() + dayShift * 86_400_000).getUTCFullYear());
}

function addTokens(allowed: AllowedValues, tokens: NumberToken[]): void {
  for (const token of tokens) {
    switch (token.kind) {
      case 'clock':
        // An evidence time without am/pm is a 24-hour time ("05:29" from the formatter).
        if (token.minute !== null) addClock(allowed, minutesOfDay(token.hour, token.minute, token.meridiem ?? '24h'));
        else allowed.hours.add(minutesOfDay(token.hour, 0, token.meridiem ?? '24h') / 60);
        break;
      case 'date':
        addDate(allowed, token.month, token.day);
        if (token.year !== null) allowed.years.add(token.year);
        break;
      case 'ambiguousDate':
        addDate(allowed, token.second, token.first);
        addDate(allowed, token.first, token.second);
        break;
      case 'offset':
        allowed.offsets.add(token.minutes);
        break;
      case 'percent':
        allowed.percents.push(token.value);
        break;
      case 'count':
        allowed.counts.push(token.value);
        if (token.yearLike) allowed.years.add(token.value);
        break;
      case 'numberWord':
        break;
    }
  }
}

function addClock(allowed: AllowedValues, minutes: number): void {
  allowed.clocks.add(minutes);
  allowed.hours.add(Math.floor(minutes / 60));
}

function addDate(allowed: AllowedValues, month: number, day: number): void {
  allowed.dates.add(`${month}-${day}`);
  allowed.days.add(day);
}

function minutesOfDay(hour: number, minute: number, meridiem: 'am' | 'pm' | '24h'): number {
  if (meridiem === '24h') return hour * 60 + minute;
  return ((hour % 12) + (meridiem === 'pm' ? 12 : 0)) * 60 + minute;
}

// ---------------------------------------------------------------------------------------------
// Checking a token

function isGrounded(token: NumberToken, allowed: AllowedValues): boolean {
  switch (token.kind) {
    case 'clock':
      return clockReadings(token).some((minutes) =>
        token.minute === null ? allowed.hours.has(minutes / 60) : allowed.clocks.has(minutes),
      );
    case 'date':
      return allowed.dates.has(`${token.month}-${token.day}`) && (token.year === null || allowed.years.has(token.year));
    case 'ambiguousDate':
      return allowed.dates.has(`${token.second}-${token.first}`) || allowed.dates.has(`${token.first}-${token.second}`);
    case 'offset':
      return allowed.offsets.has(token.minutes);
    case 'percent':
      return allowed.percents.some((p) => sameNumber(p, token.value));
    case 'count':
      return countIsGrounded(token, allowed);
    case 'numberWord':
      return false;
  }
}

/** "5:29" may be 05:29 or 17:29; "5:29 PM" only 17:29; "17:29" only itself. */
function clockReadings(token: Extract<NumberToken, { kind: 'clock' }>): number[] {
  const minute = token.minute ?? 0;
  if (token.meridiem !== null) return [minutesOfDay(token.hour, minute, token.meridiem)];
  if (token.hour >= 1 && token.hour <= 12)
    return [minutesOfDay(token.hour, minute, 'am'), minutesOfDay(token.hour, minute, 'pm')];
  return [minutesOfDay(token.hour, minute, '24h')];
}

function countIsGrounded(token: Extract<NumberToken, { kind: 'count' }>, allowed: AllowedValues): boolean {
  if (token.ordinal && allowed.days.has(token.value)) return true;
  if (token.yearLike && allowed.years.has(token.value)) return true;
  return allowed.counts.some(
    (count) => Math.abs(count - token.value) <= token.tolerance || sameNumber(count, token.value),
  );
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
