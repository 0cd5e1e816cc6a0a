/**
 * Where a pattern window can be read: only the AWS providers read 14 days by the hour (files
 * mode reads lines into per-minute buckets of one window). The engine checks this where it plans
 * the sources, before anything is read, and hands the plan's AWS parts to gatherPatterns.
 */
import type { InvestigationCommand } from '../core/types.js';
import type { EvidencePlan } from '../engine/evidence-plan.js';
import { UsageError } from '../errors.js';
import type { PatternSources } from './gather-patterns.js';

type PlanViews = Pick<EvidencePlan, 'metrics' | 'proxy' | 'accessLogs'>;

/** Throws UsageError when the command has a pattern window and no view of the plan is read from AWS. */
export function assertPatternWindowSupported(
  plan: PlanViews,
  command: Pick<InvestigationCommand, 'patternWindow'>,
): void {
  if (!command.patternWindow) return;
  const sources = patternSourcesFrom(plan);
  if (sources.cloudWatchMetrics || sources.athena || sources.proxyLogGroups.length > 0) return;
  throw new UsageError(
    'Patterns over days need CloudWatch or Athena (aws: in the config); in files mode --window is at most 24h.',
    'Give --window 24h or less with log files, or add an aws: section (loadBalancer, athena or proxyLogGroups) to why502.yml and run without --alb-logs/--proxy-logs.',
  );
}

/** The plan's views that can be read by the hour. */
export function patternSourcesFrom(plan: PlanViews): PatternSources {
  return {
    cloudWatchMetrics: plan.metrics !== null,
    proxyLogGroups: plan.proxy?.provider === 'logsInsights' ? plan.proxy.logGroups : [],
    proxyLogFormats: plan.proxy?.provider === 'logsInsights' ? plan.proxy.formats : undefined,
    athena: plan.accessLogs?.provider === 'athena' ? plan.accessLogs.athena : null,
  };
}
