/**
 * State that must outlive one request and one function instance (CONTRACT §7): which Slack
 * deliveries and jobs were already taken, posts still waiting for Slack, where a summary was
 * posted. Narrow on purpose: a conditional "first one wins" write, a plain write, a read and a
 * delete, each keyed by a string and kept for a limited time. DynamoDB on Lambda, memory in
 * `why502 serve`.
 */
export interface StateStore {
  /**
   * Records `key` for `ttlSeconds` unless it is already recorded and not yet expired. True when
   * this call recorded it: of two callers racing on one key (two Lambda instances handling the
   * same Slack retry), exactly one gets true.
   */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  /** Stores `value` under `key` for `ttlSeconds`, replacing what was there (a claim included). */
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** The value under `key`; undefined when absent, expired, or claimed without a value. */
  get(key: string): Promise<string | undefined>;
  /** Forgets `key` (releases a claim), whether or not it exists. */
  delete(key: string): Promise<void>;
}

/** DynamoDB items are at most 400 KB; values beyond this are refused before the call. */
export const MAX_STATE_VALUE_BYTES = 350_000;
