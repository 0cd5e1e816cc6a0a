import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared folder beside the repository (contract, real-log corpus); absent on some machines. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const REAL_LOGS_DIR = `${SHARED_DIR}data/real-logs/`;
export const CONTRACT_SCHEMA = `${SHARED_DIR}contract/why502.schema.json`;
export const hasRealLogs = existsSync(REAL_LOGS_DIR);
export const hasContract = existsSync(CONTRACT_SCHEMA);

export function warnSkipped(what: string, path: string): void {
  console.warn(`SKIPPED ${what}: ${path} is not there (the shared folder beside the repository).`);
}
