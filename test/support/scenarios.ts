/**
 * Generated incidents for the verdict tests: each scenario is real-format log files written
 * by our simulator (src/simulate), read back through the real parsers and the files-mode
 * evidence path, then judged. Nothing here is hand-typed evidence.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Evidence, Finding, InvestigationCommand } from '../../src/core/types.js';
import { tenantSpec } from '../../src/demo/demo-incident.js';
import { parseInvestigation } from '../../src/grammar/parse-command.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import type { IncidentEvent, IncidentSpec } from '../../src/simulate/simulate-incident.js';
import { type WrittenLogs, writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { gatherFileEvidence } from '../../src/sources/log-files/gather-file-evidence.js';
import { judgeEvidence } from '../../src/verdict/judge-evidence.js';

export const INDEX = 'prod_000_audio';
/** Logs start at 18:00Z; the customer asks about 19:41Z (05:41 AEST), as in the seed. */
export const START = new Date('2026-06-18T18:00:00Z');
export const ASKED = ['05:41', 'AEST'];
export const NOW = new Date('2026-06-18T23:00:00Z');
export const minute = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h! - 18) * 60 + m!;
};

export const TENANTS = [
  tenantSpec(INDEX, 120),
  tenantSpec('prod_001_images', 40),
  tenantSpec('prod_002_docs', 25),
  tenantSpec('prod_003_catalog', 30),
  tenantSpec('prod_004_video', 20),
  tenantSpec('prod_005_fonts', 15),
];

export function incident(events: IncidentEvent[], seed = 7, overrides: Partial<IncidentSpec> = {}): IncidentSpec {
  return {
    ...overrides,
    start: START,
    minutes: 210,
    seed,
    loadBalancer: 'app/k8s-ingress/0123456789abcdef',
    region: 'ap-southeast-2',
    accountId: '123456789012',
    tenants: overrides.tenants ?? TENANTS,
    events,
  };
}

export interface JudgedScenario {
  command: InvestigationCommand;
  evidence: Evidence;
  findings: Finding[];
  kinds: string[];
  warnings: string[];
}

export interface ScenarioOptions {
  alb?: boolean;
  proxy?: boolean;
  asked?: string[];
  /** The zone the proxy logs are read in (the simulator writes UTC). */
  proxyUtcOffsetMinutes?: number;
  /** How the index is recognised; default: its target group and path. */
  selector?: { index: string; targetGroup?: string; match?: string };
  /** Damage done to the written logs before they are read: a user's incomplete download. */
  damage?: (written: WrittenLogs) => Promise<void> | void;
}

/** Writes the incident's logs to a temp folder and runs the files-mode engine over them. */
export async function judgeScenario(spec: IncidentSpec, options: ScenarioOptions = {}): Promise<JudgedScenario> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'why502-scenario-'));
  const written = await writeIncidentLogs(spec, directory);
  await options.damage?.(written);
  const command = parseInvestigation(
    { positionals: [INDEX, ...(options.asked ?? ASKED)] },
    { now: NOW, defaultWindow: '3h' },
  );
  const tenant = TENANTS.find((t) => t.index === INDEX)!;
  const warnings: string[] = [];
  const evidence = await gatherFileEvidence(
    {
      command,
      selector: options.selector ?? { index: INDEX, targetGroup: tenant.targetGroup, match: `/indexes/${INDEX}/` },
      albPaths: options.alb === false ? [] : [written.albDir],
      proxyPaths: options.proxy === false ? [] : [written.proxyDir],
      slowRequestSeconds: 2,
      idleTimeoutSeconds: 60,
      proxyUtcOffsetMinutes: options.proxyUtcOffsetMinutes ?? 0,
      tenantNames: Object.fromEntries(spec.tenants.map((t) => [t.targetGroup, t.index])),
    },
    { warn: (message) => warnings.push(message) },
  );
  const findings = judgeEvidence(
    evidence,
    createTimeFormatter(command.asked.zone, { referenceInstant: command.asked.at }),
  );
  return { command, evidence, findings, kinds: findings.map((f) => f.kind), warnings };
}
