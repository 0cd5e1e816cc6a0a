/**
 * Pure: the text of one templates/drafts/*.md file → its front matter and `## sections`.
 * The syntax is described in templates/drafts/README.md.
 */
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';

export interface DraftTemplate {
  /** File name without ".md": a verdict kind, "_frame" or "_actions". */
  name: string;
  /** Keys of _actions.md sections this finding implies, most helpful first. */
  customerActions: string[];
  /** HTTP codes worth retrying for this finding, for the `retry` action. */
  retryCodes: string[];
  /**
   * The finding is ours to act on: the draft leaves the "[What we're doing: …]" placeholder for
   * the SRE. What we do is the team's decision, so no template says it.
   */
  ourActionPlaceholder: boolean;
  /** Section text by heading: "body", "body (technical)", … */
  sections: ReadonlyMap<string, string>;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;
const COMMENT = /<!--[\s\S]*?-->/g;
const HEADING = /^##\s+(.+?)\s*$/;

export function parseDraftTemplate(name: string, text: string): DraftTemplate {
  const frontMatter = FRONT_MATTER.exec(text);
  const meta = frontMatter
    ? readFrontMatter(name, frontMatter[1] ?? '')
    : { customerActions: [], retryCodes: [], ourActionPlaceholder: false };
  const body = (frontMatter ? text.slice(frontMatter[0].length) : text).replace(COMMENT, '');
  return { name, ...meta, sections: splitSections(body) };
}

function readFrontMatter(
  name: string,
  yamlText: string,
): Pick<DraftTemplate, 'customerActions' | 'retryCodes' | 'ourActionPlaceholder'> {
  let parsed: unknown;
  try {
    parsed = parseYaml(yamlText) ?? {};
  } catch (error) {
    throw templateError(name, `its front matter is not valid YAML (${(error as Error).message})`);
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  return {
    customerActions: readStringList(name, record, 'customerActions'),
    retryCodes: readStringList(name, record, 'retryCodes'),
    ourActionPlaceholder: readFlag(name, record, 'ourActionPlaceholder'),
  };
}

function readFlag(name: string, record: Record<string, unknown>, key: string): boolean {
  const value = record[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw templateError(name, `front matter "${key}" must be true or false`);
  return value;
}

function readStringList(name: string, record: Record<string, unknown>, key: string): string[] {
  const value = record[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw templateError(name, `front matter "${key}" must be a list`);
  return value.map((item) => String(item));
}

function splitSections(body: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (current !== null) sections.set(current, lines.join('\n').trim());
  };
  for (const line of body.split(/\r?\n/)) {
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      current = heading[1] ?? '';
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

export function templateError(name: string, problem: string): ConfigError {
  return new ConfigError(
    `Draft template ${name}.md: ${problem}.`,
    'Fix the file in templates/drafts/ (syntax: templates/drafts/README.md).',
  );
}
