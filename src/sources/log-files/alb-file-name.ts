/**
 * What an ALB access-log file's S3 name says about its contents (domain.md §1.1):
 *   <account>_elasticloadbalancing_<region>_app.<lb-name>.<lb-id>_<end yyyymmddTHHMMZ>_<node-ip>_<random>.log.gz
 * One file per load-balancer node per 5 minutes, named by the interval's end: so a user's
 * download says which node was logging when, and a missing file is a hole we can name.
 */
export interface AlbFileName {
  /** The load-balancer node that wrote the file (its IP address as in the name). */
  node: string;
  /** End of the file's 5-minute interval, epoch ms. */
  intervalEndMs: number;
}

export const ALB_FILE_INTERVAL_MS = 5 * 60_000;

const NAME =
  /_elasticloadbalancing_[a-z0-9-]+_[^_]+_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_([0-9a-fA-F.:]+)_[^_/\\]+\.log(?:\.gz)?$/;

/** The node and interval of an S3-named ALB log file, or null for any other name. */
export function parseAlbFileName(filePath: string): AlbFileName | null {
  const match = NAME.exec(filePath);
  if (!match) return null;
  const [, year, month, day, hour, minute, node] = match;
  const intervalEndMs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
  return Number.isNaN(intervalEndMs) ? null : { node: node!, intervalEndMs };
}
