import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Evidence, InvestigationCommand } from '../core/types.js';
import type { IndexSelector } from '../evidence/index-matcher.js';
import { SourceError } from '../errors.js';

export interface CloudWatchGatherInput {
  command: InvestigationCommand;
  selector: IndexSelector;
  config: Config;
  aws: NonNullable<Config['aws']>;
  clock: Clock;
  signal?: AbortSignal;
}

/** CloudWatch evidence (Logs Insights + GetMetricData); wired in with issue 3. */
export async function gatherCloudWatchEvidenceFor(input: CloudWatchGatherInput): Promise<Evidence> {
  void input;
  throw new SourceError('CloudWatch mode is not available yet.', 'Use files mode: --alb-logs / --proxy-logs.');
}
