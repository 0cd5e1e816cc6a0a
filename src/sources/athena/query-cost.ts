/**
 * What an Athena query costs, estimated from its statistics: $5 per TB scanned, rounded up to
 * the megabyte, 10 MB minimum per query (next-capabilities §1.5: athena.guide and Stanford's
 * rcpedia; decimal units assumed). A reused result scanned nothing and costs nothing; a query
 * that failed is not charged (both per the pricing page as recalled in the reference: unverified).
 */
export const USD_PER_TB_SCANNED = 5;
const BYTES_PER_MB = 1_000_000;
const BYTES_PER_TB = 1_000_000_000_000;
export const MINIMUM_BILLED_BYTES = 10 * BYTES_PER_MB;

export interface QueryCharge {
  succeeded: boolean;
  reused: boolean;
  bytesScanned: number;
}

export function queryCostUsd(query: QueryCharge): number {
  if (query.reused || !query.succeeded) return 0;
  const billedBytes = Math.max(MINIMUM_BILLED_BYTES, Math.ceil(query.bytesScanned / BYTES_PER_MB) * BYTES_PER_MB);
  return (billedBytes / BYTES_PER_TB) * USD_PER_TB_SCANNED;
}
