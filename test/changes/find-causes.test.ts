/**
 * findCauses, the pure step: which changes are causes of a finding's errors (within minutes of
 * them, or a setting that makes them by itself) and how each is said; everything else is context.
 */
import { describe, expect, it } from 'vitest';
import { CAUSE_CUSTOMER_WORDS } from '../../src/changes/cause-customer-words.js';
import type { ErrorSpan } from '../../src/changes/causes/cause-windows.js';
import { correlateChanges, findCauses, MAX_CONTEXT } from '../../src/changes/causes/find-causes.js';
import { gcpIdleTimeoutSetting } from '../../src/changes/causes/setting-causes.js';
import type { ChangeEvent, ResourceSeries, StandingSettings } from '../../src/changes/change-event.js';
import { errorSpansOf } from '../../src/changes/error-spans.js';
import { CAUSE_KINDS } from '../../src/core/types.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { resolveZone } from '../../src/grammar/zones.js';
import { WINDOW } from './support/change-fixtures.js';

const at = (hhmmss: string) => new Date(`2026-06-18T${hhmmss.length === 5 ? `${hhmmss}:00` : hhmmss}Z`);
/** The burst: 19:40–19:42 inclusive (end exclusive 19:43). */
const BURST: ErrorSpan = { kind: 'target_unreachable', start: at('19:40'), end: at('19:43') };
const BACKGROUND: ErrorSpan = { kind: 'keepalive_race', start: WINDOW.start, end: WINDOW.end };

function change(overrides: Partial<ChangeEvent> & Pick<ChangeEvent, 'kind' | 'at'>): ChangeEvent {
  return {
    object: 'search-api',
    objectKind: 'ECS service',
    count: 1,
    source: 'test',
    evidence: `${overrides.kind} of ${overrides.object ?? 'search-api'}`,
    ...overrides,
  };
}

function correlate(
  changes: ChangeEvent[],
  options: { spans?: ErrorSpan[]; resources?: ResourceSeries[]; settings?: StandingSettings } = {},
) {
  return correlateChanges({
    errorSpans: options.spans ?? [BURST],
    window: WINDOW,
    changes,
    resources: options.resources ?? [],
    settings: options.settings ?? {},
  });
}

describe('findCauses: within minutes of the errors', () => {
  it('takes a deploy 15 minutes before the burst as a cause and one 16 minutes before as context', () => {
    const near = change({ kind: 'deploy', at: at('19:25'), object: 'search-api' });
    const far = change({ kind: 'deploy', at: at('19:24'), object: 'billing-api' });

    const result = correlate([far, near]);

    expect(result.causes.map((c) => c.what)).toEqual(['A deploy of search-api started at 19:25 UTC.']);
    expect(result.context.map((c) => c.what)).toEqual([
      'A deploy of billing-api at 19:24 UTC, 16 minutes before the errors began at 19:40 UTC.',
    ]);
  });

  it('takes an OOM kill up to 5 minutes before the burst and up to 2 after it, not beyond', () => {
    const kills = ['19:35:00', '19:34:59', '19:44:59', '19:45:01'].map((time, i) =>
      change({
        kind: 'oom_kill',
        at: at(time),
        object: `proxy-${i}`,
        objectKind: 'pod',
        members: [`proxy-${i}-pod`],
        exit: { reason: 'OOMKilled', exitCode: 137 },
      }),
    );

    const result = correlate(kills);

    expect(result.causes.map((c) => [c.at, c.what])).toEqual([
      ['2026-06-18T19:35:00Z', '1 proxy-0 pod OOM-killed (exit 137) at 19:35 UTC.'],
      ['2026-06-18T19:44:59Z', '1 proxy-2 pod OOM-killed (exit 137) at 19:44 UTC.'],
    ]);
    expect(result.context.map((c) => c.what)).toEqual([
      '1 OOM kill of proxy-3 at 19:45 UTC, 3 minutes after the errors ended at 19:42 UTC.',
      '1 OOM kill of proxy-1 at 19:34 UTC, 6 minutes before the errors began at 19:40 UTC.',
    ]);
  });

  it('takes a scale-out just before the errors began as a cause, and one during them as the reaction, context', () => {
    const before = change({
      kind: 'scale_out',
      at: at('19:38'),
      object: 'nodes-a',
      objectKind: 'node group',
      nodeAction: 'added',
    });
    const during = change({
      kind: 'scale_out',
      at: at('19:42'),
      object: 'web',
      objectKind: 'horizontal pod autoscaler',
      replicas: { to: 8 },
      actor: 'horizontal-pod-autoscaler',
    });

    const result = correlate([before, during]);

    expect(result.causes.map((c) => c.kind)).toEqual(['scale_out']);
    expect(result.causes[0]!.what).toBe('nodes-a was scaled out at 19:38 UTC by an unnamed actor.');
    expect(result.context.map((c) => c.what)).toEqual([
      'web scaled out to 8 at 19:42 UTC, during the errors (19:40–19:42 UTC).',
    ]);
  });

  it('names no cause when the finding has no errors, and keeps everything seen as context', () => {
    const result = correlateChanges({
      errorSpans: [],
      window: WINDOW,
      changes: [change({ kind: 'deploy', at: at('19:40') })],
      resources: [],
      settings: {},
    });

    expect(result).toEqual({
      causes: [],
      context: [
        {
          at: '2026-06-18T19:40:00Z',
          what: 'A deploy of search-api at 19:40 UTC.',
          evidence: 'test: deploy of search-api',
        },
      ],
    });
  });

  it('says at most 12 context lines, the nearest to the errors first', () => {
    const changes = Array.from({ length: 20 }, (_, i) =>
      change({
        kind: 'config_change',
        at: new Date(at('18:30').getTime() + i * 60_000),
        object: `lb-${i}`,
        objectKind: 'load balancer',
      }),
    );

    const result = correlate(changes);

    expect(result.context).toHaveLength(MAX_CONTEXT);
    expect(result.context[0]!.what).toBe(
      'A change to the load balancer lb-19 at 18:49 UTC, 51 minutes before the errors began at 19:40 UTC.',
    );
  });
});

describe('findCauses: one story from several sources', () => {
  it('counts 3 deregistered targets once when CloudTrail and ECS both saw them, and ties them to the deploy that set them off', () => {
    const changes = [
      change({
        kind: 'deploy',
        at: at('19:22:05'),
        actor: 'role deploy-bot',
        source: 'CloudTrail',
        evidence: 'UpdateService by role deploy-bot: search-api → task definition search-api:43',
      }),
      change({
        kind: 'targets_deregistered',
        at: at('19:40:03'),
        object: 'k8s-search',
        objectKind: 'target group',
        count: 3,
        members: ['10.0.2.10:8080', '10.0.2.11:8080', '10.0.2.12:8080'],
        actor: 'ECS (service-linked role)',
        source: 'CloudTrail',
        evidence: 'DeregisterTargets: 3 targets',
      }),
      change({
        kind: 'targets_deregistered',
        at: at('19:40:03.2'),
        object: 'k8s-search',
        objectKind: 'target group',
        count: 3,
        workload: 'search-api',
        actor: 'ECS',
        source: 'ECS service events',
        evidence: '(service search-api) deregistered 3 targets',
      }),
    ];
    const settings: StandingSettings = {
      deregistrationDelays: [
        {
          seconds: 0,
          object: 'k8s-search',
          source: 'DescribeTargetGroupAttributes deregistration_delay.timeout_seconds',
        },
      ],
      serviceTargetGroups: { 'search-api': ['k8s-search'] },
    };

    const causes = findCauses({ errorSpans: [BURST], window: WINDOW, changes, resources: [], settings });

    expect(causes).toEqual([
      {
        kind: 'deploy',
        at: '2026-06-18T19:40:03Z',
        what: '3 targets deregistered at 19:40 UTC by a deploy of search-api with deregistration delay 0 s.',
        evidence:
          'CloudTrail: UpdateService by role deploy-bot: search-api → task definition search-api:43; CloudTrail: DeregisterTargets: 3 targets; ECS service events: (service search-api) deregistered 3 targets; ' +
          'DescribeTargetGroupAttributes deregistration_delay.timeout_seconds = 0 — during the errors (19:40–19:42 UTC)',
      },
    ]);
  });

  it('calls deregistrations with no deploy or autoscaler behind them a scale-in of the target group, by whoever made them', () => {
    const causes = findCauses({
      errorSpans: [BURST],
      window: WINDOW,
      changes: [
        change({
          kind: 'targets_deregistered',
          at: at('19:39:30'),
          object: 'k8s-search',
          objectKind: 'target group',
          count: 2,
          members: ['10.0.2.10:8080', '10.0.2.11:8080'],
          actor: 'user ops-admin',
        }),
      ],
      resources: [],
      settings: {},
    });

    expect(causes.map((c) => c.what)).toEqual([
      '2 targets deregistered from k8s-search at 19:39 UTC by user ops-admin.',
    ]);
  });

  it('says when Application Auto Scaling scaled an ECS service in and the scheduler stopped its tasks', () => {
    const changes = [
      change({
        kind: 'scale_in',
        at: at('19:36'),
        replicas: { to: 2 },
        actor: 'Application Auto Scaling',
        evidence: 'Message: Successfully set desired count to 2.',
      }),
      change({
        kind: 'task_stopped',
        at: at('19:40:10'),
        count: 2,
        members: ['5b6c7d8e', '9a8b7c6d'],
        deployment: 'ecs-svc/1',
        evidence: '(service search-api) has stopped 2 running tasks',
      }),
    ];

    const causes = findCauses({ errorSpans: [BURST], window: WINDOW, changes, resources: [], settings: {} });

    expect(causes.map((c) => [c.kind, c.at, c.what])).toEqual([
      [
        'scale_in',
        '2026-06-18T19:40:10Z',
        'search-api was scaled in to 2 tasks at 19:36 UTC by Application Auto Scaling, stopping 2 tasks.',
      ],
    ]);
  });

  it('folds restarts of a workload that was OOM-killed into the kill, and tells pods evicted by a node scale-down apart', () => {
    const changes = [
      change({
        kind: 'oom_kill',
        at: at('19:39:50'),
        object: 'traefik',
        objectKind: 'pod',
        members: ['traefik-7d9f8b6c5-x2x9k'],
        exit: { reason: 'OOMKilled', exitCode: 137 },
        source: 'kubectl pods',
      }),
      change({
        kind: 'container_restart',
        at: at('19:40:20'),
        object: 'traefik',
        objectKind: 'pod',
        members: ['traefik-7d9f8b6c5-x2x9k'],
        repeats: 2,
        source: 'kubectl events',
      }),
      change({
        kind: 'node_event',
        nodeAction: 'removed',
        at: at('19:41'),
        object: 'queue-web',
        objectKind: 'pod on a node scaled down',
        members: ['queue-web-6d9c7b8f5-x2x9k'],
        actor: 'cluster-autoscaler',
      }),
    ];

    const causes = findCauses({ errorSpans: [BURST], window: WINDOW, changes, resources: [], settings: {} });

    expect(causes.map((c) => [c.kind, c.what])).toEqual([
      ['oom_kill', '1 traefik pod OOM-killed (exit 137) at 19:39 UTC.'],
      ['scale_in', '1 queue-web pod evicted at 19:41 UTC as their node was scaled down by cluster-autoscaler.'],
    ]);
  });

  it('names a load balancer attribute set just before the burst as a configuration change', () => {
    const causes = findCauses({
      errorSpans: [BURST],
      window: WINDOW,
      changes: [
        change({
          kind: 'attribute_change',
          at: at('19:31'),
          object: 'k8s-ingress',
          objectKind: 'load balancer',
          attribute: { key: 'idle_timeout.timeout_seconds', newValue: '120' },
          actor: 'user ops-admin',
        }),
      ],
      resources: [],
      settings: {},
    });

    expect(causes.map((c) => [c.kind, c.at, c.what])).toEqual([
      [
        'config_change',
        '2026-06-18T19:31:00Z',
        "k8s-ingress's idle_timeout.timeout_seconds was set to 120 at 19:31 UTC by user ops-admin.",
      ],
    ]);
  });
});

describe('findCauses: a flat background', () => {
  it('takes failures inside it and a keep-alive setting changed before it, but not a deploy in its middle', () => {
    const changes = [
      change({
        kind: 'attribute_change',
        at: at('17:20'),
        object: 'k8s-ingress',
        objectKind: 'load balancer',
        attribute: { key: 'idle_timeout.timeout_seconds', newValue: '120' },
      }),
      change({ kind: 'deploy', at: at('19:10') }),
      change({ kind: 'oom_kill', at: at('20:15'), object: 'traefik', objectKind: 'pod', members: ['traefik-a'] }),
    ];

    const result = correlate(changes, { spans: [BACKGROUND] });

    expect(result.causes.map((c) => [c.kind, c.at])).toEqual([
      ['config_change', '2026-06-18T17:20:00Z'],
      ['oom_kill', '2026-06-18T20:15:00Z'],
    ]);
    expect(result.context.map((c) => c.what)).toContain(
      'A deploy of search-api at 19:10 UTC, during the errors (18:11–21:10 UTC).',
    );
  });
});

describe('findCauses: the keep-alive race', () => {
  const idle = {
    seconds: 60,
    object: 'k8s-ingress',
    source: 'DescribeLoadBalancerAttributes idle_timeout.timeout_seconds',
  };
  const keepAlive = (seconds: number) => ({
    seconds,
    object: 'the targets',
    source: 'config aws.changes.targetKeepAliveSeconds',
  });

  it('names a target keep-alive shorter than the idle timeout as a standing cause, with both settings', () => {
    const result = correlate([], {
      spans: [BACKGROUND],
      settings: { idleTimeout: idle, targetKeepAlive: keepAlive(5) },
    });

    expect(result.causes).toEqual([
      {
        kind: 'idle_timeout_mismatch',
        at: null,
        what: "The targets' keep-alive timeout (5 s) is shorter than k8s-ingress's idle timeout (60 s): they close idle connections the load balancer still reuses.",
        evidence:
          'DescribeLoadBalancerAttributes idle_timeout.timeout_seconds = 60; config aws.changes.targetKeepAliveSeconds = 5',
      },
    ]);
  });

  it('names equal timeouts a mismatch too (seed 004: "exactly the same idle timeout")', () => {
    expect(
      correlate([], { spans: [BACKGROUND], settings: { idleTimeout: idle, targetKeepAlive: keepAlive(60) } }).causes[0]!
        .what,
    ).toBe(
      "The targets' keep-alive timeout equals k8s-ingress's idle timeout (60 s): both close idle connections at the same moment, and the load balancer reuses some the targets are closing.",
    );
  });

  it('says which is longer when the settings are the right way round, as context', () => {
    const result = correlate([], {
      spans: [BACKGROUND],
      settings: { idleTimeout: idle, targetKeepAlive: keepAlive(65) },
    });

    expect(result.causes).toEqual([]);
    expect(result.context[0]!.what).toBe(
      "The targets' keep-alive timeout (65 s) is longer than k8s-ingress's idle timeout (60 s): the right way round, so look for a hop in between that closes connections sooner.",
    );
  });

  it("says the comparison was not made when the targets' keep-alive is unknown", () => {
    const result = correlate([], { spans: [BACKGROUND], settings: { idleTimeout: idle } });

    expect(result.causes).toEqual([]);
    expect(result.context[0]).toEqual({
      at: null,
      what: "Which of the two timeouts is longer was not measured: k8s-ingress's idle timeout is 60 s.",
      evidence:
        'DescribeLoadBalancerAttributes idle_timeout.timeout_seconds = 60; set aws.changes.targetKeepAliveSeconds to compare',
    });
  });

  it("compares with Google's fixed 600 s backend keep-alive", () => {
    const result = correlate([], {
      spans: [BACKGROUND],
      settings: { idleTimeout: gcpIdleTimeoutSetting(), targetKeepAlive: keepAlive(600) },
    });

    expect(result.causes.map((c) => c.what)).toEqual([
      "The targets' keep-alive timeout equals the Google Cloud load balancer's idle timeout (600 s): both close idle connections at the same moment, and the load balancer reuses some the targets are closing.",
    ]);
  });

  it('does not blame the keep-alive settings for a burst of unreachable targets', () => {
    expect(correlate([], { settings: { idleTimeout: idle, targetKeepAlive: keepAlive(5) } }).causes).toEqual([]);
  });
});

describe('findCauses: CPU and memory', () => {
  const points = (values: Array<[string, number, number | null]>) =>
    values.map(([time, max, avg]) => ({ at: at(time), maximumPercent: max, averagePercent: avg }));
  const cpu = (
    values: Array<[string, number, number | null]>,
    overrides: Partial<ResourceSeries> = {},
  ): ResourceSeries => ({
    object: 'keepsakes-api',
    metric: 'cpu',
    unit: 'task',
    source: 'AWS/ECS CPUUtilization (ClusterName passport, ServiceName keepsakes-api)',
    periodSeconds: 60,
    status: 'ok',
    points: points(values),
    ...overrides,
  });

  it('names the busiest task at 100 % while the Average looks fine (seed 002)', () => {
    const series = cpu([
      ['19:36', 62, 30],
      ['19:38', 100, 41],
      ['19:39', 100, 39],
      ['19:40', 99.5, 44],
      ['19:41', 71, 38],
    ]);

    expect(correlate([], { resources: [series] }).causes).toEqual([
      {
        kind: 'cpu_saturation',
        at: '2026-06-18T19:38:00Z',
        what: "keepsakes-api's busiest task hit 100 % CPU at 19:38 UTC while the Average was 41 %.",
        evidence:
          'AWS/ECS CPUUtilization (ClusterName passport, ServiceName keepsakes-api): Maximum ≥ 99 % in 3 of the 5 minutes 19:36–19:41 UTC (peak 100 % at 19:38 UTC); Average 39–44 % in those minutes — 2 minutes before the errors began at 19:40 UTC',
      },
    ]);
  });

  it('says the whole service was saturated when the Average is high too', () => {
    const series = cpu([
      ['19:40', 100, 96],
      ['19:41', 100, 94],
    ]);

    expect(correlate([], { resources: [series] }).causes[0]!.what).toBe(
      'keepsakes-api was saturated: its CPU Maximum reached 100 % at 19:40 UTC with an Average of 95 %.',
    );
  });

  it('does not call 97 % saturation, keeps saturation far from the errors as context, and skips a series without datapoints', () => {
    const near = cpu([['19:40', 97, 40]]);
    const far = cpu([['18:20', 100, 45]], { object: 'billing-api' });
    const none = cpu([], { object: 'idle-api', status: 'unavailable', reason: 'no datapoints' });

    const result = correlate([], { resources: [near, far, none] });

    expect(result.causes).toEqual([]);
    expect(result.context.map((c) => c.what)).toEqual([
      "billing-api's CPU Maximum reached 100 % at 18:20 UTC, not near the errors.",
    ]);
  });

  it('adds memory at its limit to the evidence of an OOM kill of the same workload', () => {
    const memory: ResourceSeries = {
      object: 'traefik',
      metric: 'memory',
      unit: 'pod',
      source: 'ContainerInsights pod_memory_utilization_over_pod_limit',
      periodSeconds: 60,
      status: 'ok',
      points: points([['19:39', 100, 71]]),
    };
    const kill = change({
      kind: 'oom_kill',
      at: at('19:39:40'),
      object: 'traefik',
      objectKind: 'pod',
      members: ['traefik-a'],
      source: 'kubectl pods',
      evidence: 'pod traefik-a OOMKilled',
    });

    const [cause] = correlate([kill], { resources: [memory] }).causes;

    expect(cause!.evidence).toBe(
      'kubectl pods: pod traefik-a OOMKilled — 1 minute before the errors began at 19:40 UTC; ContainerInsights pod_memory_utilization_over_pod_limit: Maximum 100 % at 19:39 UTC (Average 71 %) — 1 minute before the errors began at 19:40 UTC',
    );
  });
});

describe('findCauses: times in the asked zone', () => {
  it('writes times as the report does when given its formatter', () => {
    const fmt = createTimeFormatter(resolveZone('AEST'), { referenceInstant: at('19:41') });

    const causes = findCauses({
      errorSpans: [BURST],
      window: WINDOW,
      changes: [change({ kind: 'deploy', at: at('19:35') })],
      resources: [],
      settings: {},
      fmt,
    });

    expect(causes[0]!.what).toBe('A deploy of search-api started at 05:35 AEST (19:35 UTC).');
  });
});

describe('errorSpansOf', () => {
  it("turns a finding's burst facts into a span that ends after its last minute", () => {
    expect(
      errorSpansOf(
        { kind: 'target_unreachable', facts: { burstStart: '2026-06-18T19:40:00Z', burstEnd: '2026-06-18T19:42:00Z' } },
        WINDOW,
      ),
    ).toEqual([BURST]);
  });

  it('takes the whole window for the keep-alive race and for findings without a burst, and nothing for a calm verdict', () => {
    expect(
      errorSpansOf(
        { kind: 'keepalive_race', facts: { burstStart: '2026-06-18T19:40:00Z', burstEnd: '2026-06-18T19:42:00Z' } },
        WINDOW,
      ),
    ).toEqual([BACKGROUND]);
    expect(errorSpansOf({ kind: 'origin_5xx', facts: {} }, WINDOW)).toEqual([
      { kind: 'origin_5xx', start: WINDOW.start, end: WINDOW.end },
    ]);
    expect(errorSpansOf({ kind: 'no_errors', facts: {} }, WINDOW)).toEqual([]);
  });
});

describe('CAUSE_CUSTOMER_WORDS', () => {
  it('has customer words for every cause kind, without names or numbers', () => {
    expect(Object.keys(CAUSE_CUSTOMER_WORDS).sort()).toEqual([...CAUSE_KINDS].sort());
    expect(Object.values(CAUSE_CUSTOMER_WORDS).filter((words) => /\d|_/.test(words))).toEqual([]);
    expect(CAUSE_CUSTOMER_WORDS.deploy).toBe('a deployment on our side restarted the servers behind your index');
  });
});
