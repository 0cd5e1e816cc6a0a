/**
 * THE EQUIVALENCE TEST for the edge view's Athena provider: the same simulated CloudFront
 * standard-log files, or Cloudflare Logpush http_requests NDJSON, through files mode
 * (readEdgeLogs) and through queryEdgeView (templates/queries/edge-<format>-counts.sql executed
 * by DuckDB over a table shaped as the Athena table, behind the local Athena stand-in, reached by
 * the real @aws-sdk/client-athena) must give the same per-minute series and status codes. And a
 * query Athena fails leaves the edge view absent with Athena's own reason.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimeWindow } from '../../../src/core/types.js';
import type { IndexSelector } from '../../../src/evidence/index-matcher.js';
import { type AbsentView, type EdgeView, isPresent } from '../../../src/evidence/views.js';
import { MalformedLineReporter } from '../../../src/files/malformed-reporter.js';
import type { IncidentEvent } from '../../../src/simulate/simulate-incident.js';
import { writeIncidentLogs } from '../../../src/simulate/write-incident-logs.js';
import type { AthenaConfig } from '../../../src/sources/athena/athena-config.js';
import { queryEdgeView } from '../../../src/sources/athena/query-edge-view.js';
import { readEdgeLogs } from '../../../src/sources/stack-logs/read-edge-logs.js';
import type { DuckAlbTable } from '../../support/duckdb-alb-table.js';
import { type FakeAthena, startFakeAthena } from '../../support/fake-athena-server.js';
import { INDEX, incident, minute } from '../../support/scenarios.js';
import { ATHENA, athenaApiAt, fastClock, sum } from './athena-harness.js';
import { loadDuckCloudflareTable } from './duckdb-cloudflare-table.js';
import { loadDuckCloudFrontTable } from './duckdb-cloudfront-table.js';

const EDGE_ATHENA: AthenaConfig = { ...ATHENA, edgeTable: 'cloudfront_logs', edgeFormat: 'cloudfront' };
const SELECTOR: IndexSelector = { index: INDEX, match: `/indexes/${INDEX}/` };
const WINDOW: TimeWindow = { start: new Date('2026-06-18T18:11:00Z'), end: new Date('2026-06-18T21:11:00Z') };
const SIGNALS = ['edge_requests', 'edge_5xx', 'edge_minted_5xx', 'edge_passed_5xx'] as const;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-edge-athena-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SCENARIOS: { name: string; events: IncidentEvent[]; selector: IndexSelector }[] = [
  {
    name: 'CloudFront that cannot reach the load balancer, over keep-alive 502s it passes on',
    events: [
      {
        kind: 'edge_unreachable',
        index: INDEX,
        fromMinute: minute('19:38'),
        toMinute: minute('19:44'),
        failFraction: 0.4,
      },
      { kind: 'keepalive_502', perMinute: 4 },
    ],
    selector: SELECTOR,
  },
  {
    name: 'keep-alive 502s only, passed on by CloudFront; the index chosen by path segment',
    events: [{ kind: 'keepalive_502', perMinute: 6 }],
    selector: { index: INDEX },
  },
];

describe('the Athena provider of the edge view (CloudFront), against files mode', () => {
  for (const s of SCENARIOS) {
    describe(s.name, () => {
      let table: DuckAlbTable;
      let athena: FakeAthena;
      let viaAthena: EdgeView | AbsentView;
      let viaFiles: EdgeView | AbsentView;

      beforeAll(async () => {
        const directory = mkdtempSync(path.join(scratch, 'run-'));
        const written = await writeIncidentLogs(incident(s.events, 7, { stack: { edge: 'cloudfront' } }), directory);
        const edgeDir = written.edgeDir!;
        table = await loadDuckCloudFrontTable(edgeDir, ATHENA.database, EDGE_ATHENA.edgeTable!);
        athena = await startFakeAthena({ table });
        viaAthena = await queryEdgeView(
          { window: WINDOW, selector: s.selector, athena: EDGE_ATHENA },
          { athena: athenaApiAt(athena.endpoint), clock: fastClock(), random: () => 0.5 },
        );
        const warn = () => {};
        viaFiles = await readEdgeLogs(
          { paths: [edgeDir], window: WINDOW, selector: s.selector },
          { warn },
          new MalformedLineReporter(warn),
        );
      }, 60_000);
      afterAll(async () => {
        await athena?.close();
        table?.close();
      });

      it('gives the same series as files mode, minute by minute, with the same status codes', () => {
        if (!isPresent(viaAthena) || !isPresent(viaFiles)) throw new Error('a view is absent');
        for (const signal of SIGNALS) {
          expect(viaAthena.signals[signal].counts, signal).toEqual(viaFiles.signals[signal].counts);
          expect(viaAthena.signals[signal].byCode, signal).toEqual(viaFiles.signals[signal].byCode);
        }
        expect(viaAthena.kind).toBe('cloudfront');
        expect(viaAthena.uncovered).toEqual(viaFiles.uncovered);
        expect(viaAthena.sources[0]?.status).toBe('complete');
        // Not two empty answers agreeing: the index had traffic, and 5xx the edge passed on.
        expect(sum(viaFiles.signals.edge_requests.counts ?? [])).toBeGreaterThan(1000);
        expect(sum(viaFiles.signals.edge_passed_5xx.counts ?? [])).toBeGreaterThan(50);
      });

      it('sends one query with every value as an ExecutionParameter', () => {
        const [query] = athena.queries();
        expect(athena.queries()).toHaveLength(1);
        expect(query?.executionParameters).toEqual([
          "'2026-06-18'",
          "'2026-06-18'",
          "'2026-06-18'",
          "'2026-06-18T18:11:00'",
          "'2026-06-18T21:11:00'",
          expect.stringMatching(/^'.+'$/),
        ]);
      });
    });
  }

  it('counts the edge-made 5xx of an unreachable load balancer as minted, not passed on', async () => {
    const directory = mkdtempSync(path.join(scratch, 'minted-'));
    const written = await writeIncidentLogs(
      incident(SCENARIOS[0]!.events, 7, { stack: { edge: 'cloudfront' } }),
      directory,
    );
    const table = await loadDuckCloudFrontTable(written.edgeDir!, ATHENA.database, EDGE_ATHENA.edgeTable!);
    const athena = await startFakeAthena({ table });
    try {
      const view = await queryEdgeView(
        { window: WINDOW, selector: SELECTOR, athena: EDGE_ATHENA },
        { athena: athenaApiAt(athena.endpoint), clock: fastClock(), random: () => 0.5 },
      );

      if (!isPresent(view)) throw new Error(view.reason);
      const minted = view.signals.edge_minted_5xx.counts ?? [];
      expect(sum(minted)).toBeGreaterThan(200);
      expect(view.signals.edge_minted_5xx.byCode).toEqual({ '502': sum(minted) });
      expect(sum(minted.slice(0, minute('19:38') - 11))).toBe(0);
    } finally {
      await athena.close();
      table.close();
    }
  }, 60_000);
});

const CLOUDFLARE_ATHENA: AthenaConfig = { ...ATHENA, edgeTable: 'cloudflare_logs', edgeFormat: 'cloudflare' };

/** Both providers over the same Cloudflare NDJSON under `edgeDir`. */
async function cloudflareBothWays(
  edgeDir: string,
  window: TimeWindow,
  selector: IndexSelector,
): Promise<{
  viaAthena: EdgeView | AbsentView;
  viaFiles: EdgeView | AbsentView;
  athena: FakeAthena;
  table: DuckAlbTable;
}> {
  const table = await loadDuckCloudflareTable(edgeDir, ATHENA.database, CLOUDFLARE_ATHENA.edgeTable!);
  const athena = await startFakeAthena({ table });
  const viaAthena = await queryEdgeView(
    { window, selector, athena: CLOUDFLARE_ATHENA },
    { athena: athenaApiAt(athena.endpoint), clock: fastClock(), random: () => 0.5 },
  );
  const warn = () => {};
  const viaFiles = await readEdgeLogs(
    { paths: [edgeDir], window, selector },
    { warn },
    new MalformedLineReporter(warn),
  );
  return { viaAthena, viaFiles, athena, table };
}

function expectSameSeries(viaAthena: EdgeView | AbsentView, viaFiles: EdgeView | AbsentView): EdgeView {
  if (!isPresent(viaAthena)) throw new Error(`Athena: ${viaAthena.reason}`);
  if (!isPresent(viaFiles)) throw new Error(`files: ${viaFiles.reason}`);
  for (const signal of SIGNALS) {
    expect(viaAthena.signals[signal].counts, signal).toEqual(viaFiles.signals[signal].counts);
    expect(viaAthena.signals[signal].byCode, signal).toEqual(viaFiles.signals[signal].byCode);
  }
  expect(viaAthena.uncovered).toEqual(viaFiles.uncovered);
  expect(viaAthena.kind).toBe('cloudflare');
  expect(viaAthena.name).toBe('Cloudflare logs via Athena');
  return viaAthena;
}

describe('the Athena provider of the edge view (Cloudflare Logpush), against files mode', () => {
  const CLOUDFLARE_SCENARIOS: {
    name: string;
    events: IncidentEvent[];
    selector: IndexSelector;
    assess: (view: EdgeView) => void;
  }[] = [
    {
      name: 'Cloudflare minting 522s for an unreachable load balancer that is itself fine',
      events: [
        {
          kind: 'edge_unreachable',
          index: INDEX,
          fromMinute: minute('19:38'),
          toMinute: minute('19:44'),
          failFraction: 0.4,
        },
      ],
      selector: SELECTOR,
      assess: (view) => {
        const minted = view.signals.edge_minted_5xx.counts ?? [];
        expect(sum(minted)).toBeGreaterThan(200);
        expect(view.signals.edge_minted_5xx.byCode).toEqual({ '522': sum(minted) });
        expect(sum(minted.slice(0, minute('19:38') - 11))).toBe(0);
        expect(sum(view.signals.edge_passed_5xx.counts ?? [])).toBe(0);
      },
    },
    {
      name: 'keep-alive 502s passed on by Cloudflare; the index chosen by path segment',
      events: [{ kind: 'keepalive_502', perMinute: 6 }],
      selector: { index: INDEX },
      assess: (view) => {
        const passed = view.signals.edge_passed_5xx.counts ?? [];
        expect(sum(passed)).toBeGreaterThan(50);
        expect(view.signals.edge_passed_5xx.byCode).toEqual({ '502': sum(passed) });
        expect(sum(view.signals.edge_minted_5xx.counts ?? [])).toBe(0);
      },
    },
  ];

  for (const s of CLOUDFLARE_SCENARIOS) {
    describe(s.name, () => {
      let run: Awaited<ReturnType<typeof cloudflareBothWays>>;

      beforeAll(async () => {
        const directory = mkdtempSync(path.join(scratch, 'cloudflare-'));
        const written = await writeIncidentLogs(incident(s.events, 7, { stack: { edge: 'cloudflare' } }), directory);
        run = await cloudflareBothWays(written.edgeDir!, WINDOW, s.selector);
      }, 60_000);
      afterAll(async () => {
        await run?.athena.close();
        run?.table.close();
      });

      it('gives the same series as files mode, minute by minute, with the same status codes', () => {
        const view = expectSameSeries(run.viaAthena, run.viaFiles);

        expect(view.sources[0]?.status).toBe('complete');
        expect(sum(view.signals.edge_requests.counts ?? [])).toBeGreaterThan(1000);
        s.assess(view);
      });

      it("sends one query with every value as an ExecutionParameter, reading only the window's day folder", () => {
        const queries = run.athena.queries();

        expect(queries).toHaveLength(1);
        expect(queries[0]?.executionParameters).toEqual([
          "'20260618'",
          "'20260618'",
          "'20260618'",
          String(WINDOW.start.getTime()),
          String(WINDOW.end.getTime()),
          expect.stringMatching(/^'.+'$/),
        ]);
        expect(queries[0]?.partitions).toEqual(['20260618']);
      });
    });
  }

  it('reads unixnano and unix timestamps, jobs with few fields and damaged lines as files mode does', async () => {
    const fixtures = path.join(import.meta.dirname, '..', '..', 'fixtures', 'logs', 'cloudflare');
    const dayFolder = path.join(mkdtempSync(path.join(scratch, 'cloudflare-fixtures-')), '20260821');
    mkdirSync(dayFolder);
    // rfc3339 is left out: a BIGINT column cannot hold it (docs/athena.md §7).
    for (const name of [
      'http_requests-unixnano.ndjson',
      'http_requests-unix.ndjson',
      'http_requests-few-fields.ndjson',
      'damaged.ndjson',
    ])
      copyFileSync(path.join(fixtures, name), path.join(dayFolder, name));
    const window: TimeWindow = { start: new Date('2026-08-21T13:15:00Z'), end: new Date('2026-08-21T13:18:00Z') };
    const run = await cloudflareBothWays(path.dirname(dayFolder), window, { index: 'v1' });
    try {
      const view = expectSameSeries(run.viaAthena, run.viaFiles);

      // 520 521 522 524 525 530, and a 502 with no origin request: Cloudflare's own.
      expect(view.signals.edge_minted_5xx.byCode).toEqual({
        '502': 1,
        '520': 2,
        '521': 1,
        '522': 1,
        '524': 2,
        '525': 1,
        '530': 1,
      });
      // 502s, a 504 and a 500 the origin answered.
      expect(view.signals.edge_passed_5xx.byCode).toEqual({ '500': 1, '502': 4, '504': 1 });
      // …and a 502 of a job that logs neither origin nor cache status: a 5xx, but nobody's known.
      expect(view.signals.edge_5xx.byCode?.['502']).toBe(6);
    } finally {
      await run.athena.close();
      run.table.close();
    }
  }, 60_000);
});

describe('an edge query Athena fails', () => {
  const FORMATS = [
    { edge: 'cloudfront', athena: EDGE_ATHENA, load: loadDuckCloudFrontTable, source: 'CloudFront logs via Athena' },
    {
      edge: 'cloudflare',
      athena: CLOUDFLARE_ATHENA,
      load: loadDuckCloudflareTable,
      source: 'Cloudflare logs via Athena',
    },
  ] as const;
  for (const format of FORMATS) {
    it(`leaves the ${format.edge} edge view absent, with Athena’s reason`, async () => {
      const directory = mkdtempSync(path.join(scratch, `${format.edge}-failed-`));
      const written = await writeIncidentLogs(
        incident([{ kind: 'keepalive_502', perMinute: 2 }], 7, { stack: { edge: format.edge } }),
        directory,
      );
      const table = await format.load(written.edgeDir!, ATHENA.database, format.athena.edgeTable!);
      const athena = await startFakeAthena({ table });
      try {
        const view = await queryEdgeView(
          { window: WINDOW, selector: SELECTOR, athena: { ...format.athena, edgeTable: 'no_such_table' } },
          { athena: athenaApiAt(athena.endpoint), clock: fastClock(), random: () => 0.5 },
        );

        expect(view).toMatchObject({ absent: true, attempted: true });
        if (isPresent(view)) throw new Error('expected an absent view');
        expect(view.reason).toMatch(/no_such_table/);
        expect(view.sources).toEqual([
          { name: format.source, status: 'failed', detail: expect.stringContaining(view.reason) },
        ]);
      } finally {
        await athena.close();
        table.close();
      }
    }, 60_000);
  }
});
