/**
 * The report as GitHub-flavoured Markdown, for pasting into incident docs: the same content
 * and order as the terminal text, with a real table. Pure.
 */
import type { FindingJson, ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import {
  collectNextSteps,
  describeAskedMoment,
  describeDraftOrigin,
  describeFootnote,
  describeSource,
  describeWindow,
  secondaryFindings,
} from './report-sections.js';
import { VERDICT_LABELS, findingLabel } from './verdict-labels.js';
import { buildTableFootnotes, buildVerdictTable } from './verdict-table.js';

export function renderMarkdown(report: ReportJson, fmt: TimeFormatter): string {
  const blocks = [
    headerBlock(report, fmt),
    verdictBlock(report.verdict),
    tableBlock(report, fmt),
    bulletSection('Why', report.verdict.reasons),
    ...secondaryFindings(report).map(secondaryFindingBlock),
    bulletSection('Next steps', collectNextSteps(report)),
    bulletSection('Sources', report.sources.map(describeSource)),
    draftBlock(report),
  ];
  return `${blocks.filter((block) => block.length > 0).map((block) => block.join('\n')).join('\n\n')}\n`;
}

/**
 * Escapes what GitHub would otherwise read as markup in text that comes from data:
 * emphasis, code, links, HTML, and `~` (GitHub renders a single-tilde pair as strikethrough,
 * and "~6/min" is common in our reasons).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

/** A table cell: inline-escaped (pipes included, so the row keeps its columns) and on one line. */
export function escapeTableCell(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n/g, ' ');
}

function headerBlock(report: ReportJson, fmt: TimeFormatter): string[] {
  return [
    `# why502 · \`${report.index}\` · ${escapeMarkdown(describeAskedMoment(report, fmt))}`,
    '',
    `${escapeMarkdown(describeWindow(report, fmt))} · asked as "${escapeMarkdown(report.asked.input)}"`,
    ...report.asked.notes.flatMap((note) => ['', `> **Note:** ${escapeMarkdown(note)}`]),
  ];
}

function verdictBlock(verdict: FindingJson): string[] {
  return [`**${escapeMarkdown(findingLabel(verdict))}** · confidence ${verdict.confidence}`, '', escapeMarkdown(verdict.headline)];
}

function tableBlock(report: ReportJson, fmt: TimeFormatter): string[] {
  const table = buildVerdictTable(report, fmt);
  const row = (cells: readonly string[]) => `| ${cells.map(escapeTableCell).join(' | ')} |`;
  const footnotes = buildTableFootnotes(report, table).map((f) => `- ${escapeMarkdown(describeFootnote(f))}`);
  return [
    row(table.columns),
    '|---|---:|---:|---:|',
    ...table.rows.map((r) => row([r.label, r.atMinute, r.window, r.peak])),
    ...(footnotes.length > 0 ? ['', ...footnotes] : []),
  ];
}

function secondaryFindingBlock(finding: FindingJson): string[] {
  return [
    `## Also found: ${escapeMarkdown(findingLabel(finding))} · confidence ${finding.confidence}`,
    '',
    escapeMarkdown(finding.headline),
    ...(finding.reasons.length > 0 ? ['', ...finding.reasons.map((reason) => `- ${escapeMarkdown(reason)}`)] : []),
  ];
}

function bulletSection(title: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  return [`## ${title}`, '', ...items.map((item) => `- ${escapeMarkdown(item)}`)];
}

// Quoted so it stands apart from our own analysis; line breaks and the draft's own bullets survive.
function draftBlock(report: ReportJson): string[] {
  const { draft } = report;
  if (!draft) return [];
  const origin = `_${describeDraftOrigin(draft).replace(/^./, (c) => c.toUpperCase())}._`;
  return [
    '## Draft reply to the customer',
    '',
    draft.note ? `${origin} ${escapeMarkdown(draft.note)}` : origin,
    '',
    ...draft.text.trimEnd().split(/\r?\n/).map((line) => (line.trim() === '' ? '>' : `> ${escapeMarkdown(line)}`)),
  ];
}
