import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAlbLineFields, parseLbLine, type LbLine } from '../../src/parsers/alb-line.js';

// Real lines from public sources (see SOURCES.md there), read in place: they are not copied into
// this repository. expected.json holds counts computed by an independent counter.
const corpus = fileURLToPath(new URL('../../../shared/data/real-logs/', import.meta.url));
const corpusPresent = existsSync(corpus);
if (!corpusPresent) console.warn(`Skipping the real-log tests of the ALB parser: ${corpus} is absent.`);

interface ExpectedFile {
  lines: number;
  entries: number;
  by_elb_status_code: Record<string, number>;
  by_target_status_code?: Record<string, number>;
  by_type?: Record<string, number>;
  malformed_lines: number[];
}

const expected: Record<string, ExpectedFile> = corpusPresent
  ? (JSON.parse(readFileSync(`${corpus}expected.json`, 'utf8')) as { files: Record<string, ExpectedFile> }).files
  : {};

function filesIn(folder: string): string[] {
  return corpusPresent ? readdirSync(`${corpus}${folder}`).filter((name) => name.endsWith('.log')).sort() : [];
}

/** The non-empty lines of a corpus file (every file ends with a newline). */
function readLines(relativePath: string): string[] {
  return readFileSync(`${corpus}${relativePath}`, 'utf8').split('\n').filter((line) => line !== '');
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The same summary the independent counter wrote, computed from what parseLbLine returns. */
function summariseAlb(results: LbLine[]): ExpectedFile {
  const summary = { lines: results.length, entries: 0, by_elb_status_code: {}, by_target_status_code: {}, by_type: {}, malformed_lines: [] as number[] };
  results.forEach((result, index) => {
    if (result.kind !== 'alb') {
      summary.malformed_lines.push(index + 1);
      return;
    }
    summary.entries++;
    bump(summary.by_elb_status_code, result.elbStatus);
    bump(summary.by_target_status_code, result.targetStatus);
    bump(summary.by_type, result.type);
  });
  return summary;
}

describe.skipIf(!corpusPresent)('parseLbLine over the real ALB corpus', () => {
  it.each(filesIn('alb'))('counts alb/%s exactly as expected.json does', (file) => {
    const results = readLines(`alb/${file}`).map(parseLbLine);

    const summary = summariseAlb(results);

    const { lines, entries, by_elb_status_code, by_target_status_code, by_type, malformed_lines } = expected[`alb/${file}`] ?? {};
    expect(summary).toEqual({ lines, entries, by_elb_status_code, by_target_status_code, by_type, malformed_lines });
  });

  it('finds every ALB file that expected.json lists', () => {
    const listed = Object.keys(expected).filter((path) => path.startsWith('alb/')).sort();

    expect(filesIn('alb').map((file) => `alb/${file}`)).toEqual(listed);
  });

  it('gives a specific reason for each deliberately invalid line', () => {
    const lines = readLines('alb/diwamoto-alb-log-parser.log');

    const reasons = [lines[3], lines[4]].map((line) => parseLbLine(line ?? ''));

    expect(reasons).toEqual([
      { kind: 'malformed', reason: 'ALB field 2 (time) is not an ISO 8601 timestamp: "log"' },
      { kind: 'malformed', reason: 'expected at least 25 fields, found 3' },
    ]);
  });

  it('keeps the truncated target_group_arn of plaso line 1 verbatim', () => {
    const line = readLines('alb/plaso-aws_elb_access.log')[0] ?? '';

    const record = parseLbLine(line);

    expect(record.kind === 'alb' && record.targetGroupArn).toBe('arn:aws:elasticloadbalancing:us-east-2:123456789123');
  });

  it('agrees with parseAlbLineFields on every valid line', () => {
    const lines = filesIn('alb').flatMap((file) => readLines(`alb/${file}`));

    const disagreements = lines.flatMap((line) => {
      const record = parseLbLine(line);
      const fields = parseAlbLineFields(line);
      if (record.kind !== 'alb' || 'kind' in fields) return [];
      const fromFields = [fields.type, fields.time, fields.elb_status_code, fields.target_status_code, fields.request];
      const fromRecord = [record.type, record.time, record.elbStatus, record.targetStatus, record.request];
      return fromFields.join('|') === fromRecord.join('|') ? [] : [line];
    });

    expect(disagreements).toEqual([]);
  });
});

describe.skipIf(!corpusPresent)('parseLbLine over the real Classic ELB and NLB lines', () => {
  it.each(filesIn('elb-classic'))('reads every line of elb-classic/%s as Classic ELB with the expected statuses', (file) => {
    const results = readLines(`elb-classic/${file}`).map(parseLbLine);

    const byElbStatus: Record<string, number> = {};
    for (const result of results) if (result.kind === 'classic-elb') bump(byElbStatus, result.elbStatus);

    const want = expected[`elb-classic/${file}`];
    expect({ kinds: results.map((result) => result.kind), byElbStatus }).toEqual({
      kinds: Array<string>(want?.entries ?? -1).fill('classic-elb'),
      byElbStatus: want?.by_elb_status_code,
    });
  });

  it.each(filesIn('nlb'))('reads every line of nlb/%s as NLB', (file) => {
    const results = readLines(`nlb/${file}`).map(parseLbLine);

    expect(results.map((result) => result.kind)).toEqual(Array<string>(expected[`nlb/${file}`]?.entries ?? -1).fill('nlb'));
  });

  it('takes no HAProxy or ingress-nginx line for a load-balancer entry', () => {
    const lines = ['haproxy', 'haproxy-other', 'nginx'].flatMap((folder) => filesIn(folder).flatMap((file) => readLines(`${folder}/${file}`)));

    const recognised = lines.filter((line) => parseLbLine(line).kind !== 'malformed');

    expect({ checked: lines.length > 100, recognised }).toEqual({ checked: true, recognised: [] });
  });
});
