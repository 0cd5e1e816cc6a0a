/**
 * Which signals each verdict's chart shows, written once as data: the PNG/SVG, Slack's native
 * chart and the sparkline fallback all read it. At most six series per chart (Slack's limit
 * for a line chart), grouped in panels that share a y scale: a 429 burst of 143/min and a
 * background of 2 LB-minted 502s a minute cannot share one without the 502s lying flat on 0.
 */
import type { VerdictKind } from '../../core/types.js';

export const MAX_CHART_SERIES = 6;

export interface ChartPanelChoice {
  /** The y-axis title. */
  title: string;
  signals: readonly string[];
  /** A signal whose window mean is drawn as a dashed rule: "flat" is then visible as flat. */
  meanOf?: string;
}

const FIVE_XX = 'LB-minted and origin 5xx per minute';

export const CHART_CHOICES: Readonly<Record<VerdictKind, readonly ChartPanelChoice[]>> = {
  throttling_429: [
    { title: 'requests and 429s per minute', signals: ['requests', 'throttled_429'] },
    { title: FIVE_XX, signals: ['origin_5xx', 'target_5xx', 'elb_502_index', 'elb_502'], meanOf: 'elb_502' },
  ],
  keepalive_race: [
    { title: 'LB-minted 502s per minute', signals: ['elb_502', 'elb_502_index'], meanOf: 'elb_502' },
    {
      title: 'what the targets returned per minute',
      signals: ['target_5xx', 'target_connection_errors', 'elb_503', 'elb_504'],
    },
  ],
  origin_5xx: [
    { title: '5xx per minute', signals: ['origin_5xx', 'target_5xx', 'elb_502_index'] },
    { title: 'requests per minute', signals: ['requests', 'proxy_requests'] },
  ],
  target_unreachable: [
    {
      title: 'LB-minted errors per minute',
      signals: ['elb_502_index', 'elb_503_index', 'target_connection_errors', 'elb_502'],
    },
    { title: 'requests per minute', signals: ['requests', 'proxy_requests'] },
  ],
  origin_timeout: [
    { title: 'LB-minted 504s per minute', signals: ['elb_504_index', 'elb_504'] },
    { title: 'slow requests and requests per minute', signals: ['slow_requests', 'requests'] },
  ],
  no_healthy_targets: [
    { title: 'LB-minted 503s per minute', signals: ['elb_503_index', 'elb_503'] },
    { title: 'requests per minute', signals: ['requests'] },
    { title: 'healthy targets (minimum per minute)', signals: ['healthy_hosts'] },
  ],
  no_errors: [
    { title: 'requests per minute', signals: ['requests'] },
    {
      title: 'errors per minute',
      signals: ['throttled_429', 'origin_5xx', 'target_5xx', 'elb_502_index', 'elb_502'],
      meanOf: 'elb_502',
    },
  ],
  inconclusive: [
    { title: 'requests per minute', signals: ['requests'] },
    { title: 'errors per minute', signals: ['throttled_429', 'origin_5xx', 'target_5xx', 'elb_502_index', 'elb_502'] },
  ],
};

export interface SeriesStyle {
  /** For Slack's legend: at most 20 characters. */
  shortLabel: string;
  color: string;
  dashed?: boolean;
}

/** Colours keep their meaning across charts: amber 429, reds the origin, blues the load balancer. */
export const SERIES_STYLES: Readonly<Record<string, SeriesStyle>> = {
  requests: { shortLabel: 'requests', color: '#9ca3af' },
  proxy_requests: { shortLabel: 'proxy requests', color: '#6b7280', dashed: true },
  lb_requests: { shortLabel: 'LB requests', color: '#d1d5db' },
  throttled_429: { shortLabel: '429 throttled', color: '#f59e0b' },
  target_4xx: { shortLabel: 'target 4xx', color: '#b45309', dashed: true },
  origin_5xx: { shortLabel: 'origin 5xx', color: '#dc2626' },
  target_5xx: { shortLabel: 'target 5xx', color: '#7f1d1d', dashed: true },
  target_connection_errors: { shortLabel: 'target conn. errors', color: '#0d9488' },
  elb_502: { shortLabel: 'LB 502 all tenants', color: '#2563eb' },
  elb_502_index: { shortLabel: 'LB 502 this index', color: '#7c3aed' },
  elb_503: { shortLabel: 'LB 503 all tenants', color: '#db2777' },
  elb_503_index: { shortLabel: 'LB 503 this index', color: '#9d174d' },
  elb_504: { shortLabel: 'LB 504 all tenants', color: '#65a30d' },
  elb_504_index: { shortLabel: 'LB 504 this index', color: '#3f6212' },
  slow_requests: { shortLabel: 'slow requests', color: '#0891b2' },
  healthy_hosts: { shortLabel: 'healthy targets', color: '#16a34a' },
  unhealthy_hosts: { shortLabel: 'unhealthy targets', color: '#ea580c' },
};

const FALLBACK_STYLE: SeriesStyle = { shortLabel: 'signal', color: '#374151' };

export function seriesStyle(signal: string): SeriesStyle {
  return SERIES_STYLES[signal] ?? { ...FALLBACK_STYLE, shortLabel: signal.slice(0, 20) };
}

/** What a finding's burst is a burst of, for the shaded band's label. */
export const BURST_NAMES: Readonly<Partial<Record<VerdictKind, string>>> = {
  throttling_429: '429 burst',
  origin_5xx: 'origin 5xx burst',
  target_unreachable: 'LB-minted error burst',
  origin_timeout: '504 burst',
  no_healthy_targets: '503 burst',
};

/** The signal whose colour shades a finding's burst. */
export const BURST_SIGNALS: Readonly<Partial<Record<VerdictKind, string>>> = {
  throttling_429: 'throttled_429',
  origin_5xx: 'origin_5xx',
  target_unreachable: 'elb_502_index',
  origin_timeout: 'elb_504',
  no_healthy_targets: 'elb_503',
};
