/**
 * The one I/O of the template draft: read templates/drafts/*.md once per folder and keep them.
 * Synchronous on purpose: a handful of small files, read on first use, then served from memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findAssetRoot } from '../core/asset-root.js';
import { VERDICT_KINDS, type VerdictKind } from '../core/types.js';
import { ConfigError } from '../errors.js';
import { type DraftTemplate, parseDraftTemplate } from './parse-draft-template.js';

export interface DraftTemplates {
  frame: DraftTemplate;
  actions: DraftTemplate;
  kinds: Record<VerdictKind, DraftTemplate>;
}

/** The repository's templates/drafts, found from this file so the working directory does not matter. */
export const DEFAULT_DRAFT_TEMPLATES_DIR = join(findAssetRoot(import.meta.url), 'templates', 'drafts');

const cache = new Map<string, DraftTemplates>();

export function loadDraftTemplates(templatesDir: string = DEFAULT_DRAFT_TEMPLATES_DIR): DraftTemplates {
  const cached = cache.get(templatesDir);
  if (cached) return cached;
  const read = (name: string) => parseDraftTemplate(name, readTemplateFile(templatesDir, name));
  const kinds = Object.fromEntries(VERDICT_KINDS.map((kind) => [kind, read(kind)])) as Record<
    VerdictKind,
    DraftTemplate
  >;
  const templates: DraftTemplates = { frame: read('_frame'), actions: read('_actions'), kinds };
  cache.set(templatesDir, templates);
  return templates;
}

function readTemplateFile(templatesDir: string, name: string): string {
  const path = join(templatesDir, `${name}.md`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Cannot read the customer-draft template ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      'Every verdict kind needs a template in templates/drafts/ (see templates/drafts/README.md).',
      { cause: error },
    );
  }
}
