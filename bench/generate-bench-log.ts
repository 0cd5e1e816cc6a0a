import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { formatAlbLine } from '../src/simulate/log-line-format.js';
import { seededRandom } from '../src/simulate/random.js';

const STATUSES: Array<[number, number | null, number]> = [
  // [elb status, target status (null = "-"), weight]
  [200, 200, 9200],
  [429, 429, 320],
  [404, 404, 200],
  [502, null, 12],
  [500, 500, 8],
  [503, null, 3],
  [504, null, 2],
];
const TOTAL_WEIGHT = STATUSES.reduce((sum, [, , weight]) => sum + weight, 0);

/** Writes `lines` ALB access-log lines (current format, ~480 bytes each) to `file`, once. */
export async function generateBenchLog(file: string, lines: number): Promise<void> {
  if (existsSync(file)) return;
  const random = seededRandom(502);
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { highWaterMark: 1 << 20 });
  const startMs = Date.parse('2026-06-18T18:00:00Z');
  let chunk: string[] = [];
  for (let i = 0; i < lines; i++) {
    const [elbStatus, targetStatus] = pickStatus(random());
    const tenant = i % 20;
    chunk.push(
      formatAlbLine({
        timeMs: startMs + Math.floor((i / lines) * 6 * 3600_000),
        elb: 'app/k8s-ingress/0123456789abcdef',
        client: `203.0.113.${i % 250}:${1024 + (i % 60000)}`,
        target: elbStatus === 503 ? null : `10.0.2.${tenant}:8080`,
        requestSeconds: 0.001,
        targetSeconds: targetStatus === null ? null : 0.02 + random() * 0.3,
        responseSeconds: 0,
        elbStatus,
        targetStatus,
        method: 'POST',
        url: `https://search.example.com:443/indexes/prod_${String(tenant).padStart(3, '0')}_audio/search`,
        targetGroupArn: `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/k8s-prod${tenant}/0123456789abcdef`,
        traceId: `Root=1-6a5c2e10-${i.toString(16).padStart(24, '0')}`,
      }),
    );
    if (chunk.length === 10_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = [];
    }
  }
  if (chunk.length > 0) out.write(`${chunk.join('\n')}\n`);
  await new Promise<void>((resolve, reject) => out.end(() => resolve()).on('error', reject));
  renameSync(partial, file);
}

function pickStatus(roll: number): [number, number | null] {
  let left = roll * TOTAL_WEIGHT;
  for (const [elb, target, weight] of STATUSES) {
    left -= weight;
    if (left < 0) return [elb, target];
  }
  return [200, 200];
}
