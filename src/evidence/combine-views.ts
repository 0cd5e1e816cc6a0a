import { formatCount } from '../core/format-number.js';
import {
  CONTRACT_SIGNAL_NAMES,
  type Evidence,
  type EvidenceContext,
  type InvestigationCommand,
  type MinuteRange,
  type SignalMap,
  type SignalName,
  type SignalScope,
  type SignalSeries,
  type TenantActivity,
} from '../core/types.js';
import { type AlbCounts, albSignals, targetGroupsWith502 } from './alb-counts.js';
import { detectLineGaps } from './detect-line-gaps.js';
import { detectProxyHoles } from './detect-proxy-holes.js';
import { isoMinute, minuteStart, zeroCounts } from './minute-buckets.js';
import { coverageMask, unionRanges } from './minute-coverage.js';
import { partialSeries, unavailableSeries } from './signal-series.js';
import {
  type AbsentView,
  type AccessLogView,
  absentView,
  type EdgeView,
  isPresent,
  type MetricsView,
  type ProxyView,
  type Views,
} from './views.js';

export interface CombineContext {
  command: InvestigationCommand;
  idleTimeoutSeconds: number;
  slowRequestSeconds: number;
  /** The index's target group (CloudWatch dimension form), to mark its tenant. */
  indexTargetGroup?: string | undefined;
  /** Index names by target group (the config's indexes), to name neighbours. */
  tenantNames?: Record<string, string>;
}

type ViewName = Exclude<keyof Views, never>;

/**
 * THE rule for which view measures which signal, written once: the first view in the list
 * that measured the signal over the whole window wins; else the first that measured part of
 * it; else the signal is unavailable with the first view's reason. A view marked
 * `ifNoAccessLogs` is used only when no access logs were given at all (the proxy's request
 * count stands in for the ALB's only then: given but unusable access logs are a config
 * mismatch to report, not to paper over).
 */
const SIGNAL_VIEWS: Record<SignalName, ReadonlyArray<{ view: ViewName; ifNoAccessLogs?: true }>> = {
  requests: [{ view: 'accessLogs' }, { view: 'metrics' }, { view: 'proxy', ifNoAccessLogs: true }],
  origin_5xx: [{ view: 'proxy' }],
  // The ALB sees the proxy's 429s as target status 429: the fallback when the proxy's own view has holes.
  throttled_429: [{ view: 'proxy' }, { view: 'accessLogs' }],
  target_5xx: [{ view: 'accessLogs' }, { view: 'metrics' }],
  // A GCP load balancer's own logs say when it failed to connect; an ALB's do not (metric only).
  target_connection_errors: [{ view: 'metrics' }, { view: 'accessLogs' }],
  elb_502: [{ view: 'accessLogs' }, { view: 'metrics' }],
  elb_502_index: [{ view: 'accessLogs' }],
  elb_503: [{ view: 'accessLogs' }, { view: 'metrics' }],
  elb_504: [{ view: 'accessLogs' }, { view: 'metrics' }],
  slow_requests: [{ view: 'accessLogs' }, { view: 'proxy' }],
  lb_requests: [{ view: 'accessLogs' }, { view: 'metrics' }],
  proxy_requests: [{ view: 'proxy' }],
  target_4xx: [{ view: 'accessLogs' }, { view: 'metrics' }],
  elb_503_index: [{ view: 'accessLogs' }],
  elb_504_index: [{ view: 'accessLogs' }],
  healthy_hosts: [{ view: 'metrics' }],
  unhealthy_hosts: [{ view: 'metrics' }],
  edge_requests: [{ view: 'edge' }],
  edge_5xx: [{ view: 'edge' }],
  edge_minted_5xx: [{ view: 'edge' }],
  edge_passed_5xx: [{ view: 'edge' }],
};

/** Signals every report carries (CONTRACT §3); context signals appear only when some view measured them. */
const ALWAYS_PRESENT: readonly SignalName[] = CONTRACT_SIGNAL_NAMES;

const LOAD_BALANCER_SCOPE: ReadonlySet<SignalName> = new Set(['elb_502', 'elb_503', 'elb_504', 'lb_requests']);

/** Why a signal is not measured when the one view that could measure it is absent. */
const ONLY_FROM: Partial<Record<SignalName, string>> = {
  target_connection_errors:
    'a CloudWatch metric only (TargetConnectionErrorCount); access logs do not record failed connections',
  elb_502_index:
    'no per-target-group ELB 502 metric in CloudWatch; see target_connection_errors, or give ALB access logs (--alb-logs, or aws.athena)',
};

/**
 * The one pure step from views to evidence: cross-checks between views (a proxy hole shows
 * against the ALB's target answers), then per signal the view that measured it.
 */
export function combineViews(given: Views, context: CombineContext): Evidence {
  const views: Required<Views> = { ...given, edge: given.edge ?? absentView('no edge logs given (--edge-logs)') };
  const accessLogs = isPresent(views.accessLogs) ? views.accessLogs : null;
  const metrics = isPresent(views.metrics) ? views.metrics : null;
  const proxy = isPresent(views.proxy)
    ? withHolesSeenFromTheLoadBalancer(views.proxy, accessLogs, metrics, context.command)
    : null;
  const edge = isPresent(views.edge) ? views.edge : null;
  const bySignal: Record<ViewName, Partial<Record<SignalName, SignalSeries>> | null> = {
    accessLogs: accessLogs ? accessLogSignals(accessLogs) : null,
    metrics: metrics ? metrics.signals : null,
    proxy: proxy ? proxySignals(proxy) : null,
    edge: edge ? withProblem({ ...edge.signals }, edge.problem, edge.uncovered) : null,
  };
  const reasons: Record<ViewName, string> = {
    accessLogs: viewReason(views.accessLogs, accessLogs),
    metrics: viewReason(views.metrics, metrics),
    proxy: viewReason(views.proxy, proxy),
    edge: viewReason(views.edge, edge),
  };
  const attempted: Record<ViewName, boolean> = {
    accessLogs: wasAttempted(views.accessLogs),
    metrics: wasAttempted(views.metrics),
    proxy: wasAttempted(views.proxy),
    edge: wasAttempted(views.edge),
  };
  const signals: Partial<SignalMap> = {};
  for (const name of Object.keys(SIGNAL_VIEWS) as SignalName[]) {
    const chosen = chooseSeries(name, bySignal, reasons, attempted.accessLogs, attempted);
    if (chosen)
      signals[name] =
        name === 'slow_requests' && chosen.status === 'unavailable' && metrics
          ? withResponseTimeHint(chosen, metrics, context.command)
          : chosen;
  }
  return {
    index: context.command.index,
    at: context.command.asked.at,
    window: context.command.window,
    signals: signals as SignalMap,
    sources: [...views.edge.sources, ...views.accessLogs.sources, ...views.proxy.sources, ...views.metrics.sources],
    context: { ...evidenceContext(accessLogs, metrics, context), ...stackOf(accessLogs, edge) },
    ...(accessLogs?.samples ? { samples: accessLogs.samples } : {}),
  };
}

function chooseSeries(
  name: SignalName,
  bySignal: Record<ViewName, Partial<Record<SignalName, SignalSeries>> | null>,
  reasons: Record<ViewName, string>,
  accessLogsGiven: boolean,
  attempted: Record<ViewName, boolean>,
): SignalSeries | null {
  const candidates = SIGNAL_VIEWS[name]
    .filter(({ ifNoAccessLogs }) => !(ifNoAccessLogs && accessLogsGiven))
    .map(({ view }) => ({ view, series: bySignal[view]?.[viewSignalName(name, view)] }));
  const measured = candidates.filter((c): c is { view: ViewName; series: SignalSeries } => c.series !== undefined);
  const best =
    measured.find((c) => c.series.status === 'ok') ??
    measured.find((c) => c.series.status === 'partial') ??
    measured[0];
  if (best) return best.series;
  if (!ALWAYS_PRESENT.includes(name)) return null;
  const scope: SignalScope = LOAD_BALANCER_SCOPE.has(name) ? 'loadBalancer' : 'index';
  // The reason of the first view that was tried (a failed query says more than "not configured").
  const views = SIGNAL_VIEWS[name].map(({ view }) => view);
  const tried = views.find((view) => attempted[view]);
  if (tried) return unavailableSeries(scope, reasons[tried]);
  return unavailableSeries(scope, ONLY_FROM[name] ?? views.map((view) => reasons[view]).join('; '));
}

/** The access-log view measures the proxy's 429s as its own target_429. */
function viewSignalName(name: SignalName, view: ViewName): SignalName {
  return view === 'accessLogs' && name === 'throttled_429' ? ('target_429' as SignalName) : name;
}

function wasAttempted<T extends object>(view: T | AbsentView): boolean {
  return isPresent(view) || view.attempted;
}

function viewReason<T extends object>(view: T | AbsentView, present: T | null): string {
  if (!isPresent(view)) return view.reason;
  const problem = (present as { problem?: { reason: string } | null } | null)?.problem;
  return problem?.reason ?? 'not measured';
}

/** The access-log view's signals: partial over its holes, unavailable for the index when nothing matched it. */
function accessLogSignals(view: AccessLogView): Partial<Record<SignalName | 'target_429', SignalSeries>> | null {
  if (!view.counts || view.problem?.status === 'unavailable') return null;
  const signals = { ...albSignals(view.counts, view.name), ...view.extraSignals } as Record<string, SignalSeries>;
  return withoutUnmatchedIndex(withProblem(signals, view.problem, view.uncovered), view.inWindow, view.forIndex, 'ALB');
}

function proxySignals(view: ProxyView): Partial<Record<SignalName, SignalSeries>> | null {
  if (!view.signals || view.problem?.status === 'unavailable') return null;
  const signals = withoutUnmatchedIndex(
    withProblem({ ...view.signals }, view.problem, view.uncovered),
    view.inWindow,
    view.forIndex,
    'proxy',
  );
  return { ...signals, proxy_requests: signals.requests! };
}

function withProblem(
  signals: Record<string, SignalSeries>,
  problem: { status: string; reason: string } | null,
  uncovered: readonly MinuteRange[],
): Record<string, SignalSeries> {
  if (problem?.status !== 'partial') return signals;
  return Object.fromEntries(
    Object.entries(signals).map(([name, series]) => [name, partialSeries(series, problem.reason, uncovered)]),
  );
}

/**
 * Logs with entries in the window but none for the index say nothing about the index: most
 * likely its targetGroup or match does not fit these logs. Its numbers would be false zeros,
 * so the index's signals become unavailable (load-balancer-wide ones stay).
 */
function withoutUnmatchedIndex(
  signals: Record<string, SignalSeries>,
  inWindow: number | null,
  forIndex: number | null,
  what: string,
): Record<string, SignalSeries> {
  if (inWindow === null || forIndex === null || forIndex > 0 || inWindow === 0) return signals;
  const reason = `no ${what} log entries matched the index in the window (${formatCount(inWindow)} entries for other requests): check its targetGroup / match in why502.yml`;
  return Object.fromEntries(
    Object.entries(signals).map(([name, series]) => [
      name,
      series.scope === 'index' ? unavailableSeries('index', reason, series.source) : series,
    ]),
  );
}

/**
 * Proxy minutes the load balancer saw its targets answer as usual while the proxy logged next
 * to nothing are holes in the proxy's logs (an hourly file not copied, a .gz cut short, events
 * not yet ingested): they are left out, never read as "no 429s" or "no 5xx". With access logs
 * the comparison is exact (target answers = requests − LB-minted); with metrics only, a silent
 * minute of a busy log group while RequestCount counted requests is a hole.
 */
function withHolesSeenFromTheLoadBalancer(
  proxy: ProxyView,
  accessLogs: AccessLogView | null,
  metrics: MetricsView | null,
  command: InvestigationCommand,
): ProxyView {
  const proxyRequests = proxy.signals?.requests.counts;
  if (!proxyRequests || proxy.problem?.status === 'unavailable') return proxy;
  const found = accessLogs?.counts
    ? holesAgainstTargetAnswers(proxyRequests, accessLogs.counts, accessLogs.uncovered)
    : proxy.silenceIsHoleWhenAlbBusy && metrics
      ? silencesWhileAlbBusy(proxyRequests, metrics.signals.requests ?? null)
      : null;
  if (!found) return proxy;
  const fresh = found.holes.filter(([first, last]) => !proxy.uncovered.some(([a, b]) => first >= a && last <= b));
  if (fresh.length === 0) return proxy;
  const note = found.describe(fresh, (index) => isoMinute(minuteStart(command.window, index)).slice(11, 16));
  return {
    ...proxy,
    uncovered: unionRanges(proxy.uncovered, fresh),
    problem: { status: 'partial', reason: proxy.problem ? `${proxy.problem.reason}; ${note}` : note },
  };
}

interface FoundHoles {
  holes: MinuteRange[];
  describe: (holes: MinuteRange[], utc: (index: number) => string) => string;
}

const spans = (holes: MinuteRange[], utc: (index: number) => string) =>
  holes.map(([a, b]) => (a === b ? utc(a) : `${utc(a)}–${utc(b)}`)).join(', ');

function holesAgainstTargetAnswers(
  proxyRequests: readonly number[],
  counts: AlbCounts,
  albUncovered: readonly MinuteRange[],
): FoundHoles | null {
  const { requests, elb502Index, elb503Index, elb504Index } = counts.perMinute;
  const answered = requests.map((n, i) => n - elb502Index[i]! - elb503Index[i]! - elb504Index[i]!);
  const holes = detectProxyHoles({
    proxyPerMinute: proxyRequests,
    albAnsweredPerMinute: answered,
    albCovered: coverageMask(albUncovered, answered.length),
  })
    // A single short minute may be chance; a stretch, or a busy minute, is not.
    .filter(([first, last]) => last - first >= 1 || answered[first]! >= 20);
  if (holes.length === 0) return null;
  const sum = (values: readonly number[], ranges: MinuteRange[]) =>
    ranges.reduce((total, [a, b]) => total + values.slice(a, b + 1).reduce((x, y) => x + y, 0), 0);
  return {
    holes,
    describe: (fresh, utc) =>
      `the proxy logs miss ${spans(fresh, utc)} UTC: the ALB's targets answered ${formatCount(sum(answered, fresh))} requests for the index then and the proxy logged ${formatCount(sum(proxyRequests, fresh))}; those minutes are left out, not counted as zero`,
  };
}

function silencesWhileAlbBusy(proxyRequests: readonly number[], albRequests: SignalSeries | null): FoundHoles | null {
  if (proxyRequests.every((n) => n === 0)) return null; // nothing matched: said elsewhere
  const albCounts = albRequests?.status === 'unavailable' ? null : (albRequests?.counts ?? null);
  const gaps = detectLineGaps({
    entriesPerMinute: proxyRequests,
    entriesBefore: true,
    entriesAfter: true,
    detectCollapse: false,
  });
  const holes = gaps
    .map((gap) => gap.range)
    .flatMap(([first, last]) =>
      albCounts ? minutesWithTraffic(albCounts, first, last) : [[first, last] as MinuteRange],
    );
  if (holes.length === 0) return null;
  return {
    holes,
    describe: (fresh, utc) =>
      `Logs Insights returned no events for the index in ${spans(fresh, utc)} UTC while the load balancer counted requests for it (not yet ingested, or not shipped): those minutes are left out, not counted as zero`,
  };
}

/** The stretches of [first, last] in which the ALB counted requests. */
function minutesWithTraffic(counts: readonly number[], first: number, last: number): MinuteRange[] {
  const ranges: MinuteRange[] = [];
  for (let i = first; i <= last; i++) {
    if ((counts[i] ?? 0) === 0) continue;
    const previous = ranges[ranges.length - 1];
    if (previous && previous[1] === i - 1) previous[1] = i;
    else ranges.push([i, i]);
  }
  return ranges;
}

/** slow_requests needs a count; the ALB's TargetResponseTime only says how slow the slowest was. */
function withResponseTimeHint(series: SignalSeries, metrics: MetricsView, command: InvestigationCommand): SignalSeries {
  const values = metrics.responseTimeMaxSeconds ?? [];
  let peak = -1;
  for (let minute = 0; minute < values.length; minute++) {
    const seconds = values[minute];
    if (seconds != null && (peak < 0 || seconds > values[peak]!)) peak = minute;
  }
  if (peak < 0)
    return { ...series, reason: `slow requests are counted from the proxy logs: ${series.reason ?? 'not measured'}` };
  const hint = `; the ALB's TargetResponseTime (a maximum, not a count) peaked at ${values[peak]!.toFixed(2)} s at ${isoMinute(minuteStart(command.window, peak))}`;
  return {
    ...series,
    reason: `slow requests are counted from the proxy logs: ${series.reason ?? 'not measured'}${hint}`,
  };
}

function evidenceContext(
  accessLogs: AccessLogView | null,
  metrics: MetricsView | null,
  context: CombineContext,
): EvidenceContext {
  const counts = accessLogs?.problem?.status === 'unavailable' ? null : (accessLogs?.counts ?? null);
  return {
    idleTimeoutSeconds: context.idleTimeoutSeconds,
    slowRequestSeconds: context.slowRequestSeconds,
    elb502TargetGroups: counts ? targetGroupsWith502(counts) : null,
    targetGroupsSeen: counts ? Object.keys(counts.targetGroups).length : null,
    tenants: counts ? tenantActivity(counts, context) : null,
    ...(metrics && metrics.periodSeconds > 60 ? { metricPeriodSeconds: metrics.periodSeconds } : {}),
  };
}

/** Which stack the views came from, when not the default ALB without an edge: advice and wording follow it. */
function stackOf(accessLogs: AccessLogView | null, edge: EdgeView | null): Pick<EvidenceContext, 'stack'> {
  const loadBalancer = accessLogs?.loadBalancer ?? 'alb';
  if (loadBalancer === 'alb' && !edge) return {};
  return { stack: { loadBalancer, ...(edge ? { edge: edge.kind } : {}) } };
}

/** The target groups the access logs saw, named, with their LB-minted errors. */
export function tenantActivity(
  counts: AlbCounts,
  context: Pick<CombineContext, 'tenantNames' | 'indexTargetGroup'>,
): TenantActivity[] {
  const names = Object.entries(context.tenantNames ?? {});
  return Object.entries(counts.targetGroups).map(([arn, group]) => {
    const elb502 = zeroCounts(counts.minutes);
    let elb503Total = 0;
    let elb504Total = 0;
    for (const [minute, [e502, e503, e504]] of Object.entries(group.mintedByMinute)) {
      elb502[Number(minute)] = e502;
      elb503Total += e503;
      elb504Total += e504;
    }
    const configured = names.find(([targetGroup]) => arn.endsWith(targetGroup));
    return {
      name: configured?.[1] ?? arn.split('/').slice(-2, -1)[0] ?? arn,
      isIndex: context.indexTargetGroup !== undefined && arn.endsWith(context.indexTargetGroup),
      requests: group.requests,
      elb502,
      elb503Total,
      elb504Total,
    };
  });
}
