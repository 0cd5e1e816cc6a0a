/**
 * What the main thread and a piece worker say to each other (worker-pool.ts, piece-worker.ts).
 * Pieces are claimed from a counter in shared memory, so no piece waits for a message round trip.
 */

/** What a worker posts. */
export type WorkerMessage<R> = { ok: true; index: number; result: R } | { ok: false; message: string } | { done: true };

/** What a worker is told once, when its work begins. */
export interface WorkerSetup {
  context: unknown;
  pieces: readonly unknown[];
  /** Int32Array over it: [0] the next piece to claim, [1 + slot] each worker's CLAIM_STATE. */
  claims: SharedArrayBuffer;
  slot: number;
}

/** A worker's cell in WorkerSetup.claims: set once by whichever of it and the main thread is first. */
export const CLAIM_STATE = { loading: 0, claiming: 1, dismissed: 2 } as const;
