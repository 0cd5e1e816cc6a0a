/**
 * An incident that recurs daily (seed 003: "it happens daily around the same time" — a forced
 * daily restart, a cron job, an autoscaling cycle): `days` days of traffic in which the index's
 * targets go down for a few minutes at the same time of day, except on `quietDays`. Fed to
 * simulateIncident, it gives the real-format log lines a 14-day pattern window reads, by the
 * hour, from CloudWatch (metrics derived from the lines), Logs Insights and Athena.
 *
 * Two weeks of lines at production rates are millions; the tenants here are a few requests a
 * minute, enough for every hour to hold traffic (so every hour is measured) and for a burst to
 * stand far above the background.
 */
import { tenantSpec } from '../demo/demo-incident.js';
import type { IncidentSpec, TenantSpec } from './simulate-incident.js';

const DAY_MINUTES = 24 * 60;

export interface DailyIncidentOptions {
  /** Midnight UTC of the first day. */
  start: Date;
  /** Default 14. */
  days?: number;
  /** When the targets go down each day, UTC. Default 19:38 (05:38 AEST), as in seed 003. */
  burstHourUtc?: number;
  burstMinute?: number;
  /** How long they stay down each day. Default 8 minutes. */
  burstMinutes?: number;
  /** Share of the index's requests that get LB-minted 502s while down. Default 0.9. */
  failFraction?: number;
  /** Day numbers (0 = the first) without a burst. Default [4, 9]: 12 of 14 days. */
  quietDays?: readonly number[];
  /** The index whose targets restart; default prod_000_audio at 4 requests a minute beside two quieter tenants. */
  tenants?: TenantSpec[];
  index?: string;
  /** LB-minted 502s per minute across tenants all along (keep-alive background). Default 0.01. */
  background502PerMinute?: number;
  seed?: number;
}

export const DAILY_INCIDENT_INDEX = 'prod_000_audio';

export function dailyIncidentSpec(options: DailyIncidentOptions): IncidentSpec {
  const days = options.days ?? 14;
  const index = options.index ?? DAILY_INCIDENT_INDEX;
  const tenants = options.tenants ?? [
    tenantSpec(index, 4),
    tenantSpec('prod_001_images', 1.5),
    tenantSpec('prod_002_docs', 1),
  ];
  const offset = (options.burstHourUtc ?? 19) * 60 + (options.burstMinute ?? 38);
  const length = options.burstMinutes ?? 8;
  const quiet = new Set(options.quietDays ?? [4, 9]);
  const bursts = Array.from({ length: days }, (_, day) => day)
    .filter((day) => !quiet.has(day))
    .map((day) => ({
      kind: 'target_down' as const,
      index,
      fromMinute: day * DAY_MINUTES + offset,
      toMinute: day * DAY_MINUTES + offset + length - 1,
      failFraction: options.failFraction ?? 0.9,
    }));
  return {
    start: options.start,
    minutes: days * DAY_MINUTES,
    seed: options.seed ?? 3,
    loadBalancer: 'app/k8s-ingress/0123456789abcdef',
    region: 'ap-southeast-2',
    accountId: '123456789012',
    tenants,
    events: [{ kind: 'keepalive_502', perMinute: options.background502PerMinute ?? 0.01 }, ...bursts],
  };
}
