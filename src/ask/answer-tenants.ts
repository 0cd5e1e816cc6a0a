/**
 * "@why502 tenants": which target groups (tenants) behind the load balancer had errors the load
 * balancer minted itself, how many each, and this index's share — "is it everyone or just us?".
 * Needs the access logs' per-target-group counts (`report.tenants`); without them it says they
 * were not read, and gives what the report does know (the LB-wide and the index's own counts). Pure.
 */
import { formatCount, formatPercent, percentOf } from '../core/format-number.js';
import type { ReportJson, TenantJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import {
  type AnswerBlock,
  type AnswerDocument,
  code,
  type Inline,
  note,
  paragraph,
  strong,
  table,
} from './answer-document.js';
import { describeFigure, describeOneIn, signalTotal, sumFigures } from './signal-figures.js';

/**
 * everyone: spread over the tenants roughly as traffic is; mostly_us / just_us: concentrated on
 * this index; not_us: others only; none: no LB-minted errors at all; unknown: not read.
 */
export type TenantSpread = 'everyone' | 'mostly_us' | 'just_us' | 'not_us' | 'none' | 'unknown';

export interface TenantErrors {
  name: string;
  isIndex: boolean;
  requests: number;
  elb502: number;
  elb503: number;
  elb504: number;
  total: number;
}

export interface TenantsAnswer {
  kind: 'tenants';
  spread: TenantSpread;
  /** Target groups with LB-minted errors, most first; null when the access logs were not read. */
  withErrors: TenantErrors[] | null;
  targetGroupsSeen: number | null;
  /**
   * This index's LB-minted errors, its shares of all of them and of the requests (percent), and its
   * error rate against the other target groups' (how many times theirs; null when they had none).
   */
  index: {
    errors: number;
    errorSharePercent: number | null;
    requestSharePercent: number | null;
    timesOthersRate: number | null;
  } | null;
  document: AnswerDocument;
}

/** How many target groups the answer lists by name; the rest are summed in one line. */
const MAX_LISTED = 12;
/** "Mostly us": at least half the errors, at more than twice the other target groups' rate per request. */
const MOSTLY_SHARE = 0.5;
const OVER_OTHERS_FACTOR = 2;

export function answerTenants(report: ReportJson, fmt: TimeFormatter): TenantsAnswer {
  if (!report.tenants) return notRead(report, fmt);
  const all = report.tenants.map(tenantErrors);
  const withErrors = all
    .filter((t) => t.total > 0)
    .sort((a, b) => b.total - a.total || b.requests - a.requests || compareText(a.name, b.name));
  const total = all.reduce((sum, t) => sum + t.total, 0);
  const requests = all.reduce((sum, t) => sum + t.requests, 0);
  const own = all.filter((t) => t.isIndex);
  const ownErrors = own.reduce((sum, t) => sum + t.total, 0);
  const ownRequests = own.reduce((sum, t) => sum + t.requests, 0);
  const othersRate = requests - ownRequests > 0 ? (total - ownErrors) / (requests - ownRequests) : 0;
  const index =
    own.length === 0
      ? null
      : {
          errors: ownErrors,
          errorSharePercent: percentOf(ownErrors, total),
          requestSharePercent: percentOf(ownRequests, requests),
          timesOthersRate: othersRate > 0 && ownRequests > 0 ? ownErrors / ownRequests / othersRate : null,
        };
  const spread = spreadOf(total, index);
  return {
    kind: 'tenants',
    spread,
    withErrors,
    targetGroupsSeen: all.length,
    index,
    document: tenantsDocument(report, fmt, { spread, withErrors, seen: all.length, total, index }),
  };
}

function tenantErrors(tenant: TenantJson): TenantErrors {
  return {
    name: tenant.name,
    isIndex: tenant.isIndex,
    requests: tenant.requests,
    elb502: tenant.elb502,
    elb503: tenant.elb503,
    elb504: tenant.elb504,
    total: tenant.elb502 + tenant.elb503 + tenant.elb504,
  };
}

function spreadOf(total: number, index: TenantsAnswer['index']): TenantSpread {
  if (total === 0) return 'none';
  if (index === null) return 'unknown';
  if (index.errors === total) return 'just_us';
  if (index.errors === 0) return 'not_us';
  const errorShare = (index.errorSharePercent ?? 0) / 100;
  const overOthers = index.timesOthersRate === null || index.timesOthersRate > OVER_OTHERS_FACTOR;
  return errorShare >= MOSTLY_SHARE && overOthers ? 'mostly_us' : 'everyone';
}

interface Facts {
  spread: TenantSpread;
  withErrors: TenantErrors[];
  seen: number;
  total: number;
  index: TenantsAnswer['index'];
}

function tenantsDocument(report: ReportJson, fmt: TimeFormatter, facts: Facts): AnswerDocument {
  const window = fmt.range(new Date(report.window.start), new Date(report.window.end));
  const listed = facts.withErrors.slice(0, MAX_LISTED);
  const rest = facts.withErrors.slice(MAX_LISTED);
  const rows = listed.map((t) => [
    t.isIndex ? `${t.name} (this index)` : t.name,
    formatCount(t.requests),
    formatCount(t.elb502),
    formatCount(t.elb503),
    formatCount(t.elb504),
    t.total > 0 && t.requests > 0 ? describeOneIn(t.requests / t.total) : '—',
  ]);
  if (rest.length > 0) {
    const sum = (pick: (t: TenantErrors) => number) => formatCount(rest.reduce((s, t) => s + pick(t), 0));
    rows.push([
      `${rest.length} more target groups`,
      sum((t) => t.requests),
      sum((t) => t.elb502),
      sum((t) => t.elb503),
      sum((t) => t.elb504),
      '',
    ]);
  }
  const blocks: AnswerBlock[] = [paragraph(...spreadSentence(report.index, facts))];
  if (rows.length > 0)
    blocks.push(
      table(['target group', 'requests', '502', '503', '504', 'rate'], rows, [
        'left',
        'right',
        'right',
        'right',
        'right',
        'right',
      ]),
    );
  blocks.push(
    note(
      `LB-minted: the load balancer answered itself, target status "-". From the access logs of ${window}, all ${formatCount(facts.seen)} target groups they saw; no new queries.`,
    ),
  );
  return { title: `Tenants · LB-minted errors by target group · ${window}`, blocks };
}

function spreadSentence(name: string, facts: Facts): Inline[] {
  const groups = `${formatCount(facts.withErrors.length)} of the ${formatCount(facts.seen)} target groups`;
  const own = facts.index;
  const share =
    own && own.errorSharePercent !== null
      ? `${formatCount(own.errors)} of the ${formatCount(facts.total)} (${formatPercent(own.errorSharePercent)})`
      : '';
  const traffic = own?.requestSharePercent != null ? `${formatPercent(own.requestSharePercent)} of the requests` : '';
  switch (facts.spread) {
    case 'none':
      return [strong('No one: '), `no target group had an LB-minted 502, 503 or 504 in the window.`];
    case 'just_us':
      return [
        strong('Just us: '),
        `all ${formatCount(facts.total)} LB-minted errors were ${name}'s; no other target group had any.`,
      ];
    case 'not_us':
      return [
        strong('Not us: '),
        `${name} had none of the ${formatCount(facts.total)} LB-minted errors; ${groups} had them.`,
      ];
    case 'mostly_us':
      return [
        strong('Mostly us: '),
        `${name} had ${share} of the LB-minted errors, with ${traffic}: ${inLine(own!)}; ${groups} had some.`,
      ];
    case 'everyone':
      return [
        strong('Everyone: '),
        `${groups} had LB-minted errors. ${name} had ${share}, with ${traffic}: ${inLine(own!)}.`,
      ];
    case 'unknown':
      return [
        strong('Spread: '),
        `${groups} had LB-minted errors (${formatCount(facts.total)} in all); ${name}'s own target group is not named in the config, so its share is not known.`,
      ];
  }
}

/** "about the others' rate", "3.2 times the others' rate per request". */
function inLine(own: NonNullable<TenantsAnswer['index']>): string {
  const times = own.timesOthersRate;
  if (times === null) return 'the others had none';
  if (times <= 1.5 && times >= 1 / 1.5) return "about the other target groups' rate per request";
  return times > 1
    ? `${Math.round(times * 10) / 10} times the other target groups' rate per request`
    : `less than the other target groups' rate per request`;
}

/** Without per-target-group counts: say so, then what the report does know. */
function notRead(report: ReportJson, fmt: TimeFormatter): TenantsAnswer {
  const window = fmt.range(new Date(report.window.start), new Date(report.window.end));
  const lbWide = sumFigures(
    signalTotal(report, 'elb_502'),
    signalTotal(report, 'elb_503'),
    signalTotal(report, 'elb_504'),
  );
  const own = sumFigures(
    signalTotal(report, 'elb_502_index'),
    signalTotal(report, 'elb_503_index'),
    signalTotal(report, 'elb_504_index'),
  );
  const tenantCount = [report.verdict, ...report.findings]
    .map((f) => f.facts.tenantCount)
    .find((v): v is number => typeof v === 'number');
  const ownShare = own.status === 'ok' && lbWide.status === 'ok' ? percentOf(own.value, lbWide.value) : null;
  const known: AnswerBlock[] = [
    paragraph(
      `On the whole load balancer: ${describeFigure(lbWide)} LB-minted 5xx; for `,
      code(report.index),
      `: ${describeFigure(own)}${ownShare !== null ? ` (${formatPercent(ownShare)} of them)` : ''}.`,
    ),
  ];
  if (tenantCount !== undefined)
    known.push(paragraph(`The verdict counted LB-minted 502s on ${formatCount(tenantCount)} target groups.`));
  return {
    kind: 'tenants',
    spread: 'unknown',
    withErrors: null,
    targetGroupsSeen: null,
    index:
      own.status === 'ok'
        ? { errors: own.value, errorSharePercent: ownShare, requestSharePercent: null, timesOthersRate: null }
        : null,
    document: {
      title: `Tenants · ${window}`,
      blocks: [
        paragraph(
          'The per-target-group counts were not read for this report, so I cannot list which tenants had LB-minted errors: they come from the ALB access logs (files or Athena); CloudWatch metrics have no per-target-group count of LB-minted errors.',
        ),
        ...known,
      ],
    },
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
