import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { CONTRACT_SIGNAL_NAMES, type Evidence, type InvestigationCommand, type SignalMap } from '../core/types.js';
import type { IndexSelector } from '../evidence/index-matcher.js';
import { unavailableSeries } from '../evidence/signal-series.js';
import { type CloudWatchDeps, createCloudWatchDeps, gatherCloudWatchEvidence } from '../sources/cloudwatch/gather-cloudwatch-evidence.js';

export interface CloudWatchGatherInput {
  command: InvestigationCommand;
  selector: IndexSelector;
  config: Config;
  aws: NonNullable<Config['aws']>;
  /** Clients built once per process (and per Lambda container) and reused. */
  deps: CloudWatchDeps;
}

const NOT_FROM_CLOUDWATCH: Partial<Record<(typeof CONTRACT_SIGNAL_NAMES)[number], string>> = {
  elb_502_index: 'no per-target-group ELB 502 metric exists (HTTPCode_ELB_502_Count is per load balancer); see target_connection_errors',
};

/** Evidence from CloudWatch: Logs Insights over the proxy log groups and GetMetricData over the ALB. */
export async function gatherCloudWatchEvidenceFor(input: CloudWatchGatherInput): Promise<Evidence> {
  const { command, config } = input;
  const gathered = await gatherCloudWatchEvidence(
    { command, index: input.selector, aws: input.aws, slowRequestSeconds: config.slowRequestSeconds },
    input.deps,
  );
  const signals = { ...gathered.signals } as Partial<SignalMap>;
  for (const name of CONTRACT_SIGNAL_NAMES) {
    if (!signals[name]) signals[name] = unavailableSeries(name === 'elb_502' || name === 'elb_503' || name === 'elb_504' ? 'loadBalancer' : 'index', NOT_FROM_CLOUDWATCH[name] ?? 'not measured by CloudWatch in this configuration');
  }
  return {
    index: command.index,
    at: command.asked.at,
    window: command.window,
    signals: signals as SignalMap,
    sources: gathered.sources,
    context: {
      idleTimeoutSeconds: config.idleTimeoutSeconds,
      slowRequestSeconds: config.slowRequestSeconds,
      elb502TargetGroups: null,
      targetGroupsSeen: null,
      ...(gathered.context.metricPeriodSeconds ? { metricPeriodSeconds: gathered.context.metricPeriodSeconds } : {}),
    },
  };
}

/** The real CloudWatch clients with the engine's clock (so a pinned "now" is honoured). */
export function cloudWatchDepsFor(aws: Config['aws'], clock: Clock): CloudWatchDeps {
  return { ...createCloudWatchDeps(aws), clock };
}
