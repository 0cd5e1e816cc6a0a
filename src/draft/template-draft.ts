/**
 * The customer draft of CONTRACT §8, filled from templates/drafts/ and the report's evidence:
 * a greeting, one bullet per finding block (the primary finding first, the others
 * "Separately, …"), then "What helps:" (the union of the customer actions the findings imply)
 * and, when a finding is ours to act on, the "[What we're doing: …]" placeholder: what we do is
 * the team's decision, so the SRE fills it in or removes it. Times are written in the customer's
 * 12- or 24-hour form. Everything but loading the templates is pure.
 */
import { CAUSE_CUSTOMER_WORDS } from '../changes/cause-customer-words.js';
import type { FindingJson, ReportJson } from '../core/report.js';
import type { CustomerDraft, DraftTone, TimeFormatter } from '../core/types.js';
import { withCustomerClock } from './customer-clock.js';
import { findingPlaceholders, formatList, type PlaceholderMap, reportPlaceholders } from './draft-placeholders.js';
import { fillSection } from './fill-template.js';
import { type DraftTemplates, loadDraftTemplates } from './load-templates.js';
import type { DraftTemplate } from './parse-draft-template.js';

export { DRAFT_TONES } from '../core/types.js';
export type { DraftTone };

export interface TemplateDraftOptions {
  tone?: DraftTone;
  /** Another templates folder (tests); default: the repository's templates/drafts. */
  templatesDir?: string;
}

/** The marked line a draft leaves for the SRE when a finding is ours to act on. */
export const OUR_ACTION_PLACEHOLDER = "[What we're doing: …]";

/** The draft's note when its text holds the placeholder: the terminal and Slack show it. */
export const OUR_ACTION_NOTE = `Fill in or remove the line ${OUR_ACTION_PLACEHOLDER} before sending: what we do about it is the team's decision, so the draft does not say it.`;

export function buildTemplateDraft(report: ReportJson, fmt: TimeFormatter, options: TemplateDraftOptions = {}): string {
  return composeTemplateDraft(report, fmt, loadDraftTemplates(options.templatesDir), options.tone ?? 'neutral');
}

/** The template draft with its note (see OUR_ACTION_NOTE): what the report's `draft` holds without a model. */
export function buildCustomerDraft(
  report: ReportJson,
  fmt: TimeFormatter,
  options: TemplateDraftOptions = {},
): CustomerDraft {
  return withPlaceholderNote({ text: buildTemplateDraft(report, fmt, options), generator: 'template' });
}

/** Adds OUR_ACTION_NOTE (after any note already there) when the draft's text holds the placeholder. */
export function withPlaceholderNote(draft: CustomerDraft): CustomerDraft {
  if (!draft.text.includes(OUR_ACTION_PLACEHOLDER)) return draft;
  return { ...draft, note: draft.note ? `${draft.note}. ${OUR_ACTION_NOTE}` : OUR_ACTION_NOTE };
}

/** Pure: the draft from already loaded templates. */
export function composeTemplateDraft(
  report: ReportJson,
  askedFmt: TimeFormatter,
  templates: DraftTemplates,
  tone: DraftTone,
): string {
  const fmt = withCustomerClock(askedFmt, report.asked.input);
  const findings = report.findings.length > 0 ? report.findings : [report.verdict];
  const base = reportPlaceholders(report, fmt);
  const perFinding = findings.map((finding) => ({ finding, values: findingPlaceholders(finding, base, fmt) }));

  const bullets = perFinding.flatMap(({ finding, values }, position) => [
    ...findingBlocks(templates.kinds[finding.kind], position === 0 ? 'body' : 'secondary', tone, values),
    ...(position === 0 ? causeSentences(finding, fmt) : []),
  ]);
  const frameValues: PlaceholderMap = new Map(base);
  setSentences(frameValues, 'customerActions', customerActions(findings, templates, tone, base));
  if (findings.some((finding) => templates.kinds[finding.kind].ourActionPlaceholder))
    frameValues.set('ourActionPlaceholder', { text: 'yes', raw: 'yes' });

  const frame = (section: string) => fillTone(templates.frame, section, tone, frameValues).join(' ');
  return [
    frame('greeting'),
    bullets.map((bullet) => `- ${bullet}`).join('\n'),
    frame('helps'),
    frame('doing'),
    frame('closing'),
  ]
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}

/**
 * "What caused it: a deployment on our side restarted the servers behind your index at 05:38
 * AEST." Only measured causes (CONTRACT §9), in the customer's words: no object names, and the
 * time on the customer's clock.
 */
function causeSentences(finding: FindingJson, fmt: TimeFormatter): string[] {
  const causes = finding.causes ?? [];
  if (causes.length === 0) return [];
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const cause of causes) {
    if (seen.has(cause.kind) || parts.length === MAX_CAUSES_IN_DRAFT) continue;
    seen.add(cause.kind);
    parts.push(
      `${CAUSE_CUSTOMER_WORDS[cause.kind]}${cause.at ? ` at ${fmt.localClock(new Date(cause.at))} ${fmt.zoneLabel}` : ''}`,
    );
  }
  return [`What caused it: ${parts.join('; and ')}.`];
}

/** The customer hears the main cause and at most one more. */
const MAX_CAUSES_IN_DRAFT = 2;

function findingBlocks(
  template: DraftTemplate,
  role: 'body' | 'secondary',
  tone: DraftTone,
  values: PlaceholderMap,
): string[] {
  if (role === 'body' || sectionFor(template, 'secondary', tone) !== undefined)
    return fillTone(template, role, tone, values);
  const [first, ...rest] = fillTone(template, 'body', tone, values);
  return first === undefined ? [] : [`Separately, ${lowerFirstWord(first)}`, ...rest];
}

/** The `retry` action names the union of the findings' retry codes, in the findings' order. */
function customerActions(
  findings: readonly FindingJson[],
  templates: DraftTemplates,
  tone: DraftTone,
  base: PlaceholderMap,
): string[] {
  const kinds = findings.map((finding) => templates.kinds[finding.kind]);
  const actionKeys = unique(kinds.flatMap((kind) => kind.customerActions));
  const retryCodes = unique(kinds.flatMap((kind) => kind.retryCodes));
  const values: PlaceholderMap = new Map(base);
  if (retryCodes.length > 0) values.set('retryCodes', { text: formatList(retryCodes), raw: formatList(retryCodes) });
  return actionKeys.flatMap((key) => fillTone(templates.actions, key, tone, values));
}

function fillTone(template: DraftTemplate, section: string, tone: DraftTone, values: PlaceholderMap): string[] {
  const text = sectionFor(template, section, tone);
  return text === undefined ? [] : fillSection(template.name, text, values);
}

function sectionFor(template: DraftTemplate, section: string, tone: DraftTone): string | undefined {
  return (
    (tone === 'neutral' ? undefined : template.sections.get(`${section} (${tone})`)) ?? template.sections.get(section)
  );
}

function setSentences(values: PlaceholderMap, key: string, sentences: string[]): void {
  if (sentences.length === 0) return;
  const text = lowerFirstWord(sentences.join(' '));
  values.set(key, { text, raw: text });
}

// "What helps: retry …" reads on from the colon; an acronym ("HTTP …") keeps its capitals.
function lowerFirstWord(text: string): string {
  return /^[A-Z][a-z’']/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
