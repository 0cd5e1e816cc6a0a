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

/** The signal names behind the missing views (FACT_KEYS: inconclusive.missing). */
function missingSignalNames(ctx: JudgeContext): string[] {
  const seesAsked = (name: SignalName) => ctx.atAsked(name) !== null;
  const names: SignalName[] = [];
  if (!ORIGIN_VIEW.some(seesAsked)) names.push(...ORIGIN_VIEW);
  if (!LB_VIEW.some(seesAsked)) names.push(...LB_VIEW);
  return names;
}

/** Whether enough was measured to claim a calm window; the names of what was not. */
export function missingViews(ctx: JudgeContext): string[] {
  const missing: string[] = [];
  // A view counts only if it measured the asked minute: logs that stop before it prove nothing about it.
  const seesAsked = (name: SignalName) => ctx.atAsked(name) !== null;
  const why = (name: SignalName) =>
    ctx.isMeasured(name) ? `no log covers ${ctx.minuteText(ctx.askedIndex)}` : ctx.unavailableReason(name);
  if (!ORIGIN_VIEW.some(seesAsked)) missing.push(`the origin's answers (${why('origin_5xx')})`);
  if (!LB_VIEW.some(seesAsked)) missing.push(`the load balancer's own errors (${why('elb_502')})`);
  return missing;
}

/** no_errors: nothing above background in the window, every needed view measured. */
export function noErrorsFinding(ctx: JudgeContext, background: Finding[]): Finding {
  const measured = ERROR_SIGNALS.filter(([name]) => ctx.isMeasured(name));
  const totals = measured.map(([name, label]) => `${formatCount(ctx.total(name)!)} ${label}`);
  const atAsked = measured.map(([name, label]) => {
    const count = ctx.atAsked(name);
    return count === null ? `${label} not covered` : `${formatCount(count)} ${label}`;
  });
  const partial = measured.filter(([name]) => ctx.signal(name)?.status === 'partial').map(([, label]) => label);
  const unmeasured = ERROR_SIGNALS.filter(([name]) => !ctx.isMeasured(name)).map(([, label]) => label);
  const reasons = [
    `At ${ctx.minuteText(ctx.askedIndex)}: ${atAsked.join(', ')}.`,
    `Over ${ctx.windowText()}: ${totals.join(', ')}.`,
  ];
  // A stray error in the asked minute itself is too small to explain a report, not far from it.
  const errorsAtAsked = measured.some(([name]) => (ctx.atAsked(name) ?? 0) > 0);
  const backgroundLead = errorsAtAsked
    ? 'Also in the window, too few to explain the report'
    : 'Elsewhere in the window, away from the asked time';
  if (background.length > 0) reasons.push(`${backgroundLead}: ${background.map((f) => f.headline).join(' ')}`);
  if (unmeasured.length > 0) reasons.push(`Not measured: ${unmeasured.join(', ')}.`);
  if (partial.length > 0)
    reasons.push(
      `Measured over part of the window only: ${partial.join(', ')} (${ctx.signal(ERROR_SIGNALS.find(([, label]) => label === partial[0])![0])?.reason ?? 'partial source'}).`,
    );
  const requests = ctx.requestsTotal();
  if (requests !== null) reasons.push(`${formatCount(requests)} requests for ${ctx.evidence.index} in the window.`);
  const facts: Finding['facts'] = {};
  if (requests !== null) facts.requestsWindow = requests;
  const elb502 = ctx.total('elb_502');
  if (elb502 !== null) facts.elb502Window = elb502;
  return {
    kind: 'no_errors',
    headline: `Nothing above background at ${ctx.minuteText(ctx.askedIndex)}: ${quietLayers(ctx)} no errors that explain the report${partial.length > 0 ? ' (over the part of the window the logs cover)' : ''}.`,
    confidence: unmeasured.length === 0 && partial.length === 0 ? 'high' : partial.length > 0 ? 'low' : 'medium',
    reasons,
    advice: [
      'Ask the customer for request IDs, exact timestamps with their time zone, and the status codes their client saw.',
      "Check the layers in front of the load balancer (CDN, the customer's own proxies): errors they mint never reach our logs.",
    ],
    facts,
  };
}

/** "our load balancer and origin show", or only the layers actually measured, with the verb that agrees. */
function quietLayers(ctx: JudgeContext): string {
  const origin = ORIGIN_VIEW.some((name) => ctx.isMeasured(name));
  const lb = LB_VIEW.some((name) => ctx.isMeasured(name));
  if (origin && lb) return 'our load balancer and origin show';
  return origin
    ? 'our origin (the load balancer was not measured) shows'
    : 'our load balancer (the origin was not measured) shows';
}

/** inconclusive: the views needed to decide were not measured; says which and what to check next. */
export function inconclusiveFinding(ctx: JudgeContext, missing: string[]): Finding {
  const sources = ctx.evidence.sources;
  const failed = sources.filter((source) => source.status === 'failed' || source.status === 'not_configured');
  const anythingMeasured = ERROR_SIGNALS.some(([name]) => ctx.isMeasured(name));
  const reasons = [
    `Could not measure ${missing.join(' or ')}.`,
    ...failed.map(
      (source) =>
        `Source ${source.name}: ${source.status.replace('_', ' ')}${source.detail ? ` — ${source.detail.replace(/^(failed|not configured),?\s*/i, '')}` : ''}.`,
    ),
    anythingMeasured
      ? 'What was measured shows nothing above background; that alone does not clear the other layers.'
      : 'Nothing could be measured for this index in this window.',
  ];
  return {
    kind: 'inconclusive',
    headline: `Cannot decide which layer produced the errors: ${missing.join(' and ')} could not be measured.`,
    confidence: 'low',
    reasons,
    advice: inconclusiveAdvice(ctx),
    facts: { missing: missingSignalNames(ctx).join(', ') },
  };
}

/** Next steps that fit what failed: files that miss the window or the index, or CloudWatch access. */
function inconclusiveAdvice(ctx: JudgeContext): string[] {
  const sources = ctx.evidence.sources;
  const fromCloudWatch = sources.some((source) => /Logs Insights|GetMetricData|CloudWatch/.test(source.name));
  const reasons = Object.values(ctx.evidence.signals).map((series) => series?.reason ?? '');
  const advice: string[] = [];
  if (reasons.some((reason) => reason.includes('not the window') || reason.includes('hold no valid entries')))
    advice.push(
      'The log files do not cover the asked time: check the date, time and zone asked (a time without a date means its most recent occurrence), or get the logs for that window (ALB logs are delivered 5–10 minutes late, in folders by delivery date).',
    );
  if (reasons.some((reason) => /given miss|the proxy logs miss/.test(reason)))
    advice.push(
      reasons.some((reason) => reason.includes('ALB access logs given miss'))
        ? 'Get the ALB files for the missing minutes and run it again: each load-balancer node writes one .log.gz per 5 minutes under AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd/, and S3 can deliver them late — list that folder for the minutes named above.'
        : 'Get the proxy logs for the missing minutes (an hourly file not copied, or one cut short) and run it again.',
    );
  if (reasons.some((reason) => reason.includes('matched the index')))
    advice.push(
      `No log entry matched ${ctx.evidence.index}: check the index name, or its targetGroup / match in why502.yml.`,
    );
  const notGiven = sources.filter((source) => source.status === 'not_configured').map((source) => source.name);
  if (notGiven.length > 0 && !fromCloudWatch)
    advice.push(
      `Give the missing logs: ${notGiven.map((name) => (name.startsWith('ALB') ? '--alb-logs <ALB access logs from S3>' : '--proxy-logs <HAProxy logs>')).join(' and ')}.`,
    );
  if (fromCloudWatch && sources.some((source) => source.status === 'failed'))
    advice.push(
      'Check the failed CloudWatch sources: credentials, region, and the permissions logs:StartQuery, logs:GetQueryResults and cloudwatch:GetMetricData; then retry.',
    );
  if (advice.length === 0)
    advice.push(
      "Give the missing evidence: --alb-logs and --proxy-logs with the logs for the window, or an aws: section (proxyLogGroups, loadBalancer, the index's targetGroup) in why502.yml.",
    );
  return advice;
}
