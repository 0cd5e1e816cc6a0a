/**
 * `--events <file>` on the exports people make, each a real-format fixture
 * (test/fixtures/changes, see SOURCES.md there): told apart by content, read into changes and
 * settings within the window and its margin, and one clear error for anything else.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EMPTY_SCOPE } from '../../src/changes/change-scope.js';
import { EventsFileError, eventsFromDocument, readEventsFile } from '../../src/changes/files/read-events-file.js';
import { FIXTURES, fixtureJson, SEARCH_API_SCOPE, WINDOW } from './support/change-fixtures.js';

const options = { window: WINDOW, marginMinutes: 30, scope: SEARCH_API_SCOPE };

describe('readEventsFile', () => {
  it('reads kubectl events: the kernel OOM kill on the node, probes, back-offs and a rollout, leaving pulls and starts out', async () => {
    const evidence = await readEventsFile(`${FIXTURES}kubectl/events-traefik-oom.json`, options);

    expect(
      evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.object, c.objectKind, c.count, c.repeats ?? 1]),
    ).toEqual([
      ['2026-06-18T17:50:12.000Z', 'deploy', 'billing-api', 'deployment', 1, 1],
      [
        '2026-06-18T19:38:12.000Z',
        'oom_kill',
        'traefik',
        'process on node ip-10-0-12-34.ap-southeast-2.compute.internal',
        1,
        1,
      ],
      ['2026-06-18T19:38:14.000Z', 'health_check_failed', 'traefik', 'pod', 1, 2],
      ['2026-06-18T19:38:25.000Z', 'container_restart', 'traefik', 'pod', 1, 1],
      ['2026-06-18T20:40:05.000Z', 'scale_out', 'queue-web', 'horizontal pod autoscaler', 1, 1],
    ]);
    expect(evidence.sources).toEqual([
      { name: 'kubectl events (events-traefik-oom.json)', status: 'complete', detail: '5 changes in range of 5 read' },
    ]);
    expect(evidence.notes).toEqual([
      'Kubernetes keeps events for 1 hour by default (kube-apiserver --event-ttl): an export taken more than an hour after the errors no longer holds them.',
    ]);
  });

  it('reads the events.k8s.io/v1 shape (regarding, note, deprecated timestamps)', async () => {
    const evidence = await readEventsFile(`${FIXTURES}kubectl/events-v1-events-k8s-io.json`, options);

    expect(evidence.changes).toEqual([
      {
        at: new Date('2026-06-18T19:38:18Z'),
        firstAt: new Date('2026-06-18T19:37:58Z'),
        kind: 'health_check_failed',
        object: 'traefik',
        objectKind: 'pod',
        members: ['traefik-7d9f8b6c5-x2x9k'],
        count: 1,
        repeats: 3,
        actor: 'kubelet',
        exit: {
          reason:
            'Liveness probe failed: Get "http://10.0.12.87:8080/ping": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        },
        source: 'kubectl events (events-v1-events-k8s-io.json)',
        evidence:
          'Unhealthy pod/traefik/traefik-7d9f8b6c5-x2x9k: Liveness probe failed: Get "http://10.0.12.87:8080/ping": context deadline exceeded (Client.Timeout exceeded while awaiting headers) (×3)',
      },
      {
        at: new Date('2026-06-18T19:38:20Z'),
        kind: 'container_restart',
        object: 'traefik',
        objectKind: 'pod',
        members: ['traefik-7d9f8b6c5-x2x9k'],
        count: 1,
        actor: 'kubelet',
        exit: { reason: 'Container traefik failed liveness probe, will be restarted' },
        source: 'kubectl events (events-v1-events-k8s-io.json)',
        evidence:
          'Killing pod/traefik/traefik-7d9f8b6c5-x2x9k: Container traefik failed liveness probe, will be restarted',
      },
    ]);
  });

  it("reads kubectl pods: each container's last termination, OOMKilled with exit 137", async () => {
    const evidence = await readEventsFile(`${FIXTURES}kubectl/pods-traefik-oomkilled.json`, options);

    expect(evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.object, c.members, c.exit])).toEqual([
      [
        '2026-06-18T19:38:12.000Z',
        'oom_kill',
        'traefik',
        ['traefik-7d9f8b6c5-x2x9k'],
        { reason: 'OOMKilled', exitCode: 137 },
      ],
      [
        '2026-06-18T20:31:47.000Z',
        'oom_kill',
        'traefik',
        ['traefik-7d9f8b6c5-m4q8w'],
        { reason: 'OOMKilled', exitCode: 137 },
      ],
    ]);
  });

  it('reads CloudTrail lookup-events: successful writes in scope, and says what it left out and why', async () => {
    const evidence = await readEventsFile(`${FIXTURES}cloudtrail/lookup-events-search-api-deploy.json`, options);

    expect(evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.object, c.actor, c.count])).toEqual([
      ['2026-06-18T17:55:21.000Z', 'config_change', 'k8s-ingress', 'user ops-admin', 1],
      ['2026-06-18T19:35:11.000Z', 'deploy', 'search-api', 'role deploy-bot', 1],
      ['2026-06-18T19:39:12.000Z', 'targets_registered', 'search-api', 'ECS (service-linked role)', 3],
      ['2026-06-18T19:40:03.000Z', 'targets_deregistered', 'search-api', 'ECS (service-linked role)', 3],
    ]);
    expect(evidence.sources[0]!.detail).toBe(
      '4 changes in range of 4 read; 8 events read, 4 kept; left out: 1 read-only, 1 failed calls, 1 on other resources, 1 other writes',
    );
  });

  it('never carries an access key id, a principal id, a session name or an account id into a change', async () => {
    const files = [
      'cloudtrail/lookup-events-search-api-deploy.json',
      'ecs/describe-services-search-api.json',
      'ecs/describe-tasks-search-api.json',
    ];
    const evidence = await Promise.all(
      files.map((file) => readEventsFile(`${FIXTURES}${file}`, { ...options, scope: EMPTY_SCOPE })),
    );

    const text = JSON.stringify(evidence.map((e) => e.changes));
    expect(text).not.toMatch(/ASIA|AKIA|AROA|123456789012|github-actions-8842119021/);
  });

  it('reads a gzipped CloudTrail log file from S3 ({"Records": …}): attribute changes with their new values', async () => {
    const evidence = await readEventsFile(
      `${FIXTURES}cloudtrail/123456789012_CloudTrail_ap-southeast-2_20260618T1925Z_Xb3kLmN0pQrStUvW.json.gz`,
      options,
    );

    expect(evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.object, c.attribute, c.actor])).toEqual([
      [
        '2026-06-18T19:05:17.000Z',
        'attribute_change',
        'search-api',
        { key: 'deregistration_delay.timeout_seconds', newValue: '0' },
        'user ops-admin',
      ],
      [
        '2026-06-18T19:20:44.000Z',
        'attribute_change',
        'k8s-ingress',
        { key: 'idle_timeout.timeout_seconds', newValue: '120' },
        'user ops-admin',
      ],
    ]);
  });

  it('reads ECS describe-services: the messages, the deployment and the target group behind the service', async () => {
    const evidence = await readEventsFile(`${FIXTURES}ecs/describe-services-search-api.json`, options);

    expect(evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.object, c.count, c.members ?? null])).toEqual([
      ['2026-06-18T19:35:11.402Z', 'deploy', 'search-api', 1, null],
      ['2026-06-18T19:39:12.640Z', 'targets_registered', 'search-api', 3, null],
      ['2026-06-18T19:40:03.211Z', 'targets_deregistered', 'search-api', 3, null],
      ['2026-06-18T19:40:03.217Z', 'draining', 'search-api', 3, null],
      ['2026-06-18T19:40:13.402Z', 'task_stopped', 'search-api', 3, ['5b6c7d8e', '9a8b7c6d', '1f2e3d4c']],
    ]);
    expect(evidence.settings).toEqual({ serviceTargetGroups: { 'search-api': ['search-api'] } });
  });

  it("reads ECS describe-tasks: an OOM kill, a failed ELB health check and a deploy's stop; a running task is not a change", async () => {
    const evidence = await readEventsFile(`${FIXTURES}ecs/describe-tasks-search-api.json`, options);

    expect(evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.members, c.exit, c.deployment ?? null])).toEqual([
      [
        '2026-06-18T19:40:41.288Z',
        'task_stopped',
        ['5b6c7d8e'],
        {
          reason: 'Scaling activity initiated by (deployment ecs-svc/3918246516285612345)',
          stopCode: 'ServiceSchedulerInitiated',
        },
        'ecs-svc/3918246516285612345',
      ],
      [
        '2026-06-18T19:47:19.562Z',
        'health_check_failed',
        ['8a9b0c1d'],
        {
          reason: 'Task failed ELB health checks in (target-group targetgroup/search-api/0123456789abcdef)',
          exitCode: 143,
          stopCode: 'ServiceSchedulerInitiated',
        },
        null,
      ],
      [
        '2026-06-18T19:52:41.917Z',
        'oom_kill',
        ['7f8a9b0c'],
        {
          reason: 'OutOfMemoryError: Container killed due to memory usage',
          exitCode: 137,
          stopCode: 'EssentialContainerExited',
        },
        null,
      ],
    ]);
    expect(evidence.notes).toEqual([
      'ECS lists stopped tasks for about an hour after they stop: an older export may miss some.',
    ]);
  });

  it('reads ELB attribute exports as standing settings, named after the file', async () => {
    const tg = await readEventsFile(`${FIXTURES}elbv2/search-api-target-group-attributes.json`, options);
    const lb = await readEventsFile(`${FIXTURES}elbv2/k8s-ingress-load-balancer-attributes.json`, options);

    expect(tg.settings).toEqual({
      deregistrationDelays: [
        {
          seconds: 0,
          object: 'search-api',
          source: 'ELB attributes (search-api-target-group-attributes.json) deregistration_delay.timeout_seconds',
        },
      ],
    });
    expect(lb.settings).toEqual({
      idleTimeout: {
        seconds: 60,
        object: 'k8s-ingress',
        source: 'ELB attributes (k8s-ingress-load-balancer-attributes.json) idle_timeout.timeout_seconds',
      },
    });
  });

  it('reads get-metric-statistics with Maximum and Average per minute, in time order', async () => {
    const evidence = await readEventsFile(`${FIXTURES}cloudwatch/keepsakes-api-cpu.json`, options);

    const series = evidence.resources[0]!;
    expect({ ...series, points: series.points.length }).toEqual({
      object: 'keepsakes-api',
      metric: 'cpu',
      unit: 'task',
      source: 'CloudWatch statistics (keepsakes-api-cpu.json) CPUUtilization',
      periodSeconds: 60,
      status: 'ok',
      points: 31,
    });
    expect(series.points.slice(9, 11)).toEqual([
      { at: new Date('2026-06-18T19:34:00Z'), maximumPercent: 100, averagePercent: expect.any(Number) },
      { at: new Date('2026-06-18T19:35:00Z'), maximumPercent: 100, averagePercent: expect.any(Number) },
    ]);
  });

  it('refuses a JSON export of another shape with one error that names the shapes it knows', async () => {
    const read = readEventsFile(`${FIXTURES}other/get-metric-data.json`, options);

    await expect(read).rejects.toThrow(EventsFileError);
    await expect(read).rejects.toMatchObject({
      message: 'Events file get-metric-data.json is not an export why502 knows.',
      hint: expect.stringContaining(
        'kubectl get events -A -o json; kubectl get pods -A -o json; aws cloudtrail lookup-events; a CloudTrail log file from S3',
      ),
    });
  });

  it('refuses a file that is not JSON, a damaged gzip and a missing file, each saying so', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'why502-events-'));
    writeFileSync(
      path.join(dir, 'events.txt'),
      'LAST SEEN   TYPE      REASON      OBJECT\n5m          Warning   BackOff     pod/x\n',
    );
    writeFileSync(path.join(dir, 'cut.json.gz'), gzipSync('{"Records": []}').subarray(0, 12));

    await expect(readEventsFile(path.join(dir, 'events.txt'), options)).rejects.toThrow(
      /^Events file events\.txt is not JSON/,
    );
    await expect(readEventsFile(path.join(dir, 'cut.json.gz'), options)).rejects.toThrow(
      /^Events file cut\.json\.gz is a damaged gzip file/,
    );
    await expect(readEventsFile(path.join(dir, 'absent.json'), options)).rejects.toThrow(
      /^Cannot open events file .*absent\.json \(ENOENT\)\.$/,
    );
  });

  it('says an export holds nothing in the range rather than reporting no changes', () => {
    const evidence = eventsFromDocument(fixtureJson('kubectl/pods-traefik-oomkilled.json'), 'pods.json', {
      ...options,
      window: { start: new Date('2026-06-20T00:00:00Z'), end: new Date('2026-06-20T03:00:00Z') },
    });

    expect(evidence.changes).toEqual([]);
    expect(evidence.notes).toContain(
      'kubectl pods (pods.json): none of its 2 changes falls between 2026-06-19T23:30:00.000Z and 2026-06-20T03:05:00.000Z; was it exported for another time?',
    );
  });

  it('marks a lookup-events export that stopped at a NextToken as partial', () => {
    const evidence = eventsFromDocument(
      { Events: [], NextToken: 'kbOt5LlZe++mErCebpy2TgaMgmDvF1kYGFcH64JSjIbZFjsuvrSqg66b5YGssKutDYIyII4lrP4' },
      'lookup.json',
      { ...options, scope: EMPTY_SCOPE },
    );

    expect(evidence.sources[0]).toMatchObject({
      status: 'partial',
      detail: expect.stringContaining('the export ends with a NextToken'),
    });
  });

  it('keeps every CloudTrail write when nothing is configured to match against', async () => {
    const evidence = await readEventsFile(`${FIXTURES}cloudtrail/lookup-events-search-api-deploy.json`, {
      ...options,
      scope: EMPTY_SCOPE,
    });

    expect(evidence.changes.map((c) => c.object)).toEqual([
      'k8s-ingress',
      'search-api',
      'search-api',
      'billing-api',
      'search-api',
    ]);
  });
});
