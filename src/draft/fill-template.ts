/**
 * Pure: fill one template section with placeholder values. A line (one sentence) that needs a
 * value that is missing is dropped whole, an `[[optional fragment]]` alone; so a fact that was
 * not measured never prints as a blank or a 0. Syntax: templates/drafts/README.md.
 */
import { templateError } from './parse-draft-template.js';

export interface PlaceholderValue {
  /** As printed: "43,930", "05:29". */
  text: string;
  /** As compared by `{{if …}}` conditions. */
  raw: number | string;
}

/** Keys are placeholder names, including filtered forms such as "burstStart|date". */
export type Placeholders = ReadonlyMap<string, PlaceholderValue>;

/**
 * Below this a percentage may be called "very small", "tiny" or "rare" (`{{if name|small}}`);
 * at or above it the draft states the percentage plainly.
 */
export const SMALL_PERCENT = 0.1;

const LEADING_CONDITION = /^\{\{if\s+([^}]*)\}\}/;
const OPTIONAL_FRAGMENT = /\[\[(.*?)\]\]/g;
const PLACEHOLDER = /\{\{\s*([\w|]+)\s*\}\}/g;
const CONDITION = /^(!)?\s*([\w|]+)\s*(?:(=|!=|>=|<=|>|<)\s*(\S+))?$/;

/** The section's blocks (separated by blank lines), each a paragraph of its kept lines. */
export function fillSection(templateName: string, sectionText: string, values: Placeholders): string[] {
  return sectionText
    .split(/\r?\n\s*\r?\n/)
    .map((block) => fillBlock(templateName, block, values))
    .filter((paragraph) => paragraph.length > 0);
}

function fillBlock(templateName: string, block: string, values: Placeholders): string {
  return block
    .split(/\r?\n/)
    .map((line) => fillLine(templateName, line, values))
    .filter((line): line is string => line !== null && line.length > 0)
    .join(' ');
}

function fillLine(templateName: string, line: string, values: Placeholders): string | null {
  let rest = line.trim();
  for (let match = LEADING_CONDITION.exec(rest); match; match = LEADING_CONDITION.exec(rest)) {
    if (!conditionHolds(templateName, match[1] ?? '', values)) return null;
    rest = rest.slice(match[0].length).trimStart();
  }
  const withFragments = rest.replace(
    OPTIONAL_FRAGMENT,
    (_whole, inner: string) => fillPlaceholders(inner, values) ?? '',
  );
  const filled = fillPlaceholders(withFragments, values);
  return filled === null ? null : tidySpacing(filled);
}

function fillPlaceholders(text: string, values: Placeholders): string | null {
  let missing = false;
  const filled = text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = lookup(values, name);
    if (value === undefined) missing = true;
    return value?.text ?? '';
  });
  return missing ? null : filled;
}

function conditionHolds(templateName: string, condition: string, values: Placeholders): boolean {
  const parsed = CONDITION.exec(condition.trim());
  if (!parsed) throw templateError(templateName, `cannot read the condition "{{if ${condition}}}"`);
  const [, negated, name = '', operator, literal] = parsed;
  const value = lookup(values, name);
  if (negated) return value === undefined;
  if (value === undefined) return false;
  if (operator === undefined || literal === undefined) return true;
  return compare(value.raw, operator, literal);
}

/**
 * A value, or a filtered form computed on demand: `name|cap` starts with a capital (a phrase
 * such as `burstRange` opening a sentence); `name|small` has a value only when the number is
 * below SMALL_PERCENT, so "a very small share" is never written of a large one.
 */
function lookup(values: Placeholders, name: string): PlaceholderValue | undefined {
  const stored = values.get(name);
  if (stored !== undefined) return stored;
  const [base = '', filter] = name.split('|');
  const value = values.get(base);
  if (value === undefined) return undefined;
  if (filter === 'cap') return { text: value.text.charAt(0).toUpperCase() + value.text.slice(1), raw: value.raw };
  if (filter === 'small') return typeof value.raw === 'number' && value.raw < SMALL_PERCENT ? value : undefined;
  return undefined;
}

function compare(raw: number | string, operator: string, literal: string): boolean {
  const literalNumber = Number(literal);
  if (typeof raw === 'number' && Number.isFinite(literalNumber)) {
    switch (operator) {
      case '=':
        return raw === literalNumber;
      case '!=':
        return raw !== literalNumber;
      case '>':
        return raw > literalNumber;
      case '>=':
        return raw >= literalNumber;
      case '<':
        return raw < literalNumber;
      case '<=':
        return raw <= literalNumber;
    }
  }
  if (operator === '=') return String(raw) === literal;
  if (operator === '!=') return String(raw) !== literal;
  return false;
}

// A dropped fragment can leave "period ." or a double space behind.
function tidySpacing(text: string): string {
  return text
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([,.;:)])/g, '$1')
    .trim();
}
