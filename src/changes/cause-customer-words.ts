/**
 * Pure: each cause kind in the customer's words, for the draft ("a deployment on our side
 * restarted the servers behind your index at 14:02"). No object names, no numbers the evidence
 * does not hold: the draft adds the time from `Cause.at` in the customer's zone, and only for a
 * cause that was measured.
 */
import type { CauseKind } from '../core/types.js';

export const CAUSE_CUSTOMER_WORDS: Record<CauseKind, string> = {
  deploy: 'a deployment on our side restarted the servers behind your index',
  scale_in: 'our platform reduced the number of servers behind your index and cut off requests they were still serving',
  scale_out: 'our platform was adding servers behind your index',
  restart: 'servers behind your index were restarted',
  oom_kill: 'servers behind your index ran out of memory and were restarted',
  cpu_saturation: 'a server behind your index was overloaded',
  health_check_failures: 'servers behind your index stopped answering our health checks and were replaced',
  config_change: 'a configuration change on our side',
  idle_timeout_mismatch:
    'a connection timeout setting on our side closed idle connections that were still being reused',
};
