import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSkippedPath, findLogFiles, type LogFileSystem } from '../../src/files/list-log-files.js';

/** A folder of ALB-style logs: a/1.log, a/2.log.gz, b/3.log, and whatever `extra` adds. */
function logFolder(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'why502-list-'));
  mkdirSync(path.join(root, 'a'));
  mkdirSync(path.join(root, 'b'));
  writeFileSync(path.join(root, 'a', '1.log'), 'line\n');
  writeFileSync(path.join(root, 'a', '2.log.gz'), '');
  writeFileSync(path.join(root, 'b', '3.log'), 'line\n');
  return root;
}

/** The real file system, except that listing `denied` fails as it does for a directory without read permission. */
function deniedListing(denied: string): LogFileSystem {
  return {
    stat: fsPromises.stat,
    lstat: fsPromises.lstat,
    realpath: fsPromises.realpath,
    readdir: async (at, options) => {
      if (at === denied)
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${at}'`), { code: 'EACCES' });
      return fsPromises.readdir(at, options);
    },
  };
}

describe('findLogFiles', () => {
  it('reads the other directories when one cannot be listed, and says which and why', async () => {
    const root = logFolder();

    const list = await findLogFiles([root], deniedListing(path.join(root, 'a')));

    expect(list).toEqual({
      files: [path.join(root, 'b', '3.log')],
      skipped: [{ path: path.join(root, 'a'), reason: 'a directory that cannot be listed (permission denied)' }],
    });
  });

  it.skipIf(process.getuid?.() === 0)(
    'skips a sub-directory without read permission on a real file system',
    async () => {
      const root = logFolder();
      chmodSync(path.join(root, 'a'), 0o000);

      const list = await findLogFiles([root]);

      chmodSync(path.join(root, 'a'), 0o755);
      expect(list.files).toEqual([path.join(root, 'b', '3.log')]);
      expect(list.skipped.map(describeSkippedPath)).toEqual([
        `${path.join(root, 'a')}: skipped, a directory that cannot be listed (permission denied)`,
      ]);
    },
  );

  it('follows a symbolic link to a log file, and reads a file reached twice once', async () => {
    const root = logFolder();
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'why502-list-target-'));
    writeFileSync(path.join(elsewhere, 'linked.log'), 'line\n');
    symlinkSync(path.join(elsewhere, 'linked.log'), path.join(root, 'b', '4.log'));
    symlinkSync(path.join(root, 'a', '1.log'), path.join(root, 'b', '5.log'));

    const list = await findLogFiles([root]);

    expect(list.files).toEqual([
      path.join(root, 'a', '1.log'),
      path.join(root, 'a', '2.log.gz'),
      path.join(root, 'b', '3.log'),
      path.join(root, 'b', '4.log'),
    ]);
    expect(list.skipped).toEqual([
      { path: path.join(root, 'b', '5.log'), reason: `the same file as ${path.join(root, 'a', '1.log')}, read once` },
    ]);
  });

  it('ends a loop of directory links, each directory walked once', async () => {
    const root = logFolder();
    symlinkSync(root, path.join(root, 'b', 'loop'));

    const list = await findLogFiles([root]);

    expect(list.files).toEqual([
      path.join(root, 'a', '1.log'),
      path.join(root, 'a', '2.log.gz'),
      path.join(root, 'b', '3.log'),
    ]);
    expect(list.skipped).toEqual([
      { path: path.join(root, 'b', 'loop'), reason: `the same directory as ${root}, read once` },
    ]);
  });

  it('lists a broken link and a link loop with why they were not read', async () => {
    const root = logFolder();
    symlinkSync(path.join(root, 'gone.log'), path.join(root, 'b', 'broken.log'));
    symlinkSync(path.join(root, 'b', 'self.log'), path.join(root, 'b', 'self.log'));

    const { skipped } = await findLogFiles([path.join(root, 'b')]);

    expect(skipped).toEqual([
      {
        path: path.join(root, 'b', 'broken.log'),
        reason: 'a symbolic link to a path that cannot be read (it does not exist)',
      },
      {
        path: path.join(root, 'b', 'self.log'),
        reason: 'a symbolic link to a path that cannot be read (a loop of symbolic links)',
      },
    ]);
  });

  it('never opens a FIFO or a device, given or found: it lists them as skipped', async () => {
    const root = logFolder();
    execFileSync('mkfifo', [path.join(root, 'b', 'pipe.log')]);

    const list = await findLogFiles([root, '/dev/zero']);

    expect(list.files).toEqual([
      path.join(root, 'a', '1.log'),
      path.join(root, 'a', '2.log.gz'),
      path.join(root, 'b', '3.log'),
    ]);
    expect(list.skipped.map(describeSkippedPath)).toEqual([
      `${path.join(root, 'b', 'pipe.log')}: skipped, a FIFO (named pipe), not a log file`,
      '/dev/zero: skipped, a device, not a log file',
    ]);
  });

  it('names a skipped path without the control characters in its name', () => {
    const line = describeSkippedPath({
      path: 'logs/\u001b]8;;https://evil.test\u0007x\u001b]8;;\u0007.log',
      reason: 'a FIFO (named pipe), not a log file',
    });

    expect(line).toBe('logs/]8;;https://evil.testx]8;;.log: skipped, a FIFO (named pipe), not a log file');
  });

  it('still refuses a path that does not exist, naming it', async () => {
    await expect(findLogFiles(['./no-such-logs'])).rejects.toThrow('No such file or directory: ./no-such-logs.');
  });
});
