import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LogFileError } from '../errors.js';

/**
 * Expands files and directories (recursively, as ALB writes them to S3:
 * AWSLogs/<account>/elasticloadbalancing/<region>/<yyyy>/<mm>/<dd>/…log.gz) into a sorted
 * list of files. Hidden files (".DS_Store", editor swap files) are skipped. A path that does
 * not exist is an error naming it; an empty directory yields nothing.
 */
export async function listLogFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    let info;
    try {
      info = await stat(given);
    } catch (error) {
      throw new LogFileError(`No such file or directory: ${given}.`, 'Check the path given to --alb-logs / --proxy-logs.', {
        cause: error,
      });
    }
    if (info.isDirectory()) files.push(...(await walk(given)));
    else files.push(given);
  }
  return [...new Set(files)];
}

async function walk(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
