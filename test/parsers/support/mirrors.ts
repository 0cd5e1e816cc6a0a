import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Other projects' repositories fetched beside this one (/work/.mirror/<owner>+<name>/repo, bare
 * git directories). CI has none: tests that read them skip, saying so.
 */
export const MIRRORS_DIR = fileURLToPath(new URL('../../../../.mirror/', import.meta.url));

/** A file of a fetched repository at a pinned commit; null when the repository (or git) is not there. */
export function readMirrorFile(repo: string, commit: string, path: string): string | null {
  const gitDir = `${MIRRORS_DIR}${repo.replace('/', '+')}/repo`;
  if (!existsSync(gitDir)) return null;
  try {
    return execFileSync('git', ['--git-dir', gitDir, 'show', `${commit}:${path}`], {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
  } catch {
    return null;
  }
}
