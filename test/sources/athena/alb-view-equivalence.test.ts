/**
 * THE EQUIVALENCE TEST for the ALB access-log view: the same generated ALB log files (S3
 * layout, real format) through files mode (parseLbLine → AlbTally, AccessLogSampleCollector)
 * and through the Athena provider (templates/queries/*.sql executed by DuckDB over a table
 * shaped as the AWS table, behind the local Athena stand-in, reached by the real
 * @aws-sdk/client-athena) must give the same AlbCounts — every counter, every minute, every
 * target group — and the same sample rows. One incident per kind the simulator makes, one
 * across midnight UTC, one ending minutes before midnight, one with unparsable lines mixed in.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimeWindow } from '../../../src/core/types.js';
import type { IndexSelector } from '../../../src/evidence/index-matcher.js';
import type { IncidentEvent, IncidentSpec } from '../../../src/simulate/simulate-incident.js';
import { type AthenaAccessLogResult, queryAccessLogView } from '../../../src/sources/athena/query-access-log-view.js';
import { SharedQueries } from '../../../src/sources/athena/shared-queries.js';
import { type DuckAlbTable, loadDuckAlbTable } from '../../support/duckdb-alb-table.js';
import { type FakeAthena, startFakeAthena } from '../../support/fake-athena-server.js';
import { INDEX, incident, minute, TENANTS } from '../../support/scenarios.js';
import { ATHENA, athenaApiAt, fastClock, removeAlbLogs, sum, writeAlbLogs } from './athena-harness.js';
import { type FilesModeView, filesModeView } from './files-mode-view.js';

const TENANT = TENANTS.find((t) => t.index === INDEX)!;
const BY_TARGET_GROUP: IndexSelector = { index: INDEX, targetGroup: TENANT.targetGroup, match: `/indexes/${INDEX}/` };
const BY_MATCH: IndexSelector = { index: INDEX, match: `/indexes/${INDEX}/` };
const BY_PATH_SEGMENT: IndexSelector = { index: INDEX };
/** The seed's question: 05:41 AEST = 19:41 UTC, a 3-hour window around it. */
const ASKED_AT = new Date('2026-06-18T19:41:00Z');
const WINDOW: TimeWindow = { start: new Date('2026-06-18T18:11:00Z'), end: new Date('2026-06-18T21:11:00Z') };
const at = (hhmm: string) => minute(hhmm);

interface Scenario {
  name: string;
  spec: IncidentSpec;
  window: TimeWindow;
  askedAt: Date;
  /** Extra files of lines no parser takes, written into the delivery folders. */
  junk?: boolean;
  /** GetQueryResults calls the two queries need, when the counts come back in more than one page. */
  resultPages?: number;
}

const SCENARIOS: Scenario[] = [
  {
    ...scenario('a 429 burst over flat LB-minted 502s on every tenant (the seed)', [
      { kind: 'throttle', index: INDEX, fromMinute: at('19:29'), toMinute: at('19:40'), peakPerMinute: 150 },
      { kind: 'keepalive_502', perMinute: 3 },
    ]),
    resultPages: 3,
  },
  scenario('the origin answering 500s', [
    { kind: 'origin_5xx', index: INDEX, fromMinute: at('19:38'), toMinute: at('19:44'), perMinute: 40 },
  ]),
  scenario('keep-alive 502s on one index only', [{ kind: 'keepalive_502', perMinute: 4, index: INDEX }]),
  scenario('targets down: LB-minted 502s for one index', [
    { kind: 'target_down', index: INDEX, fromMinute: at('19:35'), toMinute: at('19:45'), failFraction: 0.6 },
  ]),
  scenario('a slow origin: 504s and slow requests', [
    {
      kind: 'slow_origin',
      index: INDEX,
      fromMinute: at('19:30'),
      toMinute: at('19:50'),
      fraction: 0.2,
      timeoutSeconds: 30,
    },
  ]),
  scenario('no healthy targets: LB-minted 503s', [
    { kind: 'no_targets', index: INDEX, fromMinute: at('19:39'), toMinute: at('19:43') },
  ]),
  {
    name: 'a window across midnight UTC (two day partitions)',
    spec: {
      ...incident(
        [
          { kind: 'target_down', index: INDEX, fromMinute: 55, toMinute: 75, failFraction: 0.5 },
          { kind: 'keepalive_502', perMinute: 2 },
        ],
        11,
      ),
      start: new Date('2026-06-18T23:00:00Z'),
      minutes: 210,
    },
    window: { start: new Date('2026-06-18T22:35:00Z'), end: new Date('2026-06-19T01:35:00Z') },
    askedAt: new Date('2026-06-19T00:05:00Z'),
  },
  {
    name: "a window ending minutes before midnight (its last requests are in the next day's folder)",
    spec: {
      ...incident(
        [
          { kind: 'no_targets', index: INDEX, fromMinute: 170, toMinute: 178 },
          { kind: 'keepalive_502', perMinute: 2 },
        ],
        13,
      ),
      start: new Date('2026-06-18T20:55:00Z'),
      minutes: 200,
    },
    window: { start: new Date('2026-06-18T20:58:00Z'), end: new Date('2026-06-18T23:58:00Z') },
    askedAt: new Date('2026-06-18T23:51:00Z'),
  },
  {
    ...scenario('unparsable lines mixed in', [
      { kind: 'target_down', index: INDEX, fromMinute: at('19:38'), toMinute: at('19:42'), failFraction: 0.3 },
    ]),
    junk: true,
  },
];

function scenario(name: string, events: IncidentEvent[]): Scenario {
  return { name, spec: incident(events), window: WINDOW, askedAt: ASKED_AT };
}

/** Lines neither parser takes: cut short, another program's, binary, a word. */
const JUNK_LINES = [
  'inval',
  'https 2026-06-18T19:40:00.000000Z app/k8s-ingress/0123456789abcdef 203.0.113.9:4000 10.0.2.10:8080 0.001 0.02',
  'Jun 18 19:40:01 ip-10-0-1-5 haproxy[812]: 10.0.1.5:20001 [18/Jun/2026:19:40:01.000] fe_search be_search/search-0 0/0/1/20/21 200 1873 - - ---- 1/1/0/0/0 0/0 "POST /indexes/prod_000_audio/search HTTP/1.1"',
  '\u0000\u0001\u0002 not a log line',
];

function writeJunk(albRoot: string): number {
  const day = path.join(
    albRoot,
    'AWSLogs',
    '123456789012',
    'elasticloadbalancing',
    'ap-southeast-2',
    '2026',
    '06',
    '18',
  );
  writeFileSync(path.join(day, 'junk_20260618T1945Z_10.0.1.9_junk.log.gz'), gzipSync(`${JUNK_LINES.join('\n')}\n`));
  writeFileSync(
    path.join(day, 'junk_20260618T1950Z_10.0.1.9_junk2.log.gz'),
    gzipSync(`${JUNK_LINES.slice(0, 2).join('\n')}\n`),
  );
  return JUNK_LINES.length + 2;
}

describe('the Athena provider of the ALB access-log view, against files mode', () => {
  for (const s of SCENARIOS) {
    describe(s.name, () => {
      let root: string;
      let table: DuckAlbTable;
      let athena: FakeAthena;
      let junkLines = 0;
      let result: AthenaAccessLogResult;
      let files: FilesModeView;

      beforeAll(async () => {
        root = await writeAlbLogs(s.spec);
        if (s.junk) junkLines = writeJunk(root);
        table = await loadDuckAlbTable([root]);
        athena = await startFakeAthena({ table, requeue: true });
        const input = { window: s.window, askedAt: s.askedAt, selector: BY_TARGET_GROUP, slowRequestSeconds: 2 };
        result = await queryAccessLogView(
          { ...input, athena: ATHENA, loadBalancer: s.spec.loadBalancer },
          { athena: athenaApiAt(athena.endpoint), clock: fastClock(), random: () => 0.5, shared: new SharedQueries() },
        );
        files = filesModeView([root], input);
      }, 60_000);
      afterAll(async () => {
        await athena?.close();
        table?.close();
        removeAlbLogs(root);
      });

      it('gives the same counts, minute by minute and target group by target group, and the same sample rows', () => {
        expect(result.status).toBe('complete');
        expect(result.counts).toEqual(files.counts);
        expect(result.samples).toEqual(files.samples);
        expect(result.entriesPerMinute).toEqual(files.counts.perMinute.lbRequests);
        // Not two empty answers agreeing: the index had traffic, the tenants are all there.
        expect(sum(files.counts.perMinute.requests)).toBeGreaterThan(1000);
        expect(Object.keys(files.counts.targetGroups)).toHaveLength(TENANTS.length);
      });

      it('reads only the day partitions of the window, and reports what it scanned', () => {
        const days = (instant: Date) => instant.toISOString().slice(0, 10).replaceAll('-', '/');
        const expected = [...new Set([days(s.window.start), days(new Date(s.window.end.getTime() + 15 * 60_000 - 1))])];
        const scanned = expected.reduce((bytes, day) => bytes + table.partitionBytes.get(day)!, 0);

        expect(result.partitions).toEqual(expected);
        expect(athena.queries().map((q) => q.partitions)).toEqual([expected, expected]);
        expect(result.stats).toEqual({
          queryIds: athena.queries().map((q) => q.id),
          bytesScanned: 2 * scanned,
          costUsd: 0.0001,
          reused: [false, false],
        });
      });

      if (s.resultPages) {
        it('reads every page of the results: the counts need two pages of at most 1,000 rows', () => {
          expect(athena.calls()).toMatchObject({ StartQueryExecution: 2, GetQueryResults: s.resultPages });
        });
      }

      if (s.junk) {
        it('counts the unparsable lines as unparsed rows, never as traffic, and says so', () => {
          expect(files.malformed).toBe(junkLines);
          expect(result.unparsedRows).toBe(junkLines);
          expect(table.unparsedRows).toBe(junkLines);
          expect(result.notes).toEqual([
            `${junkLines} rows of the day partitions read do not match the table's regex (all columns NULL): not counted as traffic`,
          ]);
        });
      }
    });
  }

  describe('the seed incident, its index chosen by request path instead of target group', () => {
    let root: string;
    let table: DuckAlbTable;
    let athena: FakeAthena;
    beforeAll(async () => {
      root = await writeAlbLogs(SCENARIOS[0]!.spec);
      table = await loadDuckAlbTable([root]);
      athena = await startFakeAthena({ table });
    }, 60_000);
    afterAll(async () => {
      await athena?.close();
      table?.close();
      removeAlbLogs(root);
    });

    for (const [how, selector] of [
      ['a `match` substring', BY_MATCH],
      ['a path segment equal to the index name', BY_PATH_SEGMENT],
    ] as const) {
      it(`gives the same counts and samples as files mode with ${how}`, async () => {
        const input = { window: WINDOW, askedAt: ASKED_AT, selector, slowRequestSeconds: 2 };

        const result = await queryAccessLogView(
          { ...input, athena: ATHENA },
          { athena: athenaApiAt(athena.endpoint), clock: fastClock(), random: () => 0.5, shared: new SharedQueries() },
        );

        const files = filesModeView([root], input);
        expect(result.counts).toEqual(files.counts);
        expect(result.samples).toEqual(files.samples);
        expect(sum(files.counts.perMinute.target429)).toBeGreaterThan(500);
      });
    }
  });
});

describe('the incidents the equivalence runs on', () => {
  it('put the counter each is about above zero, so agreeing is not trivial', async () => {
    const root = await writeAlbLogs(SCENARIOS[5]!.spec);
    const files = filesModeView([root], {
      window: WINDOW,
      askedAt: ASKED_AT,
      selector: BY_TARGET_GROUP,
      slowRequestSeconds: 2,
    });
    removeAlbLogs(root);

    expect(sum(files.counts.perMinute.elb503Index)).toBeGreaterThan(100);
    expect(files.samples).toHaveLength(30);
    expect(
      files.samples.every(
        (sample) => sample.elbStatusCode === 503 && sample.targetStatusCode === '-' && sample.target === '-',
      ),
    ).toBe(true);
  });
});
