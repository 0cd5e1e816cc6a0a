import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { LogFileError } from '../errors.js';
import { describeFileType } from './for-each-line.js';
import { printableText } from './printable-text.js';

/** A path that was found but not read, and why, for the caller to show. */
export interface SkippedPath {
  path: string;
  reason: string;
}

/** The file-system calls the walk makes (injected in tests: root reads any directory). */
export interface LogFileSystem {
  stat(path: string): Promise<Stats>;
  lstat(path: string): Promise<Stats>;
  realpath(path: string): Promise<string>;
  readdir(path: string, options: { withFileTypes: true }): Promise<Dirent[]>;
}

const NODE_FILE_SYSTEM: LogFileSystem = { stat, lstat, realpath, readdir };

export interface LogFileList {
  /** Regular files to read, sorted per directory, each real file once. */
  files: string[];
  skipped: SkippedPath[];
}

/**
 * Expands files and directories (recursively, as ALB writes them to S3:
 * AWSLogs/<account>/elasticloadbalancing/<region>/<yyyy>/<mm>/<dd>/…log.gz) into the regular
 * files to read. Reads what can be read and lists what cannot, with why: a sub-directory that
 * cannot be opened, a FIFO, socket or device (never opened: a FIFO would block, a device never
 * end), a broken symbolic link. Symbolic links are followed to regular files and directories,
 * each real file and directory once, so a link loop ends. Hidden files (".DS_Store", editor
 * swap files) are left out silently. A given path that does not exist is an error naming it;
 * an empty directory yields nothing.
 */
export async function findLogFiles(
  paths: readonly string[],
  fileSystem: LogFileSystem = NODE_FILE_SYSTEM,
): Promise<LogFileList> {
  const walk = new LogFileWalk(fileSystem);
  for (const given of paths) {
    try {
      await fileSystem.stat(given);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        walk.skip(given, describeAccessError(error));
        continue;
      }
      throw new LogFileError(
        `No such file or directory: ${printableText(given)}.`,
        'Check the path given to --alb-logs / --proxy-logs.',
        {
          cause: error,
        },
      );
    }
    await walk.visit(given);
  }
  return { files: walk.files, skipped: walk.skipped };
}

/**
 * The files of findLogFiles without the list of what was skipped.
 * @deprecated Use findLogFiles, and show its `skipped` list (describeSkippedPath).
 */
export async function listLogFiles(paths: readonly string[]): Promise<string[]> {
  return (await findLogFiles(paths)).files;
}

/** "logs/private: skipped, permission denied" — a file name made safe to print. */
export function describeSkippedPath(skipped: SkippedPath): string {
  return `${printableText(skipped.path)}: skipped, ${skipped.reason}`;
}

class LogFileWalk {
  readonly files: string[] = [];
  readonly skipped: SkippedPath[] = [];
  /** Real path → the path it was first reached by: a file reached twice (or a link loop) counts once. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly fs: LogFileSystem) {}

  skip(at: string, reason: string): void {
    this.skipped.push({ path: at, reason });
  }

  async visit(at: string): Promise<void> {
    let info: Stats;
    let real: string;
    try {
      info = await this.fs.stat(at); // follows links
      real = await this.fs.realpath(at);
    } catch (error) {
      const linked = await this.isSymbolicLink(at);
      this.skip(
        at,
        linked
          ? `a symbolic link to a path that cannot be read (${describeAccessError(error)})`
          : describeAccessError(error),
      );
      return;
    }
    const first = this.seen.get(real);
    if (first !== undefined) {
      if (first !== at)
        this.skip(at, `the same ${info.isDirectory() ? 'directory' : 'file'} as ${printableText(first)}, read once`);
      return;
    }
    this.seen.set(real, at);
    if (info.isDirectory()) await this.walkDirectory(at);
    else if (info.isFile()) this.files.push(at);
    else this.skip(at, `${describeFileType(info)}, not a log file`);
  }

  private async walkDirectory(directory: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await this.fs.readdir(directory, { withFileTypes: true });
    } catch (error) {
      this.skip(directory, `a directory that cannot be listed (${describeAccessError(error)})`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      await this.visit(path.join(directory, entry.name));
    }
  }

  private async isSymbolicLink(at: string): Promise<boolean> {
    try {
      return (await this.fs.lstat(at)).isSymbolicLink();
    } catch {
      return false;
    }
  }
}

function describeAccessError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'ELOOP') return 'a loop of symbolic links';
  if (code === 'ENAMETOOLONG') return 'its name is too long';
  return printableText(error instanceof Error ? error.message : String(error));
}
