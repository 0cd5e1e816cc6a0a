/**
 * Runs each view's provider as the plan says — the network ones (Athena, CloudWatch) at once,
 * while log files are read — and combines the views in one pure step.
 */
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Evidence, InvestigationCommand, SourceStatus } from '../core/types.js';
import { combineViews } from '../evidence/combine-views.js';
import type { IndexSelector } from '../evidence/index-matcher.js';
import {
  type AbsentView,
  type AccessLogView,
  absentView,
  type EdgeView,
  isPresent,
  type MetricsView,
  type ProxyView,
} from '../evidence/views.js';
import { MalformedLineReporter } from '../files/malformed-reporter.js';
import type { AthenaApi } from '../sources/athena/athena-api.js';
import type { CloudWatchDeps, CloudWatchViews } from '../sources/cloudwatch/gather-cloudwatch-evidence.js';
import {
  ALB_FILES_SOURCE,
  accessLogReference,
  type FileEvidenceInput,
  PROXY_FILES_SOURCE,
  readAccessLogFiles,
  readProxyLogFiles,
} from '../sources/log-files/gather-file-evidence.js';
import { readEdgeLogs } from '../sources/stack-logs/read-edge-logs.js';
import { readGcpLbLogs } from '../sources/stack-logs/read-gcp-lb-logs.js';
import type { EvidencePlan } from './evidence-plan.js';

export interface GatherInput {
  command: InvestigationCommand;
  plan: EvidencePlan;
  config: Config;
  selector: IndexSelector;
  /** The zone HAProxy wrote its dates in (minutes east of UTC). */
  proxyUtcOffsetMinutes: number;
}

export interface GatherDeps {
  clock: Clock;
  warn: (message: string) => void;
  progress?: (message: string) => void;
  signal?: AbortSignal;
  /** Built on first use: files-only investigations never load an AWS SDK. */
  cloudWatch: () => Promise<CloudWatchDeps>;
  athena: () => Promise<AthenaApi>;
}

export async function gatherEvidence(input: GatherInput, deps: GatherDeps): Promise<Evidence> {
  const { plan, config, command } = input;
  const cloudWatchViews = plan.metrics || plan.proxy?.provider === 'logsInsights' ? startCloudWatch(input, deps) : null;
  const athenaView = plan.accessLogs?.provider === 'athena' ? startAthena(input, deps) : null;
  const edgeAthena = plan.edge?.provider === 'athena' ? startEdgeAthena(input, deps) : null;

  const files = fileInput(input);
  const malformed = new MalformedLineReporter(deps.warn);
  const fileDeps = {
    warn: deps.warn,
    ...(deps.progress ? { progress: deps.progress } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
  const edge = edgeAthena
    ? await edgeAthena
    : plan.edge?.provider === 'files'
      ? await readEdgeLogs(
          { paths: plan.edge.paths, window: command.window, selector: input.selector },
          fileDeps,
          malformed,
        )
      : undefined;
  const accessLogs: AccessLogView | AbsentView =
    plan.accessLogs?.provider === 'files'
      ? await readAccessLogFiles({ ...files, albPaths: plan.accessLogs.paths }, fileDeps, malformed)
      : plan.accessLogs?.provider === 'gcp-files'
        ? await readGcpLbLogs(
            {
              paths: plan.accessLogs.paths,
              window: command.window,
              selector: input.selector,
              slowRequestSeconds: config.slowRequestSeconds,
            },
            fileDeps,
            malformed,
          )
        : athenaView
          ? await athenaView
          : absentAccessLogs(plan);
  const network = cloudWatchViews ? await cloudWatchViews : null;
  const reference = isPresent(accessLogs) ? accessLogReference(accessLogs) : null;
  const proxy: ProxyView | AbsentView =
    plan.proxy?.provider === 'files'
      ? await readProxyLogFiles({ ...files, proxyPaths: plan.proxy.paths }, fileDeps, malformed, reference)
      : (network?.proxy ?? absentProxy(plan));
  malformed.finish();
  const metrics: MetricsView | AbsentView =
    network?.metrics ?? absentView('no ALB metrics: the config has no aws: section (or files mode was chosen)');
  return combineViews(
    { accessLogs, proxy, metrics, ...(edge ? { edge } : {}) },
    {
      command,
      idleTimeoutSeconds: config.idleTimeoutSeconds,
      slowRequestSeconds: config.slowRequestSeconds,
      indexTargetGroup: input.selector.targetGroup,
      tenantNames: tenantNamesFrom(config),
    },
  );
}

async function startCloudWatch(input: GatherInput, deps: GatherDeps): Promise<CloudWatchViews> {
  const [{ gatherCloudWatchViews }, cloudWatch] = await Promise.all([
    import('../sources/cloudwatch/gather-cloudwatch-evidence.js'),
    deps.cloudWatch(),
  ]);
  return gatherCloudWatchViews(
    {
      command: input.command,
      index: input.selector,
      aws: input.plan.aws!,
      slowRequestSeconds: input.config.slowRequestSeconds,
    },
    cloudWatch,
    { metrics: input.plan.metrics !== null, proxy: input.plan.proxy?.provider === 'logsInsights' },
  );
}

async function startEdgeAthena(input: GatherInput, deps: GatherDeps): Promise<EdgeView | AbsentView> {
  const plan = input.plan.edge;
  if (plan?.provider !== 'athena') throw new Error('startEdgeAthena without an Athena plan');
  const [{ queryEdgeView }, athena] = await Promise.all([
    import('../sources/athena/query-edge-view.js'),
    deps.athena(),
  ]);
  return queryEdgeView(
    { window: input.command.window, selector: input.selector, athena: plan.athena },
    { athena, clock: deps.clock, ...(deps.signal ? { signal: deps.signal } : {}) },
  );
}

async function startAthena(input: GatherInput, deps: GatherDeps): Promise<AccessLogView | AbsentView> {
  const plan = input.plan.accessLogs;
  if (plan?.provider !== 'athena') throw new Error('startAthena without an Athena plan');
  const [{ queryAccessLogView }, { athenaAccessLogView }, athena] = await Promise.all([
    import('../sources/athena/query-access-log-view.js'),
    import('../sources/athena/athena-access-log-view.js'),
    deps.athena(),
  ]);
  const result = await queryAccessLogView(
    {
      window: input.command.window,
      askedAt: input.command.asked.at,
      selector: input.selector,
      slowRequestSeconds: input.config.slowRequestSeconds,
      athena: plan.athena,
      loadBalancer: input.plan.aws?.loadBalancer,
    },
    { athena, clock: deps.clock, ...(deps.signal ? { signal: deps.signal } : {}) },
  );
  return athenaAccessLogView(result, input.command.window);
}

function fileInput(input: GatherInput): FileEvidenceInput {
  return {
    command: input.command,
    selector: input.selector,
    albPaths: [],
    proxyPaths: [],
    slowRequestSeconds: input.config.slowRequestSeconds,
    idleTimeoutSeconds: input.config.idleTimeoutSeconds,
    proxyUtcOffsetMinutes: input.proxyUtcOffsetMinutes,
    tenantNames: tenantNamesFrom(input.config),
  };
}

/** A view nobody provided: in a files-only investigation it is listed as not given, with the flag that gives it. */
function absentAccessLogs(plan: EvidencePlan): AbsentView {
  if (plan.aws) return absentView('no ALB access logs: give --alb-logs, or configure aws.athena to read them from S3');
  return absentView('no ALB access logs given (--alb-logs)', [notGiven(ALB_FILES_SOURCE, '--alb-logs')]);
}

function absentProxy(plan: EvidencePlan): AbsentView {
  if (plan.aws) return absentView('no proxy logs: give --proxy-logs, or list aws.proxyLogGroups for Logs Insights');
  return absentView('no proxy logs given (--proxy-logs)', [notGiven(PROXY_FILES_SOURCE, '--proxy-logs')]);
}

function notGiven(name: string, flag: string): SourceStatus {
  return { name, status: 'not_configured', detail: `not given (${flag})` };
}

/** Index names by target group, so a neighbour in a reason is "prod_007_video", not an ARN. */
export function tenantNamesFrom(config: Config): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.indexes).flatMap(([name, index]) => (index.targetGroup ? [[index.targetGroup, name]] : [])),
  );
}
