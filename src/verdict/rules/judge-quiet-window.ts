import { formatCount } from '../../core/format-number.js';
import type { Finding, SignalName } from '../../core/types.js';
import type { JudgeContext } from '../judge-context.js';

const ERROR_SIGNALS: Array<[SignalName, string]> = [
  ['origin_5xx', 'origin 5xx'],
  ['throttled_429', '429s'],
  ['target_5xx', 'target 5xx'],
  ['target_connection_errors', 'connection errors'],
  ['elb_502', 'LB-minted 502s'],
  ['elb_503', 'LB-minted 503s'],
  ['elb_504', 'LB-minted 504s'],
];

/** Sources that must be measured to say "no errors": one view of the origin, one of the load balancer. */
const ORIGIN_VIEW: SignalName[] = ['origin_5xx', 'target_5xx'];
const LB_VIEW: SignalName[] = ['elb_502', 'elb_502_index', 'target_connection_errors'];

/** Whether enough was measured to claim a calm window; the names of what was not. */
export function missingViews(ctx: JudgeContext): string[] {
  const missing: string[] = [];
  if (!ORIGIN_VIEW.some((name) => ctx.isMeasured(name))) missing.push(`the origin's answers (${ctx.unavailableReason('origin_5xx')})`);
  if (!LB_VIEW.some((name) => ctx.isMeasured(name))) missing.push(`the load balancer's own errors (${ctx.unavailableReason('elb_502')})`);
  return missing;
}

/** no_errors: nothing above background in the window, every needed view measured. */
export function noErrorsFinding(ctx: JudgeContext, background: Finding[]): Finding {
  const measured = ERROR_SIGNALS.filter(([name]) => ctx.isMeasured(name));
  const totals = measured.map(([name, label]) => `${formatCount(ctx.total(name)!)} ${label}`);
  const atAsked = measured.map(([name, label]) => `${formatCount(ctx.atAsked(name)!)} ${label}`);
  const unmeasured = ERROR_SIGNALS.filter(([name]) => !ctx.isMeasured(name)).map(([, label]) => label);
  const reasons = [
    `At ${ctx.minuteText(ctx.askedIndex)}: ${atAsked.join(', ')}.`,
    `Over ${ctx.windowText()}: ${totals.join(', ')}.`,
  ];
  if (background.length > 0) reasons.push(`Elsewhere in the window, away from the asked time: ${background.map((f) => f.headline).join(' ')}`);
  if (unmeasured.length > 0) reasons.push(`Not measured: ${unmeasured.join(', ')}.`);
  const requests = ctx.requestsTotal();
  if (requests !== null) reasons.push(`${formatCount(requests)} requests for ${ctx.evidence.index} in the window.`);
  const facts: Finding['facts'] = {};
  if (requests !== null) facts.requestsWindow = requests;
  const elb502 = ctx.total('elb_502');
  if (elb502 !== null) facts.elb502Window = elb502;
  return {
    kind: 'no_errors',
    headline: `Nothing above background at ${ctx.minuteText(ctx.askedIndex)}: our load balancer and origin show no errors that explain the report.`,
    confidence: unmeasured.length === 0 ? 'high' : 'medium',
    reasons,
    advice: [
      'Ask the customer for request IDs, exact timestamps with their time zone, and the status codes their client saw.',
      'Check the layers in front of the load balancer (CDN, the customer\'s own proxies): errors they mint never reach our logs.',
    ],
    facts,
  };
}

/** inconclusive: the views needed to decide were not measured; says which and what to check next. */
export function inconclusiveFinding(ctx: JudgeContext, missing: string[]): Finding {
  const failed = ctx.evidence.sources.filter((source) => source.status === 'failed' || source.status === 'not_configured');
  const reasons = [
    `Could not measure ${missing.join(' or ')}.`,
    ...failed.map((source) => `Source ${source.name}: ${source.status.replace('_', ' ')}${source.detail ? ` — ${source.detail.replace(/^(failed|not configured),?\s*/i, '')}` : ''}.`),
    'What was measured shows nothing above background; that alone does not clear the other layers.',
  ];
  return {
    kind: 'inconclusive',
    headline: `Cannot decide which layer produced the errors: ${missing.join(' and ')} could not be measured.`,
    confidence: 'low',
    reasons,
    advice: [
      'Give the missing evidence: --proxy-logs with the HAProxy logs, --alb-logs with the ALB access logs from S3, or an aws: section (proxyLogGroups, loadBalancer, the index\'s targetGroup) in why502.yml.',
      'Check the failed sources\' permissions (logs:StartQuery, logs:GetQueryResults, cloudwatch:GetMetricData) and retry.',
    ],
    facts: { missing: missing.join(', ') },
  };
}
