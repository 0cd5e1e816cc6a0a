import type { FindingJson, MinuteCountJson, ReportJson, SignalJson, TenantJson } from '../core/report.js';
import type {
  CustomerDraft,
  Evidence,
  Finding,
  InvestigationCommand,
  SignalSeries,
  TenantActivity,
} from '../core/types.js';
import { isoMinute, minuteStart } from '../evidence/minute-buckets.js';
import { coverageMask } from '../evidence/minute-coverage.js';

/** Assembles the contract document (contract/why502.schema.json) from a finished investigation. */
export function buildReport(
  command: InvestigationCommand,
  evidence: Evidence,
  findings: Finding[],
  draft?: CustomerDraft,
): ReportJson {
  const askedIndex = Math.round((evidence.at.getTime() - evidence.window.start.getTime()) / 60_000);
  const signals: Record<string, SignalJson> = {};
  for (const [name, series] of Object.entries(evidence.signals)) {
    if (series) signals[name] = signalJson(series, evidence, askedIndex);
  }
  const findingsJson = findings.map(findingJson);
  const report: ReportJson = {
    schemaVersion: 1,
    index: command.index,
    asked: {
      input: command.asked.input,
      zone: command.asked.zone.label,
      utcOffset: command.asked.utcOffset,
      notes: command.asked.notes,
    },
    at: isoMinute(evidence.at),
    window: { start: isoMinute(evidence.window.start), end: isoMinute(evidence.window.end) },
    sources: evidence.sources,
    signals,
    verdict: findingsJson[0]!,
    findings: findingsJson,
  };
  const { idleTimeoutSeconds, slowRequestSeconds, targetGroupsSeen, metricPeriodSeconds, stack } = evidence.context;
  report.context = {
    idleTimeoutSeconds,
    slowRequestSeconds,
    targetGroupsSeen,
    ...(metricPeriodSeconds !== undefined ? { metricPeriodSeconds } : {}),
    ...(stack ? { stack } : {}),
  };
  if (draft)
    report.draft = { text: draft.text, generator: draft.generator, ...(draft.note ? { note: draft.note } : {}) };
  if (evidence.samples) report.samples = evidence.samples;
  // Most LB-minted 502s first ("is it everyone or just us?"), then by name: the same order from every provider.
  if (evidence.context.tenants)
    report.tenants = evidence.context.tenants
      .map((tenant) => tenantJson(tenant, evidence))
      .sort((a, b) => b.elb502 - a.elb502 || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return report;
}

/** A tenant's window totals, and its LB-minted 502s for the minutes that had any. */
function tenantJson(tenant: TenantActivity, evidence: Evidence): TenantJson {
  const elb502PerMinute: MinuteCountJson[] = [];
  let elb502 = 0;
  tenant.elb502.forEach((count, index) => {
    if (count === 0) return;
    elb502 += count;
    elb502PerMinute.push({ minute: isoMinute(minuteStart(evidence.window, index)), count });
  });
  return {
    name: tenant.name,
    isIndex: tenant.isIndex,
    requests: tenant.requests,
    elb502,
    elb503: tenant.elb503Total,
    elb504: tenant.elb504Total,
    elb502PerMinute,
  };
}

function signalJson(series: SignalSeries, evidence: Evidence, askedIndex: number): SignalJson {
  const base = {
    status: series.status,
    scope: series.scope,
    ...(series.reason ? { reason: series.reason } : {}),
    ...(series.source ? { source: series.source } : {}),
  };
  if (series.counts === null) return { ...base, window: null, atMinute: null, peak: null, perMinute: [] };
  // Minutes a source did not cover hold no measurement: they are left out, never shown as 0.
  const covered = coverageMask(series.uncovered, series.counts.length);
  const perMinute: MinuteCountJson[] = [];
  for (let index = 0; index < series.counts.length; index++) {
    if (covered[index])
      perMinute.push({ minute: isoMinute(minuteStart(evidence.window, index)), count: series.counts[index]! });
  }
  const askedCovered = covered[askedIndex] === true;
  let total = 0;
  let peak: MinuteCountJson | null = null;
  for (const point of perMinute) {
    total += point.count;
    if (point.count > 0 && (peak === null || point.count > peak.count)) peak = point;
  }
  return {
    ...base,
    window: total,
    atMinute: askedCovered ? (series.counts[askedIndex] ?? 0) : null,
    peak,
    perMinute,
    ...(series.byCode ? { byCode: series.byCode } : {}),
    ...(series.byTermination ? { byTermination: series.byTermination } : {}),
  };
}

function findingJson(finding: Finding): FindingJson {
  return {
    kind: finding.kind,
    headline: finding.headline,
    confidence: finding.confidence,
    reasons: finding.reasons,
    advice: finding.advice,
    facts: finding.facts,
    ...(finding.causes ? { causes: finding.causes } : {}),
  };
}
