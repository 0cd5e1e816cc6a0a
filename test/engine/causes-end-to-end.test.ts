/**
 * Issue 13 end to end: the seeds' incidents written as logs and as the files a team exports,
 * investigated through the command line with --events (and once through the production path,
 * aws.changes against the AWS stand-in through the real SDK clients). The verdict must name the
 * cause with its time and evidence, in the text, the JSON and the customer draft.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config.js';
import type { ReportJson } from '../../src/core/report.js';
import { createInvestigationRunner } from '../../src/engine/create-runner.js';
import { type ChangeIncidentShape, changeIncident } from '../../src/simulate/change-incidents.js';
import type { StackSpec } from '../../src/simulate/simulate-incident.js';
import { writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { startFakeChangeSources } from '../support/fake-change-sources.js';
import { withProcessEnv } from '../support/process-env.js';
import { runCli } from '../support/run-cli.js';
import { INDEX, incident, NOW, START, TENANTS } from '../support/scenarios.js';
import { CONTRACT_SCHEMA, hasContract } from '../support/shared-paths.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-causes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TARGET_GROUP = TENANTS.find((t) => t.index === INDEX)!.targetGroup;
const CONFIG = `indexes:\n${TENANTS.map((t) => `  ${t.index}:\n    targetGroup: ${t.targetGroup}\n    match: /indexes/${t.index}/\n`).join('')}`;

interface Investigated {
  directory: string;
  logs: { albDir: string; proxyDir: string };
  report: ReportJson;
  text: string;
  stderr: string;
}

/** Writes the shape's logs and its exports (into one folder, as a team would download them), then runs the CLI. */
async function investigate(
  shape: ChangeIncidentShape,
  stack: StackSpec = {},
  extraEvents: Record<string, string> = {},
): Promise<Investigated> {
  const directory = mkdtempSync(path.join(scratch, `${shape}-`));
  const generated = changeIncident(shape, { index: INDEX, targetGroup: TARGET_GROUP, start: START });
  const logs = await writeIncidentLogs(incident(generated.incidentEvents, 7, { stack }), directory);
  const events = path.join(directory, 'exports');
  mkdirSync(events);
  for (const [name, text] of Object.entries({ ...generated.files, ...extraEvents }))
    writeFileSync(path.join(events, name), text);
  writeFileSync(path.join(directory, 'why502.yml'), CONFIG);
  const args = [
    INDEX,
    '05:41',
    'AEST',
    '--now',
    NOW.toISOString(),
    '--alb-logs',
    logs.albDir,
    '--proxy-logs',
    logs.proxyDir,
    '--events',
    events,
  ];
  const json = await runCli([...args, '--format', 'json'], { cwd: directory });
  const text = await runCli([...args, '--no-draft'], { cwd: directory });
  expect(json.code, json.stderr).toBe(0);
  expect(text.code, text.stderr).toBe(0);
  return { directory, logs, report: JSON.parse(json.stdout) as ReportJson, text: text.stdout, stderr: json.stderr };
}

const draftLine = (report: ReportJson) =>
  report.draft?.text.split('\n').find((line) => line.startsWith('- What caused it:')) ?? null;

describe('causes named end to end, from exported files (--events)', () => {
  it('seed 001: names the OOM-killed Traefik pod in the headline, the text, the JSON and the draft', async () => {
    const { report, text } = await investigate('oom_killed_proxy', { proxy: 'traefik-json' });

    expect(report.verdict.kind).toBe('target_unreachable');
    expect(report.verdict.headline).toMatch(/ — 1 traefik pod OOM-killed \(exit 137\) at 05:38 AEST \(19:38 UTC\)\.$/);
    expect(report.verdict.causes?.map(({ kind, at }) => ({ kind, at }))).toEqual([
      { kind: 'oom_kill', at: '2026-06-18T19:38:12Z' },
    ]);
    expect(report.verdict.causes![0]!.evidence).toContain('OOMKilling');
    expect(report.verdict.advice[0]).toMatch(/^Raise the OOM-killed containers' memory limit/);
    // The later kills and an unrelated rollout were seen and set aside, with their distance.
    expect(report.changes?.context.map((item) => item.what)).toEqual([
      '2 OOM kills of traefik in 06:05–06:31 AEST (20:05–20:31 UTC), 26 minutes after the errors ended at 05:39 AEST (19:39 UTC).',
      'A deploy of billing-api at 04:08 AEST (18:08 UTC), 1 h 30 min before the errors began at 05:38 AEST (19:38 UTC).',
    ]);
    expect(report.sources.map((s) => [s.name, s.status])).toContainEqual([
      'kubectl events (kubectl-events.json)',
      'complete',
    ]);
    expect(draftLine(report)).toBe(
      '- What caused it: servers behind your index ran out of memory and were restarted at 05:38 AEST.',
    );
    expect(text).toMatch(
      /What changed:\n {2}- 1 traefik pod OOM-killed \(exit 137\) at 05:38 AEST \(19:38 UTC\)\. Evidence: kubectl events/,
    );
    expect(text).toContain('Also seen around the errors (not causes):');
  }, 60_000);

  it('seed 002: names the busiest task at 100 % CPU while the average was 40 %, and the failed health checks', async () => {
    const { report } = await investigate('cpu_saturation');

    expect(report.verdict.headline).toMatch(
      / — keepsakes-api's busiest task hit 100 % CPU at 05:34 AEST \(19:34 UTC\) while the Average was 40 %\.$/,
    );
    expect(report.verdict.causes?.map((cause) => cause.kind)).toEqual(['cpu_saturation', 'health_check_failures']);
    expect(draftLine(report)).toBe(
      '- What caused it: a server behind your index was overloaded at 05:34 AEST; and servers behind your index stopped answering our health checks and were replaced at 05:36 AEST.',
    );
  }, 60_000);

  it('seed 003: names the HPA scale-in that stopped pods with no draining', async () => {
    const { report } = await investigate('hpa_scale_down');

    expect(report.verdict.causes).toEqual([
      expect.objectContaining({
        kind: 'scale_in',
        at: '2026-06-18T19:39:03Z',
        what: 'queue-web was scaled in from 20 to 15 pods at 05:39 AEST (19:39 UTC) by its horizontal pod autoscaler, stopping 5 pods with deregistration delay 0 s.',
      }),
    ]);
    expect(report.verdict.advice[0]).toMatch(/^The scale-in above stopped targets that were still serving/);
  }, 60_000);

  it('keeps the verdict when one export is of an unknown shape, and says which file and why', async () => {
    const { report, stderr } = await investigate('deploy', {}, { 'notes.json': JSON.stringify({ hello: 'world' }) });

    expect(report.verdict.causes?.map((cause) => cause.kind)).toEqual(['deploy']);
    const failed = report.sources.find((s) => s.status === 'failed')!;
    expect(failed.name).toMatch(/^events files \(.*notes\.json\)$/);
    expect(failed.detail).toMatch(/^Events file notes\.json is not an export why502 knows\. Known exports: /);
    expect(stderr).toContain('Events file notes.json is not an export why502 knows.');
  }, 60_000);

  it.skipIf(!hasContract)(
    'writes causes the contract schema accepts',
    async () => {
      const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
        JSON.parse(readFileSync(CONTRACT_SCHEMA, 'utf8')),
      );
      const { report } = await investigate('deploy');

      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    },
    60_000,
  );
});

describe('causes in production: aws.changes through the real SDK clients', () => {
  let fake: Awaited<ReturnType<typeof startFakeChangeSources>>;
  let logs: { albDir: string; proxyDir: string };
  const generated = changeIncident('deploy', { index: INDEX, targetGroup: TARGET_GROUP, start: START });
  const exported = (name: string) => JSON.parse(generated.files[name]!) as Record<string, unknown>;

  beforeAll(async () => {
    logs = await writeIncidentLogs(incident(generated.incidentEvents), mkdtempSync(path.join(scratch, 'production-')));
    fake = await startFakeChangeSources({
      cloudTrailEvents: exported('cloudtrail-lookup-events.json').Events as Array<Record<string, unknown>>,
      ecs: {
        prod: {
          services: exported('ecs-describe-services.json').services as Array<Record<string, unknown>>,
          tasks: [],
        },
      },
      loadBalancers: [
        {
          arn: 'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:loadbalancer/app/k8s-ingress/0123456789abcdef',
          attributes: { 'idle_timeout.timeout_seconds': '60' },
        },
      ],
      targetGroups: [
        {
          arn: `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:${TARGET_GROUP}`,
          attributes: { 'deregistration_delay.timeout_seconds': '0' },
        },
      ],
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  it("finds the deploy in CloudTrail and ECS, and the 0 s deregistration delay in the target group's attributes", async () => {
    const config = parseConfig(
      {
        aws: {
          region: 'ap-southeast-2',
          loadBalancer: 'app/k8s-ingress/0123456789abcdef',
          changes: { ecsCluster: 'prod', ecsServices: ['search-api'], targetHealth: false },
        },
        indexes: Object.fromEntries(
          TENANTS.map((t) => [t.index, { targetGroup: t.targetGroup, match: `/indexes/${t.index}/` }]),
        ),
      },
      'the causes test',
    );
    const warnings: string[] = [];
    const runner = createInvestigationRunner({
      config,
      env: {},
      clock: { now: () => NOW, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
      warn: (message) => warnings.push(message),
      sourceFlags: { albLogs: [logs.albDir], proxyLogs: [logs.proxyDir] },
    });
    const command = runner.parse(`${INDEX} 05:41 AEST`, NOW);
    if ('help' in command) throw new Error('parsed as help');

    const { report } = await withProcessEnv(
      {
        AWS_ENDPOINT_URL: fake.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_CONFIG_FILE: path.join(scratch, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'no-aws-credentials'),
      },
      () => runner.run(command, { noDraft: true }),
    );

    expect(report.verdict.causes).toEqual([
      expect.objectContaining({
        kind: 'deploy',
        at: '2026-06-18T19:40:03Z',
        what: '3 targets deregistered at 05:40 AEST (19:40 UTC) by a deploy of search-api with deregistration delay 0 s.',
      }),
    ]);
    expect(fake.calls().LookupEvents).toBeGreaterThan(0);
    expect(fake.calls().DescribeServices).toBe(1);
    const statuses = Object.fromEntries(report.sources.map((s) => [s.name, s.status]));
    expect(statuses).toMatchObject({ 'ALB access logs': 'complete', 'proxy logs': 'complete' });
    expect(Object.keys(statuses).some((name) => name.startsWith('CloudTrail'))).toBe(true);
    expect(warnings).toEqual([]);
  }, 60_000);
});

describe("the worker's IAM for aws.changes", () => {
  const iam = createRequire(import.meta.url)('../../scripts/serverless-iam.cjs') as {
    workerStatements: (options: {
      resolveVariable: (name: string) => Promise<string>;
    }) => Promise<Array<{ Sid?: string; Action: string[]; Resource: unknown; Condition?: unknown }>>;
  };
  const resolveVariable = async (name: string) => ({ 'self:service': 'why502', 'sls:stage': 'prod' })[name] ?? '';
  afterEach(() => vi.unstubAllEnvs());

  function withConfig(yaml: string): void {
    const file = path.join(mkdtempSync(path.join(scratch, 'iam-')), 'why502.yml');
    writeFileSync(file, yaml);
    vi.stubEnv('WHY502_IAM_CONFIG', file);
  }

  it('grants read-only change calls on the configured cluster and services only', async () => {
    withConfig(
      [
        'aws:',
        '  region: ap-southeast-2',
        '  loadBalancer: app/k8s-ingress/0123456789abcdef',
        '  changes:',
        '    ecsCluster: prod',
        '    ecsServices: [search-api]',
        'indexes:',
        `  ${INDEX}:`,
        `    targetGroup: ${TARGET_GROUP}`,
        '',
      ].join('\n'),
    );

    const statements = await iam.workerStatements({ resolveVariable });

    const actions = statements.flatMap((s) => s.Action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'cloudtrail:LookupEvents',
        'ecs:DescribeServices',
        'ecs:ListTasks',
        'ecs:DescribeTasks',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
      ]),
    );
    expect(
      actions.every((action) => /:(Describe|List|Get|Lookup|Start|Stop|Put|Create|Delete|Invoke)/.test(action)),
    ).toBe(true);
    expect(statements.find((s) => s.Sid === 'DescribeTheServicesBehindTheLoadBalancer')!.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:ap-southeast-2:${AWS::AccountId}:service/prod/search-api' },
    ]);
    expect(
      actions
        .filter((action) => action.startsWith('ecs:') || action.startsWith('cloudtrail:'))
        .some((action) => action.includes('*')),
    ).toBe(false);
  });

  it('grants none of them when the config has no aws.changes', async () => {
    withConfig(['aws:', '  region: ap-southeast-2', '  loadBalancer: app/k8s-ingress/0123456789abcdef', ''].join('\n'));

    const actions = (await iam.workerStatements({ resolveVariable })).flatMap((s) => s.Action);

    expect(actions.filter((action) => /^(cloudtrail|ecs|elasticloadbalancing):/.test(action))).toEqual([]);
  });
});
