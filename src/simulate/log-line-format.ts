/**
 * Writes log lines in the real formats (ALB access logs as AWS documents them, HAProxy
 * `option httplog` behind a syslog prefix), so generated incidents go through the same
 * parsers as downloaded logs.
 */

export interface AlbLineFields {
  timeMs: number;
  /** "app/k8s-ingress/0123456789abcdef" */
  elb: string;
  client: string;
  /** "10.0.2.15:8080", or null for "-" */
  target: string | null;
  requestSeconds: number;
  /** null → -1 (not measured) */
  targetSeconds: number | null;
  responseSeconds: number;
  elbStatus: number;
  /** null → "-": the target never answered */
  targetStatus: number | null;
  method: string;
  url: string;
  targetGroupArn: string;
  traceId: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// Consecutive lines share their second: format "YYYY-MM-DDTHH:MM:SS" once per second.
let cachedSecond = NaN;
let cachedSecondText = '';

/** ISO 8601 with microseconds, as ALB writes it: 2026-06-18T19:41:00.186641Z */
export function albTime(timeMs: number, micros = 0): string {
  const second = Math.floor(timeMs / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedSecondText = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return `${cachedSecondText}.${pad(timeMs - second * 1000, 3)}${pad(micros, 3)}Z`;
}

/** "search.example.com" from "https://search.example.com:443/path" (no URL parsing: this runs per line). */
function hostOf(url: string): string {
  const start = url.indexOf('//') + 2;
  const end = url.indexOf('/', start);
  const authority = url.slice(start, end === -1 ? undefined : end);
  const colon = authority.lastIndexOf(':');
  return colon === -1 ? authority : authority.slice(0, colon);
}

export function formatAlbLine(f: AlbLineFields): string {
  const seconds = (s: number | null) => (s === null ? '-1' : s.toFixed(3));
  const dispatched = f.targetSeconds !== null;
  const host = hostOf(f.url);
  return [
    'https',
    albTime(f.timeMs, f.timeMs % 997),
    f.elb,
    f.client,
    f.target ?? '-',
    dispatched ? seconds(f.requestSeconds) : '-1',
    seconds(f.targetSeconds),
    dispatched ? seconds(f.responseSeconds) : '-1',
    String(f.elbStatus),
    f.targetStatus === null ? '-' : String(f.targetStatus),
    '412',
    f.targetStatus === null ? '293' : '1873',
    `"${f.method} ${f.url} HTTP/1.1"`,
    '"python-requests/2.32.3"',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'TLSv1.2',
    f.targetGroupArn,
    `"${f.traceId}"`,
    `"${host}"`,
    '"arn:aws:acm:ap-southeast-2:123456789012:certificate/00000000-0000-0000-0000-000000000000"',
    '3',
    albTime(f.timeMs - Math.round((f.targetSeconds ?? 0) * 1000) - 1),
    '"forward"',
    '"-"',
    '"-"',
    `"${f.target ?? '-'}"`,
    `"${f.targetStatus === null ? '-' : f.targetStatus}"`,
    '"-"',
    '"-"',
    `TID_${f.traceId.slice(-16)}`,
  ].join(' ');
}

export interface HaproxyLineFields {
  timeMs: number;
  client: string;
  frontend: string;
  backend: string;
  /** "<NOSRV>" when no server was chosen (e.g. denied by a rate limit) */
  server: string;
  /** TR/Tw/Tc/Tr/Ta in ms; -1 where HAProxy logs -1 */
  timers: [number, number, number, number, number];
  status: number;
  bytes: number;
  termination: string;
  method: string;
  path: string;
  host: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A syslog-prefixed `option httplog` line with a captured Host header, dates in UTC. */
export function formatHaproxyLine(f: HaproxyLineFields): string {
  const d = new Date(f.timeMs);
  const syslog = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const accept = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  return (
    `${syslog} ip-10-0-1-5 haproxy[812]: ${f.client} [${accept}] ${f.frontend} ${f.backend}/${f.server} ` +
    `${f.timers.join('/')} ${f.status} ${f.bytes} - - ${f.termination} 118/118/3/1/0 0/0 {${f.host}} "${f.method} ${f.path} HTTP/1.1"`
  );
}
