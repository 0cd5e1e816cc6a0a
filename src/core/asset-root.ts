import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding `templates/`, found by walking up from the calling module. The same code
 * runs from src/ (tsx), from the CLI bundle in dist/cli/ and from the Lambda bundle in
 * dist/lambda/ (templates/ zipped beside it), so a fixed "../../" would be right in only some.
 */
export function findAssetRoot(moduleUrl: string): string {
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'templates'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
