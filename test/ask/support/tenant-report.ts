/**
 * A saved report that carries `tenants` and `samples` (CONTRACT §9), from real simulated data: the
 * simulator writes the incident's logs, the files-mode engine gathers and judges them (scenarios.ts),
 * and the per-target-group counts and sample rows come from the same ALB lines through the product's
 * own tally (AlbTally) and sample collector — as the report will carry them once the engine fills them.
 */
import type { ReportJson, TenantJson } from '../../../src/core/report.js';
import { AccessLogSampleCollector } from '../../../src/evidence/access-log-samples.js';
import type { AlbCounts } from '../../../src/evidence/alb-counts.js';
import { AlbTally } from '../../../src/evidence/alb-tally.js';
import { createIndexMatcher } from '../../../src/evidence/index-matcher.js';
import { isoMinute, minuteStart } from '../../../src/evidence/minute-buckets.js';
import { parseLbLine } from '../../../src/parsers/alb-line.js';
import { buildReport } from '../../../src/report/build-report.js';
import { type IncidentEvent, type IncidentSpec, simulateIncident } from '../../../src/simulate/simulate-incident.js';
import { INDEX, incident, judgeScenario, TENANTS } from '../../support/scenarios.js';

export interface TenantFixture {
  spec: IncidentSpec;
  report: ReportJson;
  /** The simulated ALB lines, for counting independently in a test. */
  albLines: string[];
}

export async function tenantReport(
  events: IncidentEvent[],
  options: { seed?: number; asked?: string[] } = {},
): Promise<TenantFixture> {
  const spec = incident(events, options.seed ?? 7);
  const judged = await judgeScenario(spec, options.asked ? { asked: options.asked } : {});
  const report = buildReport(judged.command, judged.evidence, judged.findings);
  const own = TENANTS.find((t) => t.index === INDEX)!;
  const selector = { index: INDEX, targetGroup: own.targetGroup, match: `/indexes/${INDEX}/` };
  const tally = new AlbTally(judged.command.window, createIndexMatcher(selector), 2);
  const samples = new AccessLogSampleCollector(
    judged.command.window,
    judged.command.asked.at,
    createIndexMatcher(selector),
  );
  const albLines = simulateIncident(spec).alb.map(({ line }) => line);
  for (const line of albLines) {
    const record = parseLbLine(line);
    if (record.kind !== 'alb') continue;
    tally.add(record);
    samples.offer(record, line);
  }
  report.tenants = tenantsOf(tally.counts, spec, judged.command.window);
  report.samples = samples.samples();
  return { spec, report, albLines };
}

function tenantsOf(counts: AlbCounts, spec: IncidentSpec, window: { start: Date; end: Date }): TenantJson[] {
  return Object.entries(counts.targetGroups).map(([arn, group]) => {
    const tenant = spec.tenants.find((t) => arn.endsWith(t.targetGroup));
    const minted = Object.entries(group.mintedByMinute).sort(([a], [b]) => Number(a) - Number(b));
    const total = (slot: 0 | 1 | 2) => minted.reduce((sum, [, counts]) => sum + counts[slot], 0);
    return {
      name: tenant?.index ?? arn,
      isIndex: tenant?.index === INDEX,
      requests: group.requests,
      elb502: total(0),
      elb503: total(1),
      elb504: total(2),
      elb502PerMinute: minted
        .filter(([, counts]) => counts[0] > 0)
        .map(([minute, counts]) => ({ minute: isoMinute(minuteStart(window, Number(minute))), count: counts[0] })),
    };
  });
}
