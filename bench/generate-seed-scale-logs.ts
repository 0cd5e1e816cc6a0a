/**
 * The seed's load balancer at its own scale (shared/seeds/000): a shared ALB in front of 96
 * target groups answering ~94,000 requests a minute, the index prod_000_audio at ~20,000 a
 * minute with a 429 burst peaking at ~4,600 a minute (19:29–19:40 UTC), and ~6 LB-minted 502s
 * a minute across the other tenants. Written as a user would download it: ALB logs in the S3
 * layout (several nodes, two files per node per 5 minutes, .log.gz) and the index's HAProxy
 * logs as hourly plain files, for the 3-hour window around 19:41 UTC and the 5-minute files at
 * its edges.
 *
 * The incident simulator (src/simulate) spends ~40 µs a line on its event model: 17 M lines
 * would take over ten minutes. This writes the same formats directly (~1 µs a line plus gzip):
 * a minute's requests are drawn as packed numbers, sorted by time, and formatted from
 * per-tenant strings made once. The lines are checked by the real parsers (checkSeedScaleSample)
 * and the investigation's counts against the ones recorded here (SeedScaleManifest).
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { tenantSpec } from '../src/demo/demo-incident.js';
import { seededRandom } from '../src/simulate/random.js';

const gzipAsync = promisify(gzip);

export interface SeedScaleSpec {
  /** First minute written (UTC); the window is 18:11–21:11 for an asked time of 19:41. */
  start: Date;
  minutes: number;
  seed: number;
  lbRequestsPerMinute: number;
  targetGroups: number;
  indexRequestsPerMinute: number;
  /** The index's 429 burst (minutes from `start`), triangular, and the 429s outside it. */
  burst: { fromMinute: number; toMinute: number; peakPerMinute: number };
  background429PerMinute: number;
  /** LB-minted 502s a minute, spread over the other tenants by their traffic. */
  minted502PerMinute: number;
  nodes: number;
  filesPerNodePerInterval: number;
  /** gzip level of the ALB files. */
  gzipLevel: number;
}

export const SEED_INDEX = 'prod_000_audio';
export const SEED_ASKED = ['05:41', 'AEST'];
export const SEED_NOW = '2026-06-18T23:00:00Z';

const START = new Date('2026-06-18T18:10:00Z');
const minuteOf = (iso: string) => Math.round((Date.parse(iso) - START.getTime()) / 60_000);

export const SEED_SCALE: SeedScaleSpec = {
  start: START,
  minutes: 185, // 18:10–21:15: the window and the 5-minute files at its edges
  seed: 20260619,
  lbRequestsPerMinute: 94_000,
  targetGroups: 96,
  indexRequestsPerMinute: 20_000,
  // The triangle's top falls between two minutes: this peak gives ~4,600 in the busiest minute, as in the seed.
  burst: {
    fromMinute: minuteOf('2026-06-18T19:29:00Z'),
    toMinute: minuteOf('2026-06-18T19:40:00Z'),
    peakPerMinute: 4_950,
  },
  background429PerMinute: 40,
  minted502PerMinute: 6,
  nodes: 14,
  filesPerNodePerInterval: 2,
  gzipLevel: 1,
};

/** Bump when the output changes, so a cached copy is written again. */
export const SEED_SCALE_VERSION = 1;

/** What was written, with the counts the investigation must find (by ALB minute from `start`). */
export interface SeedScaleManifest {
  version: number;
  /** The spec as JSON (its start an ISO string), as the manifest file holds it. */
  spec: Omit<SeedScaleSpec, 'start'> & { start: string };
  albDir: string;
  proxyDir: string;
  albFiles: number;
  proxyFiles: number;
  albLines: number;
  proxyLines: number;
  albBytes: number;
  proxyBytes: number;
  perMinute: { lbRequests: number[]; indexRequests: number[]; index429: number[]; elb502: number[] };
  generatedSeconds: number;
}

const ACCOUNT = '123456789012';
const REGION = 'ap-southeast-2';
const LB_ID = 'app/k8s-marqoingressgroup/3c9e5b2a7d1f4e60';
const OUTCOME_OK = 0;
const OUTCOME_429 = 1;
const OUTCOME_502 = 2;
const OUTCOME_404 = 3;
const TENANT_BITS = 128; // tenant index < 128, packed below the outcome and the time

interface Tenant {
  index: string;
  arn: string;
  request: string;
  proxyRequest: string;
  targetNet: string;
}

/** Writes the logs into `directory` once; a complete earlier copy (same version and spec) is reused. */
export async function generateSeedScaleLogs(
  directory: string,
  spec: SeedScaleSpec = SEED_SCALE,
  log: (line: string) => void = () => {},
): Promise<SeedScaleManifest> {
  const manifestFile = path.join(directory, 'manifest.json');
  if (existsSync(manifestFile)) {
    const cached = JSON.parse(readFileSync(manifestFile, 'utf8')) as SeedScaleManifest;
    if (cached.version === SEED_SCALE_VERSION && JSON.stringify(cached.spec) === JSON.stringify(spec)) return cached;
  }
  rmSync(directory, { recursive: true, force: true });
  const partial = `${directory}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const startedMs = performance.now();
  const written = await writeSeedScaleLogs(partial, spec, log);
  renameSync(partial, directory);
  const manifest: SeedScaleManifest = {
    version: SEED_SCALE_VERSION,
    spec: { ...spec, start: spec.start.toISOString() },
    albDir: path.join(directory, 'alb'),
    proxyDir: path.join(directory, 'haproxy'),
    ...written,
    generatedSeconds: (performance.now() - startedMs) / 1000,
  };
  writeFileSync(manifestFile, `${JSON.stringify(manifest)}\n`);
  return manifest;
}

type Written = Omit<SeedScaleManifest, 'version' | 'spec' | 'albDir' | 'proxyDir' | 'generatedSeconds'>;

async function writeSeedScaleLogs(
  directory: string,
  spec: SeedScaleSpec,
  log: (line: string) => void,
): Promise<Written> {
  const random = seededRandom(spec.seed);
  const tenants = makeTenants(spec.targetGroups);
  const pickOther = otherTenantPicker(spec, random);
  const proxy = new HourlyFiles(path.join(directory, 'haproxy'));
  const perMinute = {
    lbRequests: [] as number[],
    indexRequests: [] as number[],
    index429: [] as number[],
    elb502: [] as number[],
  };
  const written: Written = {
    albFiles: 0,
    proxyFiles: 0,
    albLines: 0,
    proxyLines: 0,
    albBytes: 0,
    proxyBytes: 0,
    perMinute,
  };
  const pending: Promise<void>[] = [];
  const files = spec.nodes * spec.filesPerNodePerInterval;
  for (let interval = 0; interval * 5 < spec.minutes; interval++) {
    const startMs = spec.start.getTime() + interval * 5 * 60_000;
    const requests = drawInterval(spec, interval, random, pickOther, perMinute);
    written.albLines += requests.keys.length;
    written.proxyLines += await proxy.append(proxyLinesOf(requests, tenants));
    for (let file = 0; file < files; file++) {
      // Every file gets every files-th request of the interval: each node's share, in time order.
      const format = new AlbLineFormatter(seededRandom(spec.seed * 7919 + interval * 4096 + file), tenants);
      const count = Math.ceil((requests.keys.length - file) / files);
      if (count <= 0) continue;
      // Each line goes straight into the file's bytes: a list of 17,000 line strings would live
      // long enough to be copied by the garbage collector, twice.
      const text = Buffer.allocUnsafe(count * MAX_ALB_LINE_BYTES);
      let length = 0;
      for (let i = file; i < requests.keys.length; i += files) {
        length += text.write(format.line(requests, i), length, 'latin1');
        text[length++] = 10;
      }
      // A few files compress at once (zlib runs on libuv's threads) while the next is formatted.
      if (pending.length >= 3) await pending.shift();
      pending.push(
        writeAlbFile(directory, spec, startMs + 5 * 60_000, file, text.subarray(0, length), random).then((bytes) => {
          written.albBytes += bytes;
        }),
      );
      written.albFiles++;
    }
    log(
      `seed-scale logs: ${Math.min(spec.minutes, (interval + 1) * 5)}/${spec.minutes} minutes, ${(written.albLines / 1e6).toFixed(1)}M ALB lines`,
    );
  }
  await Promise.all(pending);
  const proxyTotals = await proxy.close();
  written.proxyFiles = proxyTotals.files;
  written.proxyBytes = proxyTotals.bytes;
  return written;
}

/** An interval's requests in time order, with what their ALB and HAProxy lines share. */
interface IntervalRequests {
  /** Packed (see drawMinute); minute `minuteOf[i]` from the interval's start. */
  keys: Float64Array;
  minuteStartMs: Float64Array;
  /** Target time in ms, and the proxy's client port (its source of server and byte count too). */
  targetMs: Uint16Array;
  proxyPort: Uint16Array;
}

function drawInterval(
  spec: SeedScaleSpec,
  interval: number,
  random: () => number,
  pickOther: () => number,
  perMinute: SeedScaleManifest['perMinute'],
): IntervalRequests {
  const minutes: Float64Array[] = [];
  for (let minute = interval * 5; minute < Math.min(spec.minutes, interval * 5 + 5); minute++) {
    const keys = drawMinute(spec, minute, random, pickOther);
    recordMinute(perMinute, keys);
    minutes.push(keys);
  }
  const n = minutes.reduce((sum, keys) => sum + keys.length, 0);
  const requests: IntervalRequests = {
    keys: new Float64Array(n),
    minuteStartMs: new Float64Array(n),
    targetMs: new Uint16Array(n),
    proxyPort: new Uint16Array(n),
  };
  let at = 0;
  for (const [offset, keys] of minutes.entries()) {
    requests.keys.set(keys, at);
    requests.minuteStartMs.fill(spec.start.getTime() + (interval * 5 + offset) * 60_000, at, at + keys.length);
    at += keys.length;
  }
  for (let i = 0; i < n; i++) {
    requests.targetMs[i] = outcomeOf(requests.keys[i]!) === OUTCOME_429 ? 1 : 20 + Math.floor(random() * 250);
    requests.proxyPort[i] = 20000 + Math.floor(random() * 40000);
  }
  return requests;
}

const tenantOf = (key: number) => key % TENANT_BITS;
const outcomeOf = (key: number) => Math.floor(key / TENANT_BITS) % 4;
const microsOf = (key: number) => Math.floor(key / TENANT_BITS / 4);
const timeMsOf = (requests: IntervalRequests, i: number) =>
  requests.minuteStartMs[i]! + Math.floor(microsOf(requests.keys[i]!) / 1000);

function makeTenants(count: number): Tenant[] {
  const names = [
    SEED_INDEX,
    ...Array.from(
      { length: count - 1 },
      (_, i) => `prod_${String(i + 1).padStart(3, '0')}_${TENANT_KINDS[i % TENANT_KINDS.length]}`,
    ),
  ];
  return names.map((index, i) => {
    const spec = tenantSpec(index, 1);
    return {
      index,
      arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${spec.targetGroup}`,
      request: `"POST https://search.example.com:443${spec.path} HTTP/1.1"`,
      proxyRequest: `"POST ${spec.path} HTTP/1.1"`,
      targetNet: `10.${16 + (i >> 6)}.${(i * 4) % 256}.`,
    };
  });
}

const TENANT_KINDS = [
  'images',
  'docs',
  'catalog',
  'video',
  'fonts',
  'music',
  'themes',
  'plugins',
  'photos',
  'graphics',
  'sfx',
  'templates',
];

/** The other tenants' share of traffic falls off with rank (a few busy indexes, a long tail), as on a shared ingress. */
function otherTenantPicker(spec: SeedScaleSpec, random: () => number): () => number {
  const weights = Array.from({ length: spec.targetGroups - 1 }, (_, i) => 1 / (i + 1) ** 0.9);
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint8Array(1 << 16);
  let at = 0;
  let cumulative = 0;
  for (const [i, weight] of weights.entries()) {
    cumulative += weight / total;
    const until = Math.round(cumulative * table.length);
    table.fill(i + 1, at, until);
    at = until;
  }
  table.fill(spec.targetGroups - 1, at);
  return () => table[Math.floor(random() * table.length)]!;
}

/** A minute's requests as packed numbers ((µs into the minute × 4 + outcome) × 128 + tenant), sorted: time order. */
function drawMinute(spec: SeedScaleSpec, minute: number, random: () => number, pickOther: () => number): Float64Array {
  const index = around(spec.indexRequestsPerMinute, random);
  const throttled = around(burstAt(spec, minute) + spec.background429PerMinute, random);
  const others = around(spec.lbRequestsPerMinute - spec.indexRequestsPerMinute, random);
  const keys = new Float64Array(index + throttled + others);
  let n = 0;
  const pack = (outcome: number, tenant: number) =>
    (Math.floor(random() * 60_000_000) * 4 + outcome) * TENANT_BITS + tenant;
  for (let i = 0; i < index; i++) keys[n++] = pack(OUTCOME_OK, 0);
  for (let i = 0; i < throttled; i++) keys[n++] = pack(OUTCOME_429, 0);
  for (let i = 0; i < others; i++) keys[n++] = pack(random() < 0.003 ? OUTCOME_404 : OUTCOME_OK, pickOther());
  // Keep-alive races: requests of the other tenants, picked by traffic, answered 502 by the load balancer.
  for (let minted = around(spec.minted502PerMinute, random); minted > 0; minted--) {
    const at = index + throttled + Math.floor(random() * others);
    const key = keys[at]!;
    keys[at] = (Math.floor(key / TENANT_BITS / 4) * 4 + OUTCOME_502) * TENANT_BITS + (key % TENANT_BITS);
  }
  return keys.sort();
}

function burstAt(spec: SeedScaleSpec, minute: number): number {
  const { fromMinute, toMinute, peakPerMinute } = spec.burst;
  if (minute < fromMinute || minute > toMinute) return 0;
  const middle = (fromMinute + toMinute) / 2;
  const halfWidth = (toMinute - fromMinute) / 2 + 1;
  return peakPerMinute * Math.max(0.15, 1 - Math.abs(minute - middle) / halfWidth);
}

/** A count near `mean` (normal spread, √mean), never negative. */
function around(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  const u = Math.max(random(), 1e-12);
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(mean + normal * Math.sqrt(mean)));
}

function recordMinute(perMinute: SeedScaleManifest['perMinute'], keys: Float64Array): void {
  let index = 0;
  let index429 = 0;
  let elb502 = 0;
  for (const key of keys) {
    const tenant = tenantOf(key);
    const outcome = outcomeOf(key);
    if (tenant === 0) index++;
    if (tenant === 0 && outcome === OUTCOME_429) index429++;
    if (outcome === OUTCOME_502) elb502++;
  }
  perMinute.lbRequests.push(keys.length);
  perMinute.indexRequests.push(index);
  perMinute.index429.push(index429);
  perMinute.elb502.push(elb502);
}

const USER_AGENTS = [
  '"python-requests/2.32.3"',
  '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"',
  '"axios/1.7.2"',
  '"Go-http-client/2.0"',
  '"node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"',
];
const CERT = '"arn:aws:acm:ap-southeast-2:123456789012:certificate/7f3b2c1d-9e8a-4b6c-a5d4-3e2f1a0b9c8d"';
const HEX4 = Array.from({ length: 1 << 16 }, (_, i) => i.toString(16).padStart(4, '0'));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Formats a request's ALB line as a real one looks, from per-tenant strings made once. */
class AlbLineFormatter {
  private readonly seconds = new SecondTexts();

  constructor(
    private readonly random: () => number,
    private readonly tenants: readonly Tenant[],
  ) {}

  line(requests: IntervalRequests, i: number): string {
    const random = this.random;
    const key = requests.keys[i]!;
    const tenant = this.tenants[tenantOf(key)]!;
    const outcome = outcomeOf(key);
    const timeMs = timeMsOf(requests, i);
    const targetMs = requests.targetMs[i]!;
    const time = `${this.seconds.iso(timeMs)}.${pad(microsOf(key) % 1_000_000, 6)}Z`;
    const client = `${CLIENTS[Math.floor(random() * CLIENTS.length)]}:${1024 + Math.floor(random() * 64000)}`;
    const target = `${tenant.targetNet}${10 + Math.floor(random() * 3)}:8080`;
    const traceId = `Root=1-${Math.floor(timeMs / 1000).toString(16)}-${hex24(random)}`;
    const createdMs = timeMs - targetMs - 1;
    const created = `${this.seconds.iso(createdMs)}.${pad(createdMs % 1000, 3)}000Z`;
    const agent = USER_AGENTS[Math.floor(random() * USER_AGENTS.length)]!;
    const received = 300 + Math.floor(random() * 400);
    let fields: string;
    let targetStatus: string;
    if (outcome === OUTCOME_502) {
      fields = `-1 -1 -1 502 - ${received} 293`;
      targetStatus = '-';
    } else {
      targetStatus = outcome === OUTCOME_429 ? '429' : outcome === OUTCOME_404 ? '404' : '200';
      const sent = outcome === OUTCOME_OK ? 1200 + Math.floor(random() * 9000) : 212;
      fields = `0.001 ${(targetMs / 1000).toFixed(3)} 0.000 ${targetStatus} ${targetStatus} ${received} ${sent}`;
    }
    return (
      `https ${time} ${LB_ID} ${client} ${target} ${fields} ${tenant.request} ${agent} ` +
      `ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ${tenant.arn} "${traceId}" "search.example.com" ${CERT} ${1 + tenantOf(key)} ${created} ` +
      `"forward" "-" "-" "${target}" "${targetStatus}" "-" "-" TID_${hex24(random)}${HEX4[Math.floor(random() * 65536)]}`
    );
  }
}

/**
 * The index's HAProxy lines for an interval, in the order HAProxy wrote them: when it answered.
 * Requests the load balancer answered itself (LB-minted 502) never reached it.
 */
function proxyLinesOf(requests: IntervalRequests, tenants: readonly Tenant[]): string[] {
  const seconds = new SecondTexts();
  const lines: Array<{ answeredMs: number; line: string }> = [];
  for (let i = 0; i < requests.keys.length; i++) {
    const key = requests.keys[i]!;
    if (tenantOf(key) !== 0 || outcomeOf(key) === OUTCOME_502) continue;
    const throttled = outcomeOf(key) === OUTCOME_429;
    const timeMs = timeMsOf(requests, i);
    const targetMs = requests.targetMs[i]!;
    const port = requests.proxyPort[i]!;
    // HAProxy stamps the request's arrival and writes the line when it answers (Ta ms later).
    const acceptMs = throttled ? timeMs - 1 : timeMs - targetMs;
    const totalMs = throttled ? 0 : targetMs + 1;
    const d = new Date(acceptMs);
    const accept = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
    const tail = throttled
      ? 'be_search/<NOSRV> 0/-1/-1/-1/0 429 212 - - PR--'
      : `be_search/search-${port % 4} 0/0/1/${targetMs - 1}/${totalMs} 200 ${2000 + (port % 7000)} - - ----`;
    const answeredMs = acceptMs + totalMs;
    lines.push({
      answeredMs,
      line: `${seconds.syslog(answeredMs)} ip-10-0-1-5 haproxy[812]: 10.0.1.${5 + (port % 3)}:${port} [${accept}] fe_search ${tail} 118/118/3/1/0 0/0 {search.example.com} ${tenants[0]!.proxyRequest}`,
    });
  }
  return lines.sort((a, b) => a.answeredMs - b.answeredMs).map(({ line }) => line);
}

function hex24(random: () => number): string {
  return (
    HEX4[Math.floor(random() * 65536)]! +
    HEX4[Math.floor(random() * 65536)]! +
    HEX4[Math.floor(random() * 65536)]! +
    HEX4[Math.floor(random() * 65536)]! +
    HEX4[Math.floor(random() * 65536)]! +
    HEX4[Math.floor(random() * 65536)]!
  );
}

/** Client addresses: the CDN's edge servers in front of the load balancer, a few thousand of them. */
const CLIENTS = Array.from(
  { length: 4096 },
  (_, i) => `${[172, 162, 104, 141][i % 4]}.${(i * 7) % 256}.${(i * 13) % 256}.${1 + (i % 254)}`,
);

/** "2026-06-18T19:41:00" and "Jun 18 19:41:00" for the second of an instant, made once per second. */
class SecondTexts {
  private isoSecond = Number.NaN;
  private isoText = '';
  private syslogSecond = Number.NaN;
  private syslogText = '';

  iso(timeMs: number): string {
    const second = Math.floor(timeMs / 1000);
    if (second !== this.isoSecond) {
      this.isoSecond = second;
      this.isoText = new Date(second * 1000).toISOString().slice(0, 19);
    }
    return this.isoText;
  }

  syslog(timeMs: number): string {
    const second = Math.floor(timeMs / 1000);
    if (second !== this.syslogSecond) {
      this.syslogSecond = second;
      const d = new Date(second * 1000);
      this.syslogText = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    }
    return this.syslogText;
  }
}

/** Longer than any line written here (the longest user agent, the largest numbers). */
const MAX_ALB_LINE_BYTES = 1024;

async function writeAlbFile(
  directory: string,
  spec: SeedScaleSpec,
  endMs: number,
  file: number,
  text: Buffer,
  random: () => number,
): Promise<number> {
  const end = new Date(endMs);
  const folder = path.join(
    directory,
    'alb',
    'AWSLogs',
    ACCOUNT,
    'elasticloadbalancing',
    REGION,
    ...end.toISOString().slice(0, 10).split('-'),
  );
  mkdirSync(folder, { recursive: true });
  const stamp = end.toISOString().slice(0, 16).replace(/[-:]/g, '');
  const node = `10.0.${1 + (file % spec.nodes) * 16}.${20 + (file % spec.nodes)}`;
  const name = `${ACCOUNT}_elasticloadbalancing_${REGION}_${LB_ID.replace(/\//g, '.')}_${stamp}Z_${node}_${HEX4[Math.floor(random() * 65536)]}${HEX4[Math.floor(random() * 65536)]}.log.gz`;
  const compressed = await gzipAsync(text, { level: spec.gzipLevel });
  writeFileSync(path.join(folder, name), compressed);
  return compressed.length;
}

/** The index's HAProxy log, one plain file per UTC hour (haproxy-2026061819.log), as syslog rotates it. */
class HourlyFiles {
  private readonly files = new Map<number, WriteStream>();
  private bytes = 0;

  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
  }

  /** Appends lines in time order; returns how many. */
  async append(lines: readonly string[]): Promise<number> {
    // An interval's lines are in time order; split them where the hour changes.
    let from = 0;
    while (from < lines.length) {
      const hour = hourOfSyslogLine(lines[from]!);
      let to = from + 1;
      while (to < lines.length && hourOfSyslogLine(lines[to]!) === hour) to++;
      const text = `${lines.slice(from, to).join('\n')}\n`;
      this.bytes += Buffer.byteLength(text);
      const stream = this.streamFor(hour);
      if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      from = to;
    }
    return lines.length;
  }

  async close(): Promise<{ files: number; bytes: number }> {
    await Promise.all(
      [...this.files.values()].map(
        (stream) => new Promise<void>((resolve, reject) => stream.end(() => resolve()).on('error', reject)),
      ),
    );
    return { files: this.files.size, bytes: this.bytes };
  }

  private streamFor(hour: number): WriteStream {
    let stream = this.files.get(hour);
    if (!stream) {
      stream = createWriteStream(path.join(this.directory, `haproxy-20260618${pad(hour)}.log`), {
        highWaterMark: 1 << 20,
      });
      this.files.set(hour, stream);
    }
    return stream;
  }
}

/** "Jun 18 19:41:00 …" → 19. The bench's logs stay within one day. */
function hourOfSyslogLine(line: string): number {
  return Number(line.slice(7, 9));
}

/**
 * Reads a sample of what was written through the real parsers: every line of the first and the
 * last ALB file and the first lines of each HAProxy file must be valid entries, with the
 * statuses this generator gave them. Returns what is wrong, one line each (empty: all well).
 */
export async function checkSeedScaleSample(manifest: SeedScaleManifest, proxyLinesPerFile = 20_000): Promise<string[]> {
  const { parseLbLine } = await import('../src/parsers/alb-line.js');
  const { parseProxyLine } = await import('../src/parsers/proxy-line.js');
  const { gunzipSync } = await import('node:zlib');
  const { readdirSync } = await import('node:fs');
  const problems: string[] = [];
  const albFiles = readdirSync(manifest.albDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.log.gz'))
    .sort();
  for (const name of [albFiles[0]!, albFiles[albFiles.length - 1]!]) {
    const lines = gunzipSync(readFileSync(path.join(manifest.albDir, name)))
      .toString('utf8')
      .split('\n')
      .filter(Boolean);
    for (const line of lines) {
      const record = parseLbLine(line);
      if (record.kind !== 'alb')
        problems.push(
          `${name}: not an ALB entry (${record.kind === 'malformed' ? record.reason : record.kind}): ${line.slice(0, 80)}`,
        );
      else if (
        !['200', '404', '429', '502'].includes(record.elbStatus) ||
        (record.elbStatus === '502') !== (record.targetStatus === '-')
      )
        problems.push(`${name}: unexpected statuses ${record.elbStatus}/${record.targetStatus}`);
    }
    if (lines.length === 0) problems.push(`${name}: no lines`);
  }
  for (const name of readdirSync(manifest.proxyDir).sort()) {
    const head = readFileSync(path.join(manifest.proxyDir, name))
      .subarray(0, proxyLinesPerFile * 400)
      .toString('utf8')
      .split('\n')
      .slice(0, -1)
      .slice(0, proxyLinesPerFile);
    for (const line of head) {
      const record = parseProxyLine(line);
      if (record.kind !== 'haproxy-http' || !['200', '429'].includes(record.status))
        problems.push(`${name}: not an HAProxy answer of this bench: ${line.slice(0, 80)}`);
    }
  }
  return problems.slice(0, 20);
}
