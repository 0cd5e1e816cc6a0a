import type { Config } from '../config.js';
import { UsageError } from '../errors.js';

export type EvidenceSource =
  | { kind: 'files'; albLogs: string[]; proxyLogs: string[] }
  | { kind: 'cloudwatch'; aws: NonNullable<Config['aws']> };

export interface SourceFlags {
  source?: 'cloudwatch' | 'files';
  albLogs?: string[];
  proxyLogs?: string[];
}

/**
 * CONTRACT §6: --alb-logs / --proxy-logs select files mode; without them the source is
 * CloudWatch when the config has an aws: section; with neither, a clear error. The config's
 * `source:` and the CLI's --source choose explicitly.
 */
export function chooseSource(config: Config, flags: SourceFlags): EvidenceSource {
  const albLogs = flags.albLogs ?? [];
  const proxyLogs = flags.proxyLogs ?? [];
  const explicit = flags.source ?? (albLogs.length + proxyLogs.length > 0 ? 'files' : config.source);
  if (explicit === 'files' || (!explicit && albLogs.length + proxyLogs.length > 0)) {
    const files = albLogs.length + proxyLogs.length > 0 ? { albLogs, proxyLogs } : { albLogs: config.files?.albLogs ?? [], proxyLogs: config.files?.proxyLogs ?? [] };
    if (files.albLogs.length + files.proxyLogs.length === 0)
      throw new UsageError('Files mode needs log files, and none were given.', 'Pass --alb-logs <path> and/or --proxy-logs <path>, or list them under files: in why502.yml.');
    return { kind: 'files', ...files };
  }
  if (explicit === 'cloudwatch' || config.aws) {
    if (!config.aws)
      throw new UsageError('CloudWatch mode needs an aws: section in the config.', 'Add aws: { region, loadBalancer, proxyLogGroups } to why502.yml, or pass --alb-logs / --proxy-logs.');
    return { kind: 'cloudwatch', aws: config.aws };
  }
  if (config.files && config.files.albLogs.length + config.files.proxyLogs.length > 0)
    return { kind: 'files', albLogs: config.files.albLogs, proxyLogs: config.files.proxyLogs };
  throw new UsageError(
    'No evidence source: no log files were given and the config has no aws: section.',
    'Pass --alb-logs <path> and/or --proxy-logs <path> (files or directories, plain or .gz), or add an aws: section to why502.yml. Try "npx why502 demo" to see it work.',
  );
}
