/**
 * The proxy log formats a Logs Insights log group can hold (aws.proxyLogFormats in why502.yml):
 * ONE list, and every type and check derived from it. Each format has its own query template
 * (templates/queries/) and row reader; proxy-format-queries.ts maps each name to them, and the
 * compiler refuses a format without both. This module stays free of the query code so that the
 * config can validate the names without loading it.
 */
export const PROXY_LOG_FORMATS = [
  { name: 'haproxy', label: 'HAProxy', template: 'proxy-signals.insights' },
  { name: 'traefik-json', label: 'Traefik JSON', template: 'proxy-signals-traefik-json.insights' },
  { name: 'envoy', label: 'Envoy', template: 'proxy-signals-envoy.insights' },
] as const;

export type ProxyLogFormat = (typeof PROXY_LOG_FORMATS)[number]['name'];

/** The names, for the config schema's enum and its messages. */
export const PROXY_LOG_FORMAT_NAMES = PROXY_LOG_FORMATS.map((format) => format.name) as [
  ProxyLogFormat,
  ...ProxyLogFormat[],
];

/** A log group not named in aws.proxyLogFormats holds HAProxy's lines (as before formats existed). */
export const DEFAULT_PROXY_LOG_FORMAT: ProxyLogFormat = 'haproxy';

/** aws.proxyLogFormats as parsed: log group → format. */
export type ProxyLogFormats = Readonly<Partial<Record<string, ProxyLogFormat>>>;

/** The format of one log group's lines. */
export function proxyLogFormatOf(logGroup: string, formats: ProxyLogFormats | undefined): ProxyLogFormat {
  return formats?.[logGroup] ?? DEFAULT_PROXY_LOG_FORMAT;
}

/** "Traefik JSON", as a person names the format. */
export function proxyLogFormatLabel(format: ProxyLogFormat): string {
  return PROXY_LOG_FORMATS.find((entry) => entry.name === format)!.label;
}

/**
 * How a log group is named in sources and signals: the group alone for the default format (as
 * before formats existed), else with its format, "/prod/traefik (Traefik JSON)".
 */
export function describeProxyLogGroup(logGroup: string, formats: ProxyLogFormats | undefined): string {
  const format = proxyLogFormatOf(logGroup, formats);
  return format === DEFAULT_PROXY_LOG_FORMAT ? logGroup : `${logGroup} (${proxyLogFormatLabel(format)})`;
}
