import type { Config } from '../config.js';
import { parseConfig } from '../config.js';
import type { IncidentSpec, TenantSpec } from '../simulate/simulate-incident.js';

/**
 * The bundled demo, modelled on the seed incident (shared/seeds/000): a customer reports
 * "502s at 5:41 AM AEST"; the truth is a 429 rate-limit burst on their index from 05:29 to
 * 05:40 AEST, over a flat background of LB-minted 502s across ~20 tenants of a shared ALB.
 * Volumes are scaled down (~200 req/min for the index) so the demo runs in a couple of seconds.
 */
export const DEMO_INDEX = 'prod_000_audio';
export const DEMO_TIME = ['05:41', 'AEST'];
/** "Now" for the demo: 09:00 AEST on 19 June 2026, so 05:41 AEST means that morning. */
export const DEMO_NOW = new Date('2026-06-18T23:00:00Z');
const START = new Date('2026-06-18T18:06:00Z');
const minuteOf = (iso: string) => Math.round((Date.parse(iso) - START.getTime()) / 60_000);

const OTHER_TENANTS = [
  'prod_001_images',
  'prod_002_docs',
  'prod_003_catalog',
  'prod_004_video',
  'prod_005_fonts',
  'prod_006_music',
  'prod_007_themes',
  'prod_008_plugins',
  'prod_009_photos',
  'prod_010_graphics',
  'prod_011_sfx',
  'prod_012_templates',
  'prod_013_mockups',
  'prod_014_3d',
  'prod_015_presets',
  'prod_016_brushes',
  'prod_017_icons',
  'prod_018_code',
  'prod_019_web',
];

/** A stable 16-hex-digit id per name, like the suffix AWS gives target groups. */
function hexId(name: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const ch of name) {
    a = Math.imul(a ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    b = Math.imul(b ^ ch.charCodeAt(0), 0x85ebca6b) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export function tenantSpec(index: string, requestsPerMinute: number): TenantSpec {
  return {
    index,
    targetGroup: `targetgroup/k8s-${index.replace(/_/g, '').slice(0, 28)}/${hexId(index)}`,
    requestsPerMinute,
    path: `/indexes/${index}/search`,
  };
}

export const DEMO_TENANTS: TenantSpec[] = [
  tenantSpec(DEMO_INDEX, 170),
  ...OTHER_TENANTS.map((index, i) => tenantSpec(index, 4 + ((i * 37) % 23))),
];

export const DEMO_INCIDENT: IncidentSpec = {
  start: START,
  // 18:06–23:00 UTC: the 3-hour window around 05:41 AEST, and on to "now" (09:00 AEST), so that a
  // follow-up about a later minute (the seed's "08:22?") finds its logs as the seed's author did.
  minutes: 294,
  seed: 20260619,
  loadBalancer: `app/k8s-ingress/${hexId('k8s-ingress')}`,
  region: 'ap-southeast-2',
  accountId: '123456789012',
  tenants: DEMO_TENANTS,
  events: [
    {
      kind: 'throttle',
      index: DEMO_INDEX,
      fromMinute: minuteOf('2026-06-18T18:38:00Z'),
      toMinute: minuteOf('2026-06-18T18:41:00Z'),
      peakPerMinute: 35,
    },
    {
      kind: 'throttle',
      index: DEMO_INDEX,
      fromMinute: minuteOf('2026-06-18T19:29:00Z'),
      toMinute: minuteOf('2026-06-18T19:40:00Z'),
      peakPerMinute: 150,
    },
    { kind: 'keepalive_502', perMinute: 2 },
  ],
};

/** The config a team running this platform would have. */
export function demoConfig(albLogs: string, proxyLogs: string): Config {
  return parseConfig(
    {
      timezone: 'Australia/Sydney',
      window: '3h',
      idleTimeoutSeconds: 60,
      slowRequestSeconds: 2,
      source: 'files',
      files: { albLogs: [albLogs], proxyLogs: [proxyLogs] },
      indexes: Object.fromEntries(
        DEMO_TENANTS.map((t) => [t.index, { targetGroup: t.targetGroup, match: `/indexes/${t.index}/` }]),
      ),
    },
    'the bundled demo',
  );
}
