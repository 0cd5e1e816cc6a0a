/**
 * The seeds' incidents end to end: the simulator writes an incident's logs and the files a team
 * would export; the files-mode engine judges the logs; findCauses names the cause from the
 * exports read back through the real parsers — with its time and evidence — and leaves changes
 * far from the errors as context.
 *
 * The exports are also committed under test/fixtures/changes/generated/ so they can be read;
 * the first test fails when the generator and the committed files drift apart
 * (WHY502_UPDATE_FIXTURES=1 rewrites them).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { correlateChanges } from '../../src/changes/causes/find-causes.js';
import type { ChangeEvidence } from '../../src/changes/change-event.js';
import { errorSpansOf } from '../../src/changes/error-spans.js';
import { readEventsFiles } from '../../src/changes/files/read-events-file.js';
import type { Finding } from '../../src/core/types.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import {
  CHANGE_INCIDENT_SHAPES,
  type ChangeIncidentShape,
  changeIncident,
} from '../../src/simulate/change-incidents.js';
import { INDEX, incident, type JudgedScenario, judgeScenario, START, TENANTS } from '../support/scenarios.js';
import { GENERATED } from './support/change-fixtures.js';

const TARGET_GROUP = TENANTS.find((t) => t.index === INDEX)!.targetGroup;
const generate = (shape: ChangeIncidentShape) =>
  changeIncident(shape, { index: INDEX, targetGroup: TARGET_GROUP, start: START });

interface Investigated {
  judged: JudgedScenario;
  finding: Finding;
  changes: ChangeEvidence;
  correlation: ReturnType<typeof correlateChanges>;
}

/** Judges the incident's logs, reads its committed exports, and correlates them with the verdict's burst. */
async function investigate(shape: ChangeIncidentShape): Promise<Investigated> {
  const generated = generate(shape);
  const judged = await judgeScenario(incident(generated.incidentEvents));
  const files = Object.keys(generated.files).map((name) => path.join(GENERATED, shape, name));
  const changes = await readEventsFiles(files, {
    window: judged.command.window,
    marginMinutes: 30,
    scope: {
      loadBalancer: 'app/k8s-ingress/0123456789abcdef',
      targetGroups: [TARGET_GROUP],
      ecsCluster: 'prod',
      ecsServices: ['search-api'],
      autoScalingGroups: [],
    },
  });
  const finding = judged.findings[0]!;
  const fmt = createTimeFormatter(judged.command.asked.zone, { referenceInstant: judged.command.asked.at });
  const correlation = correlateChanges({
    errorSpans: errorSpansOf(finding, judged.command.window),
    window: judged.command.window,
    changes: changes.changes,
    resources: changes.resources,
    settings: changes.settings,
    fmt,
  });
  return { judged, finding, changes, correlation };
}

describe('generated change incidents', () => {
  it('match the exports committed under test/fixtures/changes/generated', () => {
    for (const shape of CHANGE_INCIDENT_SHAPES) {
      for (const [name, text] of Object.entries(generate(shape).files)) {
        const file = path.join(GENERATED, shape, name);
        if (process.env.WHY502_UPDATE_FIXTURES === '1') {
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, text);
        }
        expect(existsSync(file) ? readFileSync(file, 'utf8') : `(missing ${file})`).toBe(text);
      }
    }
  });
});

describe('findCauses on an incident like seed 001 (Traefik pods OOM-killed behind the ALB)', () => {
  let run: Investigated;
  beforeAll(async () => {
    run = await investigate('oom_killed_proxy');
  });

  it('names the OOM kill of the proxy pod at the burst, with the kernel event and the pod status as evidence', () => {
    expect(run.finding.kind).toBe('target_unreachable');
    expect(run.correlation.causes).toEqual([
      {
        kind: 'oom_kill',
        at: '2026-06-18T19:38:12Z',
        what: '1 traefik pod OOM-killed (exit 137) at 05:38 AEST (19:38 UTC).',
        evidence:
          'kubectl events (kubectl-events.json): OOMKilling node/default/ip-10-0-12-34.ap-southeast-2.compute.internal: Memory cgroup out of memory: Killed process 2716504 (traefik) total-vm:1837428kB, anon-rss:524012kB, file-rss:41232kB, shmem-rss:0kB, UID:65532 pgtables:1284kB oom_score_adj:999; ' +
          'kubectl pods (kubectl-pods-traefik.json): pod traefik/traefik-7d9f8b6c5-x2x9k container traefik terminated OOMKilled (exit 137) at 2026-06-18T19:38:12.000Z; 1 restarts so far — during the errors (05:38–05:39 AEST (19:38–19:39 UTC))',
      },
    ]);
  });

  it('keeps the later kills and an unrelated rollout as context, each with its distance from the errors', () => {
    expect(run.correlation.context.map((item) => item.what)).toEqual([
      '2 OOM kills of traefik in 06:05–06:31 AEST (20:05–20:31 UTC), 26 minutes after the errors ended at 05:39 AEST (19:39 UTC).',
      'A deploy of billing-api at 04:08 AEST (18:08 UTC), 1 h 30 min before the errors began at 05:38 AEST (19:38 UTC).',
    ]);
  });
});

describe('findCauses on an incident like seed 002 (CPU-bound crashes while the average looks fine)', () => {
  let run: Investigated;
  beforeAll(async () => {
    run = await investigate('cpu_saturation');
  });

  it('names the CPU Maximum at 100 % next to an Average near 40 %, and the health checks the pegged tasks failed', () => {
    expect(run.correlation.causes).toEqual([
      {
        kind: 'cpu_saturation',
        at: '2026-06-18T19:34:00Z',
        what: "keepsakes-api's busiest task hit 100 % CPU at 05:34 AEST (19:34 UTC) while the Average was 40 %.",
        evidence:
          'CloudWatch statistics (keepsakes-api-cpu.json) CPUUtilization: Maximum ≥ 99 % in 12 of the 22 minutes 05:29–05:50 AEST (19:29–19:50 UTC) (peak 100 % at 05:34 AEST (19:34 UTC)); Average 36–45 % in those minutes — during the errors (05:34–05:49 AEST (19:34–19:49 UTC))',
      },
      {
        kind: 'health_check_failures',
        at: '2026-06-18T19:36:05Z',
        what: '2 tasks of keepsakes-api failed health checks and were stopped in 05:36–05:44 AEST (19:36–19:44 UTC) (Request timed out).',
        evidence: expect.stringMatching(
          /^ECS describe-services \(ecs-describe-services\.json\): \(service keepsakes-api\) \(task 3e4f5a6b7c8d4e9f8a0b1c2d3e4f5a6b\) \(port 1337\) is unhealthy in \(target-group targetgroup\/k8s-prod000audio\/[0-9a-f]{16}\) due to \(reason Request timed out\)\.; .* — during the errors \(05:34–05:49 AEST \(19:34–19:49 UTC\)\)$/,
        ),
      },
    ]);
  });
});

describe('findCauses on an incident like seed 003 (an HPA scale-down without draining)', () => {
  let run: Investigated;
  beforeAll(async () => {
    run = await investigate('hpa_scale_down');
  });

  it('names the scale-in, the pods it stopped and the missing draining, at the minute of the burst', () => {
    expect(run.correlation.causes).toEqual([
      {
        kind: 'scale_in',
        at: '2026-06-18T19:39:03Z',
        what: 'queue-web was scaled in from 20 to 15 pods at 05:39 AEST (19:39 UTC) by its horizontal pod autoscaler, stopping 5 pods with deregistration delay 0 s.',
        evidence:
          'kubectl events (kubectl-events.json): SuccessfulRescale horizontalpodautoscaler/queue/queue-web: New size: 15; reason: All metrics below target; ' +
          'kubectl events (kubectl-events.json): SuccessfulDelete replicaset/queue/queue-web-6d9c7b8f5: Deleted pod: queue-web-6d9c7b8f5-x2x9k; ' +
          'kubectl events (kubectl-events.json): SuccessfulDelete replicaset/queue/queue-web-6d9c7b8f5: Deleted pod: queue-web-6d9c7b8f5-m4q8w; and 9 more; ' +
          'ELB attributes (k8s-prod000audio-target-group-attributes.json) deregistration_delay.timeout_seconds = 0 — during the errors (05:39–05:41 AEST (19:39–19:41 UTC))',
      },
    ]);
  });

  it('keeps the morning scale-out as context, not a cause', () => {
    expect(run.correlation.context.map((item) => item.what)).toEqual([
      'queue-web scaled out to 20 at 04:20 AEST (18:20 UTC), 1 h 19 min before the errors began at 05:39 AEST (19:39 UTC).',
    ]);
  });
});

describe('findCauses on a daily forced restart (seed 003)', () => {
  it("names the restart of the day asked about, from the pods' last terminations", async () => {
    const run = await investigate('daily_restart');

    expect(run.correlation.causes.map(({ kind, at, what }) => ({ kind, at, what }))).toEqual([
      {
        kind: 'restart',
        at: '2026-06-18T19:38:05Z',
        what: '3 websocktunnel pods restarted at 05:38 AEST (19:38 UTC) (Completed, exit 0).',
      },
    ]);
  });
});

describe('findCauses on a deploy', () => {
  let run: Investigated;
  beforeAll(async () => {
    run = await investigate('deploy');
  });

  it('says "3 targets deregistered by a deploy of search-api with deregistration delay 0 s", with the calls that show it', () => {
    expect(run.correlation.causes).toEqual([
      {
        kind: 'deploy',
        at: '2026-06-18T19:40:03Z',
        what: '3 targets deregistered at 05:40 AEST (19:40 UTC) by a deploy of search-api with deregistration delay 0 s.',
        evidence:
          'CloudTrail lookup-events (cloudtrail-lookup-events.json): UpdateService by role deploy-bot: search-api → task definition search-api:43; ' +
          'CloudTrail lookup-events (cloudtrail-lookup-events.json): DeregisterTargets by ECS (service-linked role): 3 targets deregistered from k8s-prod000audio (10.0.2.10:8080, 10.0.2.11:8080, 10.0.2.12:8080); ' +
          `ECS describe-services (ecs-describe-services.json): (service search-api) deregistered 3 targets in (target-group ${TARGET_GROUP}); and 2 more; ` +
          'ELB attributes (k8s-prod000audio-target-group-attributes.json) deregistration_delay.timeout_seconds = 0 — during the errors (05:40–05:42 AEST (19:40–19:42 UTC))',
      },
    ]);
  });

  it("keeps a listener rule changed 1 h 45 min earlier as context, and leaves out another target group's deregistration", () => {
    expect(run.correlation.context.map((item) => item.what)).toEqual([
      'A change to the load balancer k8s-ingress at 03:55 AEST (17:55 UTC), 1 h 45 min before the errors began at 05:40 AEST (19:40 UTC).',
    ]);
    expect(run.changes.sources.find((s) => s.name.startsWith('CloudTrail'))?.detail).toBe(
      '4 changes in range of 4 read; 7 events read, 4 kept; left out: 1 read-only, 1 on other resources, 1 other writes',
    );
  });
});
