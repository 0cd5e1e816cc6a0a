/**
 * The Evidence an investigation gathered, read back from its saved report, so another minute of the
 * same window can be judged without a new query. Pure.
 *
 * What the report keeps, and how it comes back:
 * - each signal's per-minute counts: a minute missing from a measured signal's `perMinute` was not
 *   covered by its source (a hole, never a 0), so it returns as `uncovered`;
 * - an unavailable signal has no counts, and keeps its reason;
 * - `tenants` (when the access logs were read) become the per-target-group activity the verdict
 *   uses to tell a neighbour's burst from this index's;
 * - the settings the verdict quotes (idle timeout, slow-request threshold) from the findings'
 *   facts, else from the caller (the config), else the config's defaults.
 * What it does not keep (and so cannot come back): how many target groups were seen without errors
 * when `tenants` is absent, and the metric period of coarse CloudWatch data.
 */
import type { ReportJson, SignalJson, TenantJson } from '../core/report.js';
import {
  CONTRACT_SIGNAL_NAMES,
  type Evidence,
  type EvidenceContext,
  type SignalMap,
  type SignalScope,
  type SignalSeries,
  type TenantActivity,
} from '../core/types.js';
import { uncoveredRanges } from '../evidence/minute-coverage.js';
import { minuteValues, windowMinutes } from '../render/chart/minute-values.js';

export interface VerdictSettings {
  idleTimeoutSeconds?: number;
  slowRequestSeconds?: number;
}

/** The config's defaults (src/config.ts), used when neither the report nor the caller says. */
const DEFAULT_SETTINGS = { idleTimeoutSeconds: 60, slowRequestSeconds: 2 } as const;
const LOAD_BALANCER_SIGNALS = new Set(['elb_502', 'elb_503', 'elb_504', 'lb_requests']);

/** The report's evidence with `at` as the asked minute (it must lie inside the report's window). */
export function evidenceFromReport(report: ReportJson, at: Date, settings: VerdictSettings = {}): Evidence {
  const signals: Record<string, SignalSeries> = {};
  for (const [name, signal] of Object.entries(report.signals)) signals[name] = seriesFromJson(report, signal);
  for (const name of CONTRACT_SIGNAL_NAMES) {
    signals[name] ??= { scope: scopeOf(name), status: 'unavailable', reason: 'not in the saved report', counts: null };
  }
  return {
    index: report.index,
    at,
    window: { start: new Date(report.window.start), end: new Date(report.window.end) },
    signals: signals as SignalMap,
    sources: report.sources,
    context: contextFromReport(report, settings),
  };
}

function seriesFromJson(report: ReportJson, signal: SignalJson): SignalSeries {
  const base = {
    scope: signal.scope,
    status: signal.status,
    ...(signal.reason ? { reason: signal.reason } : {}),
    ...(signal.source ? { source: signal.source } : {}),
    ...(signal.byCode ? { byCode: signal.byCode } : {}),
    ...(signal.byTermination ? { byTermination: signal.byTermination } : {}),
  };
  if (signal.status === 'unavailable') return { ...base, counts: null };
  const values = minuteValues(report, signal);
  const uncovered = uncoveredRanges(values.map((value) => value !== null));
  return { ...base, counts: values.map((value) => value ?? 0), ...(uncovered.length > 0 ? { uncovered } : {}) };
}

function contextFromReport(report: ReportJson, settings: VerdictSettings): EvidenceContext {
  const tenants = report.tenants ? report.tenants.map((tenant) => tenantActivity(report, tenant)) : null;
  const tenantCount = numericFact(report, 'tenantCount');
  // The report's own context first (reports from this version on); older reports: the findings' facts, then the settings.
  const saved = report.context;
  return {
    idleTimeoutSeconds:
      saved?.idleTimeoutSeconds ??
      numericFact(report, 'idleTimeoutSeconds') ??
      settings.idleTimeoutSeconds ??
      DEFAULT_SETTINGS.idleTimeoutSeconds,
    slowRequestSeconds:
      saved?.slowRequestSeconds ??
      numericFact(report, 'slowRequestSeconds') ??
      settings.slowRequestSeconds ??
      DEFAULT_SETTINGS.slowRequestSeconds,
    elb502TargetGroups: report.tenants ? report.tenants.filter((tenant) => tenant.elb502 > 0).length : tenantCount,
    targetGroupsSeen: saved ? saved.targetGroupsSeen : report.tenants ? report.tenants.length : null,
    tenants,
    ...(saved?.metricPeriodSeconds !== undefined ? { metricPeriodSeconds: saved.metricPeriodSeconds } : {}),
    ...(saved?.stack ? { stack: saved.stack } : {}),
  };
}

function tenantActivity(report: ReportJson, tenant: TenantJson): TenantActivity {
  const elb502 = new Array<number>(windowMinutes(report)).fill(0);
  const start = Date.parse(report.window.start);
  for (const point of tenant.elb502PerMinute) {
    const index = Math.round((Date.parse(point.minute) - start) / 60_000);
    if (index >= 0 && index < elb502.length) elb502[index] = point.count;
  }
  return {
    name: tenant.name,
    isIndex: tenant.isIndex,
    requests: tenant.requests,
    elb502,
    elb503Total: tenant.elb503,
    elb504Total: tenant.elb504,
  };
}

function numericFact(report: ReportJson, key: string): number | null {
  for (const finding of [report.verdict, ...report.findings]) {
    const value = finding.facts[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

function scopeOf(name: string): SignalScope {
  return LOAD_BALANCER_SIGNALS.has(name) ? 'loadBalancer' : 'index';
}
