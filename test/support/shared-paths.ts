import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared folder beside the repository (contract, real-log corpus, references); absent in a fresh clone. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
/** Real log lines from other projects, read in place: never copied into the repository. */
export const REAL_LOGS_DIR = `${SHARED_DIR}data/real-logs/`;
/** The contract's own copy of the schema; the repository's copy must stay byte-identical to it. */
export const SHARED_CONTRACT_SCHEMA = `${SHARED_DIR}contract/why502.schema.json`;
export const DOMAIN_REFERENCE = `${SHARED_DIR}reference/domain.md`;
/** The schema `--format json` follows, committed with the code: the schema tests always run. */
export const CONTRACT_SCHEMA = fileURLToPath(new URL('../../contract/why502.schema.json', import.meta.url));
/** Fixtures written by us in the real formats (SOURCES.md there): the fresh-clone stand-in for REAL_LOGS_DIR. */
export const REAL_FORMAT_DIR = fileURLToPath(new URL('../fixtures/real-format/', import.meta.url));

export const hasRealLogs = existsSync(REAL_LOGS_DIR);
export const hasSharedContract = existsSync(SHARED_CONTRACT_SCHEMA);
export const hasDomainReference = existsSync(DOMAIN_REFERENCE);
export const hasContract = existsSync(CONTRACT_SCHEMA);

/**
 * Says once for the whole test run (not once per file or per test) which checks skip because
 * parts of the shared folder are missing. Vitest runs test files in separate workers (forks or
 * threads of one main process), so a module flag would speak once per file: the first worker to
 * create a marker file named after the run's main process speaks, the others stay quiet.
 */
export function warnSharedAbsentOnce(): void {
  const missing = [
    hasRealLogs ? null : `the real-log corpus (${REAL_LOGS_DIR})`,
    hasSharedContract
      ? null
      : `the contract's schema to compare the repository's copy with (${SHARED_CONTRACT_SCHEMA})`,
    hasDomainReference ? null : `the domain reference (${DOMAIN_REFERENCE})`,
  ].filter((part): part is string => part !== null);
  if (missing.length === 0 || !claimRunMarker()) return;
  console.warn(
    `SKIPPED (said once for this run): the checks that need the shared folder beside the repository, which lacks ${missing.join('; ')}. ` +
      "The same checks ran on the repository's own fixtures (test/fixtures/real-format/); the skipped ones are marked as skipped in the results.",
  );
}

/** @deprecated Use warnSharedAbsentOnce: it says what is missing once per run. */
export function warnSkipped(_what: string, _path: string): void {
  warnSharedAbsentOnce();
}

let claimedHere = false;

/** True for exactly one caller per test run. */
function claimRunMarker(): boolean {
  if (claimedHere) return false;
  claimedHere = true;
  const marker = path.join(os.tmpdir(), `why502-shared-absent-${runId()}`);
  try {
    closeSync(openSync(marker, 'wx'));
    return true;
  } catch (error) {
    // EEXIST: another test file of this run has said it. Anything else (no writable temp
    // folder): better said once per file than never.
    return (error as NodeJS.ErrnoException).code !== 'EEXIST';
  }
}

/**
 * Vitest's main process: workers are its child processes (forks, with an IPC channel) or its
 * threads. Its start time joins the pid so that a reused pid makes a new run.
 */
function runId(): string {
  const mainPid = typeof process.send === 'function' ? process.ppid : process.pid;
  return `${mainPid}-${processStartTicks(mainPid)}`;
}

/** Field 22 of /proc/<pid>/stat (Linux); "0" elsewhere, where the pid alone names the run. */
function processStartTicks(pid: number): string {
  try {
    const afterName = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '';
    return afterName.split(' ')[19] ?? '0';
  } catch {
    return '0';
  }
}
