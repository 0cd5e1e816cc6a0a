/**
 * "@why502 impact": how much failed over the window, for the index and for the whole load
 * balancer — requests, the 5xx the load balancer minted itself and the 5xx the targets returned,
 * each split 502/503/504, the rate as "1 in N", and the worst minute. From the saved report's
 * signals only; what was not measured is said to be unavailable, never 0. Pure.
 */
import { formatCount, formatPercent, percentOf } from '../core/format-number.js';
import type { ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import { minuteAt } from '../render/chart/minute-values.js';
import { type AnswerDocument, bullets, type Inline, note, paragraph } from './answer-document.js';
import {
  describeFigure,
  describeOneIn,
  type Figure,
  oneIn,
  signalCode,
  signalTotal,
  sumFigures,
  summedMinutes,
  unavailable,
} from './signal-figures.js';

type Code = '502' | '503' | '504';
const CODES: readonly Code[] = ['502', '503', '504'];

export interface FiguresByCode {
  total: Figure;
  byCode: Record<Code, Figure>;
}

export interface WorstMinute {
  /** ISO 8601 UTC minute. */
  minute: string;
  errors: number;
  /** Requests in that minute, when measured. */
  requests: number | null;
}

export interface ScopeImpact {
  requests: Figure;
  /** 5xx the load balancer answered itself (target status "-"). */
  lbMinted: FiguresByCode;
  /** 5xx the targets returned. */
  target: FiguresByCode;
  /** Both together: every 5xx a client got. */
  errors: Figure;
  /** Requests per 5xx; null when unknown or there were none. */
  oneIn: number | null;
  percent: number | null;
  worstMinute: WorstMinute | null;
}

export interface ImpactAnswer {
  kind: 'impact';
  index: ScopeImpact & { throttled: Figure };
  loadBalancer: ScopeImpact;
  document: AnswerDocument;
}

const LB_WIDE_TARGET = 'measured for this index only, not load-balancer-wide';

export function answerImpact(report: ReportJson, fmt: TimeFormatter): ImpactAnswer {
  const index = {
    ...scopeImpact(report, {
      requests: 'requests',
      minted: { '502': 'elb_502_index', '503': 'elb_503_index', '504': 'elb_504_index' },
      target: 'target_5xx',
    }),
    throttled: signalTotal(report, 'throttled_429'),
  };
  const loadBalancer = scopeImpact(report, {
    requests: 'lb_requests',
    minted: { '502': 'elb_502', '503': 'elb_503', '504': 'elb_504' },
    target: null,
  });
  return { kind: 'impact', index, loadBalancer, document: impactDocument(report, fmt, index, loadBalancer) };
}

interface ScopeSignals {
  requests: string;
  minted: Record<Code, string>;
  /** The targets' 5xx signal; null when it is not measured at this scope. */
  target: string | null;
}

function scopeImpact(report: ReportJson, signals: ScopeSignals): ScopeImpact {
  const requests = signalTotal(report, signals.requests);
  const mintedByCode = Object.fromEntries(CODES.map((c) => [c, signalTotal(report, signals.minted[c])])) as Record<
    Code,
    Figure
  >;
  const lbMinted = { total: sumFigures(...CODES.map((c) => mintedByCode[c])), byCode: mintedByCode };
  const target: FiguresByCode = signals.target
    ? {
        total: signalTotal(report, signals.target),
        byCode: Object.fromEntries(CODES.map((c) => [c, signalCode(report, signals.target!, c)])) as Record<
          Code,
          Figure
        >,
      }
    : {
        total: unavailable(LB_WIDE_TARGET),
        byCode: Object.fromEntries(CODES.map((c) => [c, unavailable(LB_WIDE_TARGET)])) as Record<Code, Figure>,
      };
  const errors = signals.target ? sumFigures(lbMinted.total, target.total) : lbMinted.total;
  const ratio = oneIn(errors, requests);
  const errorSignals = [...CODES.map((c) => signals.minted[c]), ...(signals.target ? [signals.target] : [])];
  return {
    requests,
    lbMinted,
    target,
    errors,
    oneIn: ratio,
    percent: errors.status === 'ok' && requests.status === 'ok' ? percentOf(errors.value, requests.value) : null,
    worstMinute: worstMinute(report, errorSignals, signals.requests),
  };
}

function worstMinute(report: ReportJson, errorSignals: readonly string[], requestSignal: string): WorstMinute | null {
  const errors = summedMinutes(report, errorSignals);
  if (!errors) return null;
  const requests = summedMinutes(report, [requestSignal]);
  let worst = -1;
  errors.forEach((count, i) => {
    if (count !== null && count > 0 && (worst === -1 || count > errors[worst]!)) worst = i;
  });
  if (worst === -1) return null;
  return {
    minute: minuteAt(report, worst).toISOString().replace('.000Z', 'Z'),
    errors: errors[worst]!,
    requests: requests?.[worst] ?? null,
  };
}

function impactDocument(
  report: ReportJson,
  fmt: TimeFormatter,
  index: ImpactAnswer['index'],
  loadBalancer: ScopeImpact,
): AnswerDocument {
  const window = fmt.range(new Date(report.window.start), new Date(report.window.end));
  const throttled = index.throttled;
  const throttledPercent =
    throttled.status === 'ok' && index.requests.status === 'ok'
      ? percentOf(throttled.value, index.requests.value)
      : null;
  return {
    title: `Impact · ${report.index} · ${window}`,
    blocks: [
      paragraph(leadText(report.index, index)),
      bullets(
        [
          ...scopeLines(index, fmt),
          [
            `429 rate limited: ${describeFigure(throttled)}${throttledPercent !== null ? ` (${formatPercent(throttledPercent)})` : ''}: answered by the rate limit on purpose, not 5xx`,
          ],
        ],
        `${report.index}`,
      ),
      bullets(scopeLines(loadBalancer, fmt), 'The load balancer, all tenants'),
      note(
        `From the evidence this thread already gathered (${report.sources.map((s) => `${s.name}: ${s.status}`).join('; ')}); no new queries.`,
      ),
    ],
  };
}

/** "prod_000_audio: 163 of its 31,827 requests got a 5xx (1 in 195, 0.51 %), 163 of them minted by the load balancer itself." */
function leadText(name: string, scope: ScopeImpact): string {
  const { errors, requests, lbMinted } = scope;
  if (errors.status !== 'ok' || requests.status !== 'ok')
    return `${name}: the 5xx count is ${describeFigure(errors)}; requests ${describeFigure(requests)}.`;
  if (errors.value === 0) return `${name}: none of its ${formatCount(requests.value)} requests got a 5xx.`;
  const share =
    scope.oneIn !== null && scope.percent !== null
      ? ` (${describeOneIn(scope.oneIn)}, ${formatPercent(scope.percent)})`
      : '';
  const minted =
    lbMinted.total.status === 'ok'
      ? `, ${formatCount(lbMinted.total.value)} of them minted by the load balancer itself`
      : '';
  return `${name}: ${formatCount(errors.value)} of its ${formatCount(requests.value)} requests got a 5xx${share}${minted}.`;
}

function scopeLines(scope: ScopeImpact, fmt: TimeFormatter): Inline[][] {
  const lines: Inline[][] = [
    [`Requests: ${describeFigure(scope.requests)}`],
    [`5xx in all: ${describeFigure(scope.errors)}${rateText(scope)}`],
  ];
  lines.push([`minted by the load balancer itself: ${splitText(scope.lbMinted)}`]);
  lines.push([`returned by the targets: ${splitText(scope.target)}`]);
  const signature = mintedSignature(scope.lbMinted);
  if (signature) lines.push([signature]);
  lines.push(
    scope.worstMinute
      ? worstText(scope.worstMinute, fmt)
      : [`Worst minute: ${scope.errors.status === 'unavailable' ? 'unavailable' : 'none, no minute had a 5xx'}`],
  );
  return lines;
}

function rateText(scope: ScopeImpact): string {
  if (scope.oneIn === null || scope.percent === null) return '';
  return `, ${describeOneIn(scope.oneIn)} requests (${formatPercent(scope.percent)})`;
}

/** "163 (502: 163 · 503: 0 · 504: 0)"; a code whose split was not measured says so. */
function splitText(figures: FiguresByCode): string {
  if (figures.total.status === 'unavailable') return describeFigure(figures.total);
  const codes = CODES.map((c) => {
    const figure = figures.byCode[c];
    return `${c}: ${figure.status === 'unavailable' ? 'unavailable' : formatCount(figure.value)}`;
  });
  return `${describeFigure(figures.total)} (${codes.join(' · ')})`;
}

/** All 502 and measured 0 503/504: connections reset on reuse, not capacity or timeouts (the seed's reading). */
function mintedSignature(minted: FiguresByCode): string | null {
  const [e502, e503, e504] = CODES.map((c) => minted.byCode[c]);
  if (
    e502?.status !== 'ok' ||
    e503?.status !== 'ok' ||
    e504?.status !== 'ok' ||
    e502.value === 0 ||
    e503.value + e504.value > 0
  )
    return null;
  return "The load balancer's own 5xx are all 502s, no 503 or 504: connections reset on reuse, not a lack of healthy targets (503) or slow targets (504).";
}

function worstText(worst: WorstMinute, fmt: TimeFormatter): Inline[] {
  const minute = fmt.minute(new Date(worst.minute));
  if (worst.requests === null || worst.requests === 0)
    return [`Worst minute: ${minute}, ${formatCount(worst.errors)} with a 5xx`];
  const percent = percentOf(worst.errors, worst.requests);
  return [
    `Worst minute: ${minute}, ${formatCount(worst.errors)} of ${formatCount(worst.requests)} requests got a 5xx (${formatPercent(percent!)})`,
  ];
}
