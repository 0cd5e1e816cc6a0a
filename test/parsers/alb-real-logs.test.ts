import { describe, expect, it } from 'vitest';
import { type LbLine, parseAlbLineFields, parseLbLine } from '../../src/parsers/alb-line.js';
import {
  CORPORA,
  type ExpectedCounts,
  FIXTURE_CORPUS,
  logFilesIn,
  type RealFormatCorpus,
  readCorpusLines,
  SHARED_CORPUS,
} from '../fixtures/real-format/real-format-corpus.js';
import { warnSharedAbsentOnce } from '../support/shared-paths.js';

// Two corpora in the same layout, each with an expected.json of the same shape: the repository's
// own fixtures (test/fixtures/real-format/, written by us, counted from how each line was written),
// and the real lines from public sources in ../shared/data/real-logs/ (SOURCES.md there), read in
// place, never copied into this repository, counted by an independent counter. The generic checks
// run on both; the shared corpus skips, said once per run, when it is absent.
warnSharedAbsentOnce();

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The same summary the independent counter wrote, computed from what parseLbLine returns. */
function summariseAlb(results: LbLine[]): ExpectedCounts {
  const summary = {
    lines: results.length,
    entries: 0,
    by_elb_status_code: {},
    by_target_status_code: {},
    by_type: {},
    malformed_lines: [] as number[],
  };
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

/** Proxy lines a corpus has at least, so that "none is taken for an LB entry" is not vacuous. */
const MIN_PROXY_LINES: ReadonlyMap<RealFormatCorpus, number> = new Map([
  [SHARED_CORPUS, 100],
  [FIXTURE_CORPUS, 80],
]);

function describeCorpus(corpus: RealFormatCorpus): void {
  const expected = corpus.expected;
  const filesIn = (folder: string) => logFilesIn(corpus, folder);
  const readLines = (relativePath: string) => readCorpusLines(corpus, relativePath);

  describe.skipIf(!corpus.present)(`parseLbLine over ${corpus.name}: ALB`, () => {
    it.each(filesIn('alb'))('counts alb/%s exactly as expected.json does', (file) => {
      const results = readLines(`alb/${file}`).map(parseLbLine);

      const summary = summariseAlb(results);

      const { lines, entries, by_elb_status_code, by_target_status_code, by_type, malformed_lines } =
        expected[`alb/${file}`] ?? {};
      expect(summary).toEqual({ lines, entries, by_elb_status_code, by_target_status_code, by_type, malformed_lines });
    });

    it('finds every ALB file that expected.json lists', () => {
      const listed = Object.keys(expected)
        .filter((path) => path.startsWith('alb/'))
        .sort();

      expect(filesIn('alb').map((file) => `alb/${file}`)).toEqual(listed);
    });

    it('agrees with parseAlbLineFields on every valid line', () => {
      const lines = filesIn('alb').flatMap((file) => readLines(`alb/${file}`));

      const disagreements = lines.flatMap((line) => {
        const record = parseLbLine(line);
        const fields = parseAlbLineFields(line);
        if (record.kind !== 'alb' || 'kind' in fields) return [];
        const fromFields = [
          fields.type,
          fields.time,
          fields.elb_status_code,
          fields.target_status_code,
          fields.request,
        ];
        const fromRecord = [record.type, record.time, record.elbStatus, record.targetStatus, record.request];
        return fromFields.join('|') === fromRecord.join('|') ? [] : [line];
      });

      expect(disagreements).toEqual([]);
    });
  });

  describe.skipIf(!corpus.present)(`parseLbLine over ${corpus.name}: Classic ELB and NLB lines`, () => {
    it.each(filesIn('elb-classic'))(
      'reads every line of elb-classic/%s as Classic ELB with the expected statuses',
      (file) => {
        const results = readLines(`elb-classic/${file}`).map(parseLbLine);

        const byElbStatus: Record<string, number> = {};
        for (const result of results) if (result.kind === 'classic-elb') bump(byElbStatus, result.elbStatus);

        const want = expected[`elb-classic/${file}`];
        expect({ kinds: results.map((result) => result.kind), byElbStatus }).toEqual({
          kinds: Array<string>(want?.entries ?? -1).fill('classic-elb'),
          byElbStatus: want?.by_elb_status_code,
        });
      },
    );

    it.each(filesIn('nlb'))('reads every line of nlb/%s as NLB', (file) => {
      const results = readLines(`nlb/${file}`).map(parseLbLine);

      expect(results.map((result) => result.kind)).toEqual(
        Array<string>(expected[`nlb/${file}`]?.entries ?? -1).fill('nlb'),
      );
    });

    it('takes no HAProxy or ingress-nginx line for a load-balancer entry', () => {
      const lines = ['haproxy', 'haproxy-other', 'nginx'].flatMap((folder) =>
        filesIn(folder).flatMap((file) => readLines(`${folder}/${file}`)),
      );

      const recognised = lines.filter((line) => parseLbLine(line).kind !== 'malformed');

      expect({ checked: lines.length > (MIN_PROXY_LINES.get(corpus) ?? 0), recognised }).toEqual({
        checked: true,
        recognised: [],
      });
    });
  });
}

for (const corpus of CORPORA) describeCorpus(corpus);

describe.skipIf(!SHARED_CORPUS.present)('parseLbLine over the real ALB corpus', () => {
  const readLines = (relativePath: string) => readCorpusLines(SHARED_CORPUS, relativePath);

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
});

describe('parseLbLine over the repository fixtures', () => {
  const readLines = (relativePath: string) => readCorpusLines(FIXTURE_CORPUS, relativePath);

  it('gives a specific reason for each of the four broken lines', () => {
    const lines = readLines('alb/older-forms-and-damage.log');

    const reasons = FIXTURE_CORPUS.expected['alb/older-forms-and-damage.log']!.malformed_lines!.map((n) =>
      parseLbLine(lines[n - 1]!),
    );

    expect(reasons).toEqual([
      { kind: 'malformed', reason: 'expected at least 25 fields, found 3' },
      { kind: 'malformed', reason: 'ALB field 2 (time) is not an ISO 8601 timestamp: "21/Aug/2026:13:17:20"' },
      { kind: 'malformed', reason: 'unclosed quote in ALB field 14 (user_agent)' },
      { kind: 'malformed', reason: 'ALB field 9 (elb_status_code) is not a 3-digit status or "-": "2O0"' },
    ]);
  });

  it('names every field of a line with the transform fields and one newer field after conn_trace_id', () => {
    const line = readLines('alb/current-form.log').find((l) => l.endsWith('NEW_FIELD'))!;

    const fields = parseAlbLineFields(line);

    expect(fields).toMatchObject({
      'target:port_list': '10.0.2.15:8080',
      target_status_code_list: '200',
      classification: '-',
      classification_reason: '-',
      transformed_host: '-',
      transformed_uri: '-',
      request_transform_status: '-',
      unknown_34: 'NEW_FIELD',
    });
    expect(Object.keys(fields)).toHaveLength(34);
  });

  it('reads the URL with a space, the IPv6 client and the Lambda target as the load balancer wrote them', () => {
    const lines = readLines('alb/current-form.log');
    const pick = (needle: string) => parseLbLine(lines.find((l) => l.includes(needle))!);

    const [space, ipv6, lambda] = [pick('q=blue note'), pick('2001:db8:4a::17'), pick('LambdaInvalidResponse')];

    expect(space).toMatchObject({
      kind: 'alb',
      method: 'GET',
      url: 'https://api.example.com:443/indexes/prod_000_audio/search?q=blue note',
    });
    expect(ipv6).toMatchObject({ kind: 'alb', client: '2001:db8:4a::17:50599', target: '10.0.2.16:8080' });
    expect(lambda).toMatchObject({
      kind: 'alb',
      target: null,
      elbStatus: '502',
      targetStatus: '-',
      targetProcessingSeconds: 0.001,
      targetGroupArn:
        'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/thumbnailer/73e2d6bc24d8a067',
    });
  });
});
