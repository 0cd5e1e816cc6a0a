import type { ChangesConfig } from '../changes/changes-config.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import type { AthenaConfig } from '../sources/athena/athena-config.js';
import type { ProxyLogFormats } from '../sources/cloudwatch/proxy-log-formats.js';

/** Which provider fills each view of an investigation (src/evidence/views.ts). */
export interface EvidencePlan {
  accessLogs:
    | { provider: 'files'; paths: string[] }
    | { provider: 'gcp-files'; paths: string[] }
    | { provider: 'athena'; athena: AthenaConfig }
    | null;
  /** CloudFront or Cloudflare logs in front of the load balancer (CONTRACT §11). */
  edge: { provider: 'files'; paths: string[] } | { provider: 'athena'; athena: AthenaConfig } | null;
  proxy:
    | { provider: 'files'; paths: string[] }
    | { provider: 'logsInsights'; logGroups: string[]; formats?: ProxyLogFormats | undefined }
    | null;
  metrics: { provider: 'cloudwatch' } | null;
  /** What changed around the errors (issue 13): exported files, or the AWS APIs of aws.changes. */
  changes: { provider: 'files'; paths: string[] } | { provider: 'aws'; config: ChangesConfig } | null;
  /** The aws: section, when any view's provider is an AWS service. */
  aws: NonNullable<Config['aws']> | null;
}

import type { EvidenceSourceChoice } from '../core/types.js';

export type { EvidenceSourceChoice };

export interface SourceFlags {
  /** --source: files for every view, or the AWS services for every view. */
  source?: EvidenceSourceChoice;
  albLogs?: string[];
  proxyLogs?: string[];
  /** --edge-logs: CloudFront standard logs or Cloudflare Logpush http_requests. */
  edgeLogs?: string[];
  /** --gcp-lb-logs: a Google Cloud load balancer's request logs, in place of the ALB's. */
  gcpLbLogs?: string[];
  /** --events: kubectl, CloudTrail and ECS exports (docs/causes.md). */
  events?: string[];
}

/**
 * THE rule for which provider fills which view, written once (CONTRACT §5, §6):
 * - `--alb-logs` / `--proxy-logs` select files for their own view only;
 * - otherwise `--source` (or the config's `source:`) picks files or AWS for every view;
 * - otherwise each view takes what the config has: Athena (aws.athena) or files.albLogs for the
 *   access logs, Logs Insights (aws.proxyLogGroups) or files.proxyLogs for the proxy, and
 *   CloudWatch metrics whenever there is an aws: section.
 * With nothing at all, a clear error saying how to give something.
 */
export function planEvidence(config: Config, flags: SourceFlags = {}): EvidencePlan {
  const albLogs = flags.albLogs ?? [];
  const proxyLogs = flags.proxyLogs ?? [];
  const gcpLbLogs = flags.gcpLbLogs ?? [];
  const edgeLogs = flags.edgeLogs ?? [];
  const events = flags.events ?? [];
  const choice = flags.source ?? config.source;
  const aws = config.aws ?? null;
  if (choice === 'cloudwatch' && !aws) {
    throw new UsageError(
      'CloudWatch mode needs an aws: section in the config.',
      'Add aws: { region, loadBalancer, proxyLogGroups } to why502.yml, or pass --alb-logs / --proxy-logs.',
    );
  }
  const useAws = choice !== 'files' && aws !== null;
  const useConfigFiles = choice !== 'cloudwatch';
  const plan: EvidencePlan = {
    accessLogs:
      albLogs.length > 0
        ? { provider: 'files', paths: albLogs }
        : gcpLbLogs.length > 0
          ? { provider: 'gcp-files', paths: gcpLbLogs }
          : useAws && aws?.athena
            ? { provider: 'athena', athena: aws.athena }
            : useConfigFiles && (config.files?.albLogs.length ?? 0) > 0
              ? { provider: 'files', paths: config.files!.albLogs }
              : null,
    proxy:
      proxyLogs.length > 0
        ? { provider: 'files', paths: proxyLogs }
        : useAws && (aws?.proxyLogGroups.length ?? 0) > 0
          ? { provider: 'logsInsights', logGroups: aws!.proxyLogGroups, formats: aws!.proxyLogFormats }
          : useConfigFiles && (config.files?.proxyLogs.length ?? 0) > 0
            ? { provider: 'files', paths: config.files!.proxyLogs }
            : null,
    edge:
      edgeLogs.length > 0
        ? { provider: 'files', paths: edgeLogs }
        : useConfigFiles && (config.files?.edgeLogs?.length ?? 0) > 0
          ? { provider: 'files', paths: config.files!.edgeLogs! }
          : useAws && aws?.athena?.edgeTable
            ? { provider: 'athena', athena: aws.athena }
            : null,
    metrics: useAws ? { provider: 'cloudwatch' } : null,
    // Exported files win, as for the views: a team that gives --events means those.
    changes:
      events.length > 0
        ? { provider: 'files', paths: events }
        : useAws && aws?.changes
          ? { provider: 'aws', config: aws.changes }
          : useConfigFiles && (config.files?.events?.length ?? 0) > 0
            ? { provider: 'files', paths: config.files!.events! }
            : null,
    aws: useAws ? aws : null,
  };
  if (!plan.accessLogs && !plan.proxy && !plan.metrics) throw nothingToRead(choice);
  return plan;
}

function nothingToRead(choice: EvidenceSourceChoice | undefined): UsageError {
  if (choice === 'files') {
    return new UsageError(
      'Files mode needs log files, and none were given.',
      'Pass --alb-logs <path> and/or --proxy-logs <path>, or list them under files: in why502.yml.',
    );
  }
  return new UsageError(
    'No evidence source: no log files were given and the config has no aws: section.',
    'Pass --alb-logs <path> and/or --proxy-logs <path> (files or directories, plain or .gz), or add an aws: section to why502.yml. Try "npx why502 demo" to see it work.',
  );
}

/** "files (ALB access logs), Logs Insights (proxy), CloudWatch metrics": for the serve banner and errors. */
export function describePlan(plan: EvidencePlan): string {
  const parts = [
    plan.accessLogs
      ? plan.accessLogs.provider === 'gcp-files'
        ? 'Google Cloud load balancer logs from files'
        : `ALB access logs from ${plan.accessLogs.provider === 'files' ? 'files' : 'Athena'}`
      : null,
    plan.edge ? `edge logs from ${plan.edge.provider === 'files' ? 'files' : 'Athena'}` : null,
    plan.metrics ? 'ALB metrics from CloudWatch' : null,
    plan.proxy ? `proxy logs from ${plan.proxy.provider === 'files' ? 'files' : 'Logs Insights'}` : null,
    plan.changes
      ? `what changed from ${plan.changes.provider === 'files' ? 'exported files' : 'CloudTrail, ECS and ELB'}`
      : null,
  ];
  return parts.filter(Boolean).join(', ');
}
