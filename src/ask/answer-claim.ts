/**
 * "@why502 claim 537k 502s over 4h": checks a customer's figure against what exists, as the seed's
 * author did by hand ("502 = 537k can't be HTTP responses at their ≤3.3 RPS"). Pure arithmetic on
 * the saved report's per-minute counts:
 *
 * - the ceiling: the most responses of any kind the index could have given in the claimed period —
 *   its requests in the window when the period is the window, the busiest stretch of that length
 *   when it is shorter, and the window's requests plus its busiest minute's rate for every minute
 *   beyond the window when it is longer (said to be scaled). A figure above it cannot be HTTP
 *   responses from us.
 * - what was measured: the claimed status's count in the busiest stretch of the claimed length
 *   (or over the window, scaled at its own rate, for a longer period), LB-minted and from the targets.
 * - another count it may be: the nearest measured total within a quarter of the figure.
 */
import { formatCount, formatPercent, formatRate, percentOf } from '../core/format-number.js';
import type { ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import { minuteValues, windowMinutes } from '../render/chart/minute-values.js';
import {
  type AnswerBlock,
  type AnswerDocument,
  code,
  type Inline,
  note,
  paragraph,
  strong,
} from './answer-document.js';
import type { ClaimQuestion, ClaimStatus } from './follow-up-question.js';
import {
  describeFigure,
  describeOneIn,
  type Figure,
  signalCode,
  signalTotal,
  sumFigures,
  summedMinutes,
} from './signal-figures.js';

/**
 * busiest_stretch: the most in any stretch of the claimed length; window: over the whole window (the
 * period is the window, or the count has no per-minute split by code); scaled: the window's count
 * at its own rate over a longer period.
 */
export type MeasuredOver = 'busiest_stretch' | 'window' | 'scaled';

export type ClaimVerdict = 'impossible' | 'more_than_measured' | 'matches' | 'fewer_than_measured' | 'unknown';

export interface ClaimAnswer {
  kind: 'claim';
  claim: ClaimQuestion;
  verdict: ClaimVerdict;
  /** The period compared, in minutes: the claim's, else the window's. */
  periodMinutes: number;
  /** Minutes of the window the index's requests were measured in. */
  measuredMinutes: number;
  /** True when the period is longer than what was measured, so the ceiling reaches beyond the evidence. */
  scaled: boolean;
  requests: {
    /** Whose requests bound the figure: the index's (ALB, else proxy), else the whole load balancer's. */
    scope: 'index' | 'loadBalancer';
    /** Over the window. */
    window: Figure;
    /** The most requests the index could have served in the period (see the module comment); null when unknown. */
    ceiling: number | null;
    /** For a period longer than the window: its requests at the window's average rate. */
    atAverageRate: number | null;
    perSecondAverage: number | null;
    perSecondBusiestMinute: number | null;
  };
  /** The claimed status as measured: in the busiest stretch of the period, over the window, or over the window scaled to the period. */
  measured: Figure;
  /** Which of those `measured` is. */
  measuredOver: MeasuredOver;
  /** How the measured count splits: LB-minted, from the targets, 429s. */
  parts: Array<{ what: string; figure: Figure }>;
  /** Figure ÷ ceiling, when the ceiling is known. */
  timesCeiling: number | null;
  /** A measured total the figure is within a quarter of, if any: what it may actually count. */
  nearest: { what: string; value: number } | null;
  document: AnswerDocument;
}

/** Where the ceiling's requests come from, in order: a bound from the whole load balancer is still a bound. */
const REQUEST_SIGNALS = ['requests', 'proxy_requests', 'lb_requests'] as const;
/** Within this fraction either way, a figure "matches" a measured count. */
const MATCH_TOLERANCE = 0.25;
const MINUTE_SECONDS = 60;

export function answerClaim(report: ReportJson, claim: ClaimQuestion, fmt: TimeFormatter): ClaimAnswer {
  const requestSignal =
    REQUEST_SIGNALS.find((name) => signalTotal(report, name).status !== 'unavailable') ?? 'requests';
  const requestsWindow = signalTotal(report, requestSignal);
  const requestValues = report.signals[requestSignal] ? minuteValues(report, report.signals[requestSignal]!) : [];
  const measuredMinutes = requestValues.filter((v) => v !== null).length;
  const periodMinutes = claim.durationMinutes ?? windowMinutes(report);
  const scaled = periodMinutes > measuredMinutes;
  const ceiling = requestsWindow.status === 'unavailable' ? null : requestCeiling(requestValues, periodMinutes);
  const busiest = Math.max(0, ...requestValues.map((v) => v ?? 0));
  const parts = claimParts(report, claim.status);
  const { figure: measured, over: measuredOver } = measuredInPeriod(
    report,
    claim.status,
    parts,
    periodMinutes,
    measuredMinutes,
  );
  const timesCeiling = ceiling !== null && ceiling > 0 ? claim.figure / ceiling : null;
  const answer: Omit<ClaimAnswer, 'document'> = {
    kind: 'claim',
    claim,
    verdict: verdictOf(claim.figure, ceiling, measured),
    periodMinutes,
    measuredMinutes,
    scaled,
    requests: {
      scope: requestSignal === 'lb_requests' ? 'loadBalancer' : 'index',
      window: requestsWindow,
      ceiling,
      atAverageRate:
        scaled && requestsWindow.status !== 'unavailable' && measuredMinutes > 0
          ? Math.round((requestsWindow.value * periodMinutes) / measuredMinutes)
          : null,
      perSecondAverage:
        requestsWindow.status === 'ok' && measuredMinutes > 0
          ? requestsWindow.value / (measuredMinutes * MINUTE_SECONDS)
          : null,
      perSecondBusiestMinute: measuredMinutes > 0 ? busiest / MINUTE_SECONDS : null,
    },
    measured,
    measuredOver,
    parts,
    timesCeiling,
    nearest: nearestTotal(report, claim),
  };
  return { ...answer, document: claimDocument(report, fmt, answer, busiest) };
}

/**
 * The most requests in any `period` consecutive minutes. Minutes the source did not cover count at
 * the busiest minute's rate (the bound stays a bound); minutes beyond the window likewise.
 */
export function requestCeiling(values: readonly (number | null)[], period: number): number {
  const busiest = Math.max(0, ...values.map((v) => v ?? 0));
  const filled = values.map((v) => v ?? busiest);
  if (period >= filled.length) return filled.reduce((a, b) => a + b, 0) + busiest * (period - filled.length);
  let sum = filled.slice(0, period).reduce((a, b) => a + b, 0);
  let most = sum;
  for (let i = period; i < filled.length; i++) {
    sum += filled[i]! - filled[i - period]!;
    most = Math.max(most, sum);
  }
  return most;
}

type Part = { what: string; signal: string; code?: string };

const PARTS: Record<Exclude<ClaimStatus, 'errors' | '5xx'>, Part[]> = {
  '502': [
    { what: 'LB-minted', signal: 'elb_502_index' },
    { what: 'from the targets', signal: 'target_5xx', code: '502' },
  ],
  '503': [
    { what: 'LB-minted', signal: 'elb_503_index' },
    { what: 'from the targets', signal: 'target_5xx', code: '503' },
  ],
  '504': [
    { what: 'LB-minted', signal: 'elb_504_index' },
    { what: 'from the targets', signal: 'target_5xx', code: '504' },
  ],
  '429': [{ what: 'rate limited (429)', signal: 'throttled_429' }],
};
const FIVE_XX: Part[] = [
  { what: 'LB-minted 502', signal: 'elb_502_index' },
  { what: 'LB-minted 503', signal: 'elb_503_index' },
  { what: 'LB-minted 504', signal: 'elb_504_index' },
  { what: '5xx from the targets', signal: 'target_5xx' },
];

function partsFor(status: ClaimStatus): Part[] {
  if (status === '5xx') return FIVE_XX;
  if (status === 'errors') return [...FIVE_XX, { what: 'rate limited (429)', signal: 'throttled_429' }];
  return PARTS[status];
}

function claimParts(report: ReportJson, status: ClaimStatus): ClaimAnswer['parts'] {
  return partsFor(status).map((part) => ({
    what: part.what,
    figure: part.code ? signalCode(report, part.signal, part.code) : signalTotal(report, part.signal),
  }));
}

/**
 * The claimed status in the busiest stretch of the period (per minute, when every part has
 * per-minute counts and no split by code is needed), else over the window; a longer period
 * scales the window's count at its own rate.
 */
function measuredInPeriod(
  report: ReportJson,
  status: ClaimStatus,
  parts: ClaimAnswer['parts'],
  period: number,
  measuredMinutes: number,
): { figure: Figure; over: MeasuredOver } {
  const total = sumFigures(...parts.map((p) => p.figure));
  if (total.status === 'unavailable') return { figure: total, over: 'window' };
  if (period > measuredMinutes)
    return measuredMinutes > 0
      ? { figure: { ...total, value: Math.round((total.value * period) / measuredMinutes) }, over: 'scaled' }
      : { figure: total, over: 'window' };
  // A count by status code (the targets' 502s) has window totals only: no per-minute stretch to take.
  const specs = partsFor(status);
  const needsCode = specs.some((spec, i) => spec.code !== undefined && (parts[i]?.figure.value ?? 0) > 0);
  const perMinute = needsCode
    ? null
    : summedMinutes(
        report,
        specs.map((spec) => spec.signal),
      );
  if (!perMinute || period >= perMinute.length) return { figure: total, over: 'window' };
  const filled = perMinute.map((v) => v ?? 0);
  let sum = filled.slice(0, period).reduce((a, b) => a + b, 0);
  let most = sum;
  for (let i = period; i < filled.length; i++) {
    sum += filled[i]! - filled[i - period]!;
    most = Math.max(most, sum);
  }
  return { figure: { ...total, value: most }, over: 'busiest_stretch' };
}

function verdictOf(figure: number, ceiling: number | null, measured: Figure): ClaimVerdict {
  if (ceiling !== null && figure > ceiling) return 'impossible';
  if (measured.status === 'unavailable') return 'unknown';
  if (figure > measured.value * (1 + MATCH_TOLERANCE)) return 'more_than_measured';
  if (figure < measured.value * (1 - MATCH_TOLERANCE)) return 'fewer_than_measured';
  return 'matches';
}

const NEAREST_CANDIDATES: ReadonlyArray<{ what: string; signal: string }> = [
  { what: "the index's requests", signal: 'requests' },
  { what: "the index's 429s (rate limited)", signal: 'throttled_429' },
  { what: "the index's LB-minted 502s", signal: 'elb_502_index' },
  { what: "the targets' 5xx for the index", signal: 'target_5xx' },
  { what: 'LB-minted 502s on the whole load balancer (all tenants)', signal: 'elb_502' },
  { what: 'requests through the whole load balancer (all tenants)', signal: 'lb_requests' },
];

/** The window total the figure is nearest, when within MATCH_TOLERANCE of it: "they may be counting requests". */
function nearestTotal(report: ReportJson, claim: ClaimQuestion): ClaimAnswer['nearest'] {
  let best: ClaimAnswer['nearest'] = null;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const candidate of NEAREST_CANDIDATES) {
    const figure = signalTotal(report, candidate.signal);
    if (figure.status !== 'ok' || figure.value === 0) continue;
    const gap = Math.abs(claim.figure - figure.value) / figure.value;
    if (gap <= MATCH_TOLERANCE && gap < bestGap) {
      best = { what: candidate.what, value: figure.value };
      bestGap = gap;
    }
  }
  return best;
}

const STATUS_WORDS: Record<ClaimStatus, string> = {
  '502': '502s',
  '503': '503s',
  '504': '504s',
  '5xx': '5xx',
  '429': '429s',
  errors: 'errors',
};

function claimDocument(
  report: ReportJson,
  fmt: TimeFormatter,
  answer: Omit<ClaimAnswer, 'document'>,
  busiestPerMinute: number,
): AnswerDocument {
  const { claim } = answer;
  const window = fmt.range(new Date(report.window.start), new Date(report.window.end));
  const period =
    claim.durationMinutes === null
      ? `${durationText(answer.periodMinutes)} (the window)`
      : durationText(answer.periodMinutes);
  const claimed = `${formatCount(claim.figure)} ${STATUS_WORDS[claim.status]} in ${durationText(answer.periodMinutes)}`;
  const blocks: AnswerBlock[] = [paragraph(strong(`${claimed}: ${VERDICT_WORDS[answer.verdict]}`))];
  blocks.push(paragraph(...ceilingSentence(report, window, answer, busiestPerMinute)));
  blocks.push(paragraph(measuredSentence(answer)));
  const throttled = signalTotal(report, 'throttled_429');
  if (claim.status !== '429' && claim.status !== 'errors' && throttled.status === 'ok' && throttled.value > 0) {
    blocks.push(
      paragraph(
        `Our rate limit answered ${formatCount(throttled.value)} requests with 429 in the window: a dashboard may count those as errors.`,
      ),
    );
  }
  if (answer.nearest)
    blocks.push(
      paragraph(
        `${formatCount(claim.figure)} is close to ${answer.nearest.what}: ${formatCount(answer.nearest.value)} in the window. It may count those.`,
      ),
    );
  if (answer.verdict === 'impossible' || answer.verdict === 'more_than_measured') {
    blocks.push(
      paragraph(
        'Ask what their figure counts (requests, retries, page views or widget refreshes, events in their own tooling) and over which period.',
      ),
    );
  }
  blocks.push(
    note(
      `Checked against the evidence this thread already gathered for ${window}; no new queries.${answer.scaled ? ' Beyond those minutes the figures are scaled, as said.' : ''}`,
    ),
  );
  return {
    title: `Claim check · ${claim.figureText} ${STATUS_WORDS[claim.status]} in ${period} · ${report.index}`,
    blocks,
  };
}

const VERDICT_WORDS: Record<ClaimVerdict, string> = {
  impossible: 'that cannot be HTTP responses from us.',
  more_than_measured: 'more than we measured.',
  matches: 'about what we measured.',
  fewer_than_measured: 'fewer than we measured.',
  unknown: 'the count it needs was not measured.',
};

function ceilingSentence(
  report: ReportJson,
  window: string,
  answer: Omit<ClaimAnswer, 'document'>,
  busiestPerMinute: number,
): Inline[] {
  const { requests, claim } = answer;
  if (requests.window.status === 'unavailable' || requests.ceiling === null)
    return [
      `No requests were measured (${requests.window.reason ?? 'not measured'}), so there is no ceiling to check the figure against.`,
    ];
  const rates =
    requests.perSecondAverage !== null && requests.perSecondBusiestMinute !== null
      ? ` (${formatRate(requests.perSecondAverage)} a second on average, ${formatRate(requests.perSecondBusiestMinute)} in its busiest minute)`
      : '';
  const served: Inline[] =
    requests.scope === 'index'
      ? [code(report.index), ` served ${describeFigure(requests.window)} requests in ${window}${rates}`]
      : [
          `The index's own requests were not measured; the whole load balancer, all tenants, served ${describeFigure(requests.window)} requests in ${window}${rates}`,
        ];
  const times =
    answer.timesCeiling !== null && answer.verdict === 'impossible'
      ? ` ${formatCount(claim.figure)} is ${timesText(answer.timesCeiling)} that.`
      : '';
  if (answer.scaled) {
    const extra = durationText(answer.periodMinutes - answer.measuredMinutes);
    return [
      ...served,
      `. Scaled to ${durationText(answer.periodMinutes)}: about ${formatCount(requests.atAverageRate ?? 0)} at its average rate, and at most ${formatCount(requests.ceiling)} even at its busiest minute's rate (${formatCount(busiestPerMinute)} a minute) for the ${extra} not gathered.${times}`,
    ];
  }
  const stretch =
    answer.periodMinutes < answer.measuredMinutes
      ? ` Its busiest ${durationText(answer.periodMinutes)} held ${formatCount(requests.ceiling)} requests`
      : ` The most ${STATUS_WORDS[claim.status]} ${requests.scope === 'index' ? 'it' : 'the index'} could have given in that time is ${formatCount(requests.ceiling)}, every request failing`;
  const lbRequests = signalTotal(report, 'lb_requests');
  const wholeLb =
    requests.scope === 'index' &&
    answer.verdict === 'impossible' &&
    answer.periodMinutes === answer.measuredMinutes &&
    lbRequests.status === 'ok' &&
    claim.figure > lbRequests.value
      ? ` Even the whole load balancer, all tenants, served ${formatCount(lbRequests.value)} requests in that time.`
      : '';
  return [...served, `.${stretch}.${times}${wholeLb}`];
}

function measuredSentence(answer: Omit<ClaimAnswer, 'document'>): string {
  const { measured, parts, requests } = answer;
  const where = {
    scaled: ` over the window, scaled at the same rate to ${durationText(answer.periodMinutes)}`,
    busiest_stretch: ` in its busiest ${durationText(answer.periodMinutes)}`,
    window: ' in the window',
  }[answer.measuredOver];
  const rate =
    answer.measuredOver === 'window' &&
    measured.status === 'ok' &&
    requests.window.status === 'ok' &&
    measured.value > 0
      ? `, ${describeOneIn(requests.window.value / measured.value)} requests (${formatPercent(percentOf(measured.value, requests.window.value)!)})`
      : '';
  const split =
    parts.length > 1
      ? ` Over the whole window: ${parts.map((p) => `${describeFigure(p.figure)} ${p.what}`).join(', ')}.`
      : '';
  return `Measured ${STATUS_WORDS[answer.claim.status]}${where}: ${describeFigure(measured)}${rate}.${split}`;
}

/** 16.87 → "about 17 times", 2.4 → "2.4 times". */
function timesText(ratio: number): string {
  return ratio >= 10 ? `about ${formatCount(ratio)} times` : `${Math.round(ratio * 10) / 10} times`;
}

/** 180 → "3 h", 90 → "1 h 30 min", 45 → "45 min", 2880 → "48 h". */
export function durationText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes % 60);
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
