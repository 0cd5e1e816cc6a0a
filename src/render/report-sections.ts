/**
 * The wording shared by the text and Markdown renderers, so both say the same thing and
 * differ only in layout. Pure.
 */
import type { FindingJson, ReportJson } from '../core/report.js';
import type { Cause, SourceStatus, TimeFormatter } from '../core/types.js';
import { findingLabel } from './verdict-labels.js';
import { type AnswerTable, AROUND_MINUTES, type VerdictTableFootnote } from './verdict-table.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * "19 Jun 05:41 AEST (19:41 UTC, 18 Jun)": the local date leads, and the UTC date is added
 * only when it differs, so neither clock can be read against the wrong day.
 */
export function describeAskedMoment(report: ReportJson, fmt: TimeFormatter): string {
  return describeAskedInstant(new Date(report.at), fmt);
}

/** describeAskedMoment for an instant, before any report exists (the Slack parent and summary). */
export function describeAskedInstant(at: Date, fmt: TimeFormatter): string {
  const localDate = fmt.localDate(at);
  const utcDate = formatUtcDate(at);
  const minute = fmt.minute(at);
  const withUtcDate = utcDate !== localDate && minute.endsWith(')') ? `${minute.slice(0, -1)}, ${utcDate})` : minute;
  return `${localDate} ${withUtcDate}`;
}

/** "19 Jun" for the instant's UTC calendar day. */
export function formatUtcDate(instant: Date): string {
  return `${instant.getUTCDate()} ${MONTHS[instant.getUTCMonth()]}`;
}

/** "Window 04:11–07:11 AEST (18:11–21:11 UTC)": the window's bounds, end exclusive. */
export function describeWindow(report: ReportJson, fmt: TimeFormatter): string {
  return `Window ${fmt.range(new Date(report.window.start), new Date(report.window.end))}`;
}

/** "429 throttling, not 502s · confidence high" */
export function describeVerdict(finding: FindingJson): string {
  return `${findingLabel(finding)} · confidence ${finding.confidence}`;
}

/** Evidence beyond this many characters is cut on the terminal and in Markdown (the JSON keeps it whole). */
export const CAUSE_EVIDENCE_SHOWN_CHARS = 240;

/** "1 traefik pod OOM-killed (exit 137) at 05:38 AEST (19:38 UTC). Evidence: kubectl events (…): OOMKilling …" */
export function describeCause(cause: Cause): string {
  const evidence =
    cause.evidence.length > CAUSE_EVIDENCE_SHOWN_CHARS
      ? `${cause.evidence.slice(0, CAUSE_EVIDENCE_SHOWN_CHARS - 1)}…`
      : cause.evidence;
  return `${cause.what} Evidence: ${evidence}`;
}

/** What the change sources saw near the errors and set aside: the reader sees what was looked at. */
export function describeChangesSetAside(report: ReportJson): string[] {
  return report.changes?.context.map((item) => item.what) ?? [];
}

/** Each source, then the change sources' limits ("Kubernetes keeps events for 1 hour…"). */
export function describeSources(report: ReportJson): string[] {
  const byTheHour = (report.patterns?.sources ?? []).map(
    (source) => `${describeSource(source)} (by the hour, for patterns over days)`,
  );
  return [...report.sources.map(describeSource), ...byTheHour, ...(report.changes?.notes ?? [])];
}

/** Every finding except the verdict itself, in the report's order of relevance. */
export function secondaryFindings(report: ReportJson): FindingJson[] {
  const { verdict } = report;
  return report.findings.filter((f) => !(f.kind === verdict.kind && f.headline === verdict.headline));
}

/** The verdict's advice first, then each secondary finding's, without repeats. */
export function collectNextSteps(report: ReportJson): string[] {
  const steps = [...new Set([report.verdict, ...secondaryFindings(report)].flatMap((f) => f.advice ?? []))];
  // Two findings may give the same step, one saying more ("… with backoff." and "… with
  // backoff; these succeed on retry."): a reader gets it once, in its longer form, where the
  // first finding put it.
  const fullest = (step: string) => steps.find((other) => other !== step && continues(other, step)) ?? step;
  return [...new Set(steps.map(fullest))];
}

/** True when `longer` is `step` continued after a clause break (";", ",", ":", " —"). */
function continues(longer: string, step: string): boolean {
  const core = step.replace(/\.$/, '');
  return longer.startsWith(core) && /^(;|,|:| —)/.test(longer.slice(core.length));
}

const SOURCE_STATUS_WORDS: Record<SourceStatus['status'], string> = {
  complete: 'complete',
  partial: 'partial',
  failed: 'failed',
  not_configured: 'not configured',
};

/** "ALB metrics via GetMetricData: complete — 12 queries" */
export function describeSource(source: SourceStatus): string {
  const status = SOURCE_STATUS_WORDS[source.status] ?? source.status;
  return source.detail ? `${source.name}: ${status} — ${source.detail}` : `${source.name}: ${status}`;
}

/** "target connection errors (ALB): unavailable — metric only, not in access logs" */
export function describeFootnote(footnote: VerdictTableFootnote): string {
  return `${footnote.label}: ${footnote.status} — ${footnote.reason}`;
}

/** "05:29–05:46: the asked minute with 5 minutes either side, widened to the burst next to it." */
export function describeAroundColumn(table: AnswerTable): string {
  const widened = table.around.basis === 'burst' ? ', widened to the burst next to it' : '';
  return `${table.columns.around}: the asked minute with ${AROUND_MINUTES} minutes either side${widened}.`;
}

/** Where the draft came from, so the SRE knows how much to check it before sending. */
export function describeDraftOrigin(draft: NonNullable<ReportJson['draft']>): string {
  return draft.generator === 'openai' ? 'rewritten by the model from the evidence' : 'written from the template';
}

/** The sample rows shown on the terminal and in Markdown; all of them travel in --format json. */
export const SAMPLE_ROWS_SHOWN = 5;

export interface SampleRowsSection {
  heading: string;
  columns: [string, string, string, string, string];
  rows: Array<[string, string, string, string, string]>;
}

/**
 * "LB-minted 5xx rows nearest 05:41 AEST (5 of 30; all in --format json):" and the rows, times in
 * UTC as the access logs write them, so they can be found there. Null without samples.
 */
export function describeSampleRows(
  report: ReportJson,
  fmt: TimeFormatter,
  shown = SAMPLE_ROWS_SHOWN,
): SampleRowsSection | null {
  const samples = report.samples ?? [];
  if (samples.length === 0) return null;
  const rows = samples
    .slice(0, shown)
    .map((sample): [string, string, string, string, string] => [
      sample.time.slice(11, 23),
      `${sample.elbStatusCode} / ${sample.targetStatusCode}`,
      sample.target,
      sample.request,
      sample.traceId ?? '-',
    ]);
  const of =
    samples.length > rows.length ? `${rows.length} of ${samples.length}; all in --format json` : `${samples.length}`;
  return {
    heading: `LB-minted 5xx rows nearest ${fmt.localClock(new Date(report.at))} ${fmt.zoneLabel} (${of}):`,
    columns: ['time (UTC)', 'ELB / target', 'target', 'request', 'trace id'],
    rows,
  };
}
