/**
 * "@why502 08:22": a full verdict for another minute. Inside the thread's window the saved evidence
 * is judged again at that minute (judgeEvidence, no new queries); outside it, the answer says so and
 * carries what the caller needs to run a new investigation of the same index. Pure.
 */
import type { ReportJson } from '../core/report.js';
import type { AskedTime, InvestigationCommand, TimeFormatter } from '../core/types.js';
import { formatterForAsked } from '../grammar/formatters.js';
import { type CommandDefaults, parseInvestigation } from '../grammar/parse-command.js';
import { formatWallClock, formatWallIsoDate, MINUTE_MS } from '../grammar/wall-clock.js';
import { formatUtcOffset, offsetMinutesAt } from '../grammar/zones.js';
import { describeAskedInstant, describeVerdict, secondaryFindings } from '../render/report-sections.js';
import { buildVerdictTable } from '../render/verdict-table.js';
import { buildReport } from '../report/build-report.js';
import { judgeEvidence } from '../verdict/judge-evidence.js';
import { type AnswerDocument, bullets, code, note, paragraph, strong, table } from './answer-document.js';
import { evidenceFromReport, type VerdictSettings } from './evidence-from-report.js';

export interface RejudgedAnswer {
  kind: 'rejudged';
  asked: AskedTime;
  /** The verdict for that minute as a report of the same window: render it like any report. No draft, no samples. */
  report: ReportJson;
  document: AnswerDocument;
}

export interface NeedsInvestigationAnswer {
  kind: 'needs_investigation';
  index: string;
  asked: AskedTime;
  /** What `/why502` (or `npx why502`) takes for it, e.g. "prod_000_audio 2026-06-19T08:22+10:00 AEST --window 3h". */
  commandText: string;
  /** The same, split for parseInvestigation. */
  positionals: string[];
  /** The thread's window width, kept for the new investigation: "3h". */
  window: string;
  document: AnswerDocument;
}

/** A minute this close to an edge of the window has little of its own "after" (or "before") to be judged against. */
const NEAR_EDGE_MINUTES = 10;

export function answerAnotherTime(
  report: ReportJson,
  asked: AskedTime,
  settings: VerdictSettings = {},
): RejudgedAnswer | NeedsInvestigationAnswer {
  const startMs = Date.parse(report.window.start);
  const endMs = Date.parse(report.window.end);
  const atMs = asked.at.getTime();
  if (atMs < startMs || atMs >= endMs) return needsInvestigation(report, asked);
  const fmt = formatterForAsked(asked);
  const evidence = evidenceFromReport(report, asked.at, settings);
  const findings = judgeEvidence(evidence, fmt);
  const command: InvestigationCommand = { index: report.index, asked, window: evidence.window, noDraft: true };
  const rejudged = buildReport(command, evidence, findings);
  if (report.tenants) rejudged.tenants = report.tenants;
  return {
    kind: 'rejudged',
    asked,
    report: rejudged,
    document: rejudgedDocument(rejudged, fmt, minutesToEdge(atMs, startMs, endMs)),
  };
}

function rejudgedDocument(report: ReportJson, fmt: TimeFormatter, toEdgeMinutes: number): AnswerDocument {
  const verdictTable = buildVerdictTable(report, fmt);
  const [, atColumn, windowColumn, peakColumn] = verdictTable.columns;
  const window = fmt.range(new Date(report.window.start), new Date(report.window.end));
  const also = secondaryFindings(report).map((finding) => [finding.headline]);
  return {
    title: `${report.index} at ${describeAskedInstant(new Date(report.at), fmt)}`,
    blocks: [
      paragraph(strong(describeVerdict(report.verdict))),
      paragraph(report.verdict.headline),
      table(
        ['signal', atColumn, windowColumn, peakColumn],
        verdictTable.rows.map((row) => [row.label, row.atMinute, row.window, row.peak]),
        ['left', 'right', 'right', 'right'],
      ),
      bullets(
        report.verdict.reasons.map((reason) => [reason]),
        'Why:',
      ),
      // Secondary headlines already read "Also …".
      ...(also.length > 0 ? [bullets(also)] : []),
      note(
        `Judged again from the evidence this thread already gathered (${window}); no new queries.` +
          (toEdgeMinutes < NEAR_EDGE_MINUTES
            ? ` This minute is ${toEdgeMinutes} min from the edge of that window: what came just after (or before) it was not gathered.`
            : ''),
      ),
    ],
  };
}

function minutesToEdge(atMs: number, startMs: number, endMs: number): number {
  return Math.min((atMs - startMs) / MINUTE_MS, (endMs - atMs) / MINUTE_MS - 1);
}

function needsInvestigation(report: ReportJson, asked: AskedTime): NeedsInvestigationAnswer {
  const fmt = formatterForAsked(asked);
  const start = new Date(report.window.start);
  const end = new Date(report.window.end);
  const widthMinutes = Math.round((end.getTime() - start.getTime()) / MINUTE_MS);
  const window = formatWidth(widthMinutes);
  const positionals = [report.index, exactTimeToken(asked), zoneToken(asked)];
  const commandText = `${positionals.join(' ')} --window ${window}`;
  const distance =
    asked.at < start
      ? `${formatWidth((start.getTime() - asked.at.getTime()) / MINUTE_MS)} before its start`
      : `${formatWidth((asked.at.getTime() - end.getTime()) / MINUTE_MS + 1)} after its end`;
  return {
    kind: 'needs_investigation',
    index: report.index,
    asked,
    commandText,
    positionals,
    window,
    document: {
      title: `${describeAskedInstant(asked.at, fmt)} is outside this thread's evidence`,
      blocks: [
        paragraph(
          `The evidence gathered for `,
          code(report.index),
          ` covers ${fmt.range(start, end)}; ${fmt.minute(asked.at)} is ${distance}.`,
        ),
        paragraph(
          `That minute needs a new investigation of `,
          code(report.index),
          `, with a ${window} window centred on it.`,
        ),
      ],
    },
  };
}

/** The InvestigationCommand for a new investigation, as `/why502 <commandText>` would give it. Throws UsageError like any command. */
export function newInvestigationCommand(
  answer: NeedsInvestigationAnswer,
  defaults: CommandDefaults,
): InvestigationCommand {
  return parseInvestigation({ positionals: answer.positionals, window: answer.window }, defaults);
}

/** "2026-06-19T08:22+10:00": the minute with its offset, so a clock change cannot make it ambiguous. */
export function exactTimeToken(asked: Pick<AskedTime, 'zone' | 'at'>): string {
  const offset = offsetMinutesAt(asked.zone, asked.at);
  const wallMs = asked.at.getTime() + offset * MINUTE_MS;
  return offset === 0
    ? `${formatWallIsoDate(wallMs)}T${formatWallClock(wallMs)}Z`
    : `${formatWallIsoDate(wallMs)}T${formatWallClock(wallMs)}${formatUtcOffset(offset)}`;
}

function zoneToken(asked: AskedTime): string {
  return asked.zone.kind === 'iana' ? asked.zone.name : asked.zone.label;
}

/** 180 → "3h", 90 → "1h30m", 45 → "45m". */
export function formatWidth(minutes: number): string {
  const whole = Math.round(minutes);
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  return `${hours > 0 ? `${hours}h` : ''}${rest > 0 || hours === 0 ? `${rest}m` : ''}`;
}
