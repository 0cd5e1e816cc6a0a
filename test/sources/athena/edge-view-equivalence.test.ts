/**
 * THE EQUIVALENCE TEST for the edge view's Athena provider: the same simulated CloudFront
 * standard-log files through files mode (readEdgeLogs) and through queryEdgeView
 * (templates/queries/edge-cloudfront-counts.sql executed by DuckDB over a table shaped as the
 * AWS CloudFront table, behind the local Athena stand-in, reached by the real
 * @aws-sdk/client-athena) must give the same per-minute series and status codes. And a query
 * Athena fails leaves the edge view absent with Athena's own reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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

  it('leaves the edge view absent, with Athena’s reason, when the query fails', async () => {
    const directory = mkdtempSync(path.join(scratch, 'failed-'));
    const written = await writeIncidentLogs(
      incident([{ kind: 'keepalive_502', perMinute: 2 }], 7, { stack: { edge: 'cloudfront' } }),
      directory,
    );
    const table = await loadDuckCloudFrontTable(written.edgeDir!, ATHENA.database, 'cloudfront_logs');
    const athena = await startFakeAthena({ table });
    try {
      const view = await queryEdgeView(
        { window: WINDOW, selector: SELECTOR, athena: { ...EDGE_ATHENA, edgeTable: 'no_such_table' } },
        { athena: athenaApiAt(athena.endpoint), clock: fastClock(), random: () => 0.5 },
      );

      expect(view).toMatchObject({ absent: true, attempted: true });
      if (isPresent(view)) throw new Error('expected an absent view');
      expect(view.reason).toMatch(/no_such_table/);
      expect(view.sources).toEqual([
        { name: 'CloudFront logs via Athena', status: 'failed', detail: expect.stringContaining(view.reason) },
      ]);
    } finally {
      await athena.close();
      table.close();
    }
  }, 60_000);
});
