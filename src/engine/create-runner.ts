import type { Config } from '../config.js';
import { readSecrets } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { ReportJson } from '../core/report.js';
import type { CustomerDraft, DraftTone, Evidence, InvestigationCommand, TimeFormatter } from '../core/types.js';
import { buildTemplateDraft } from '../draft/template-draft.js';
import type { OpenAiDraftDeps } from '../draft/openai-draft.js';
import { type CommandDefaults, parseCommandText, USAGE } from '../grammar/parse-command.js';
import { createTimeFormatter } from '../grammar/time-formatter.js';
import { resolveZone } from '../grammar/zones.js';
import { buildReport } from '../report/build-report.js';
import { parseUtcOffsetMinutes } from '../core/utc-offset.js';
import { gatherFileEvidence } from '../sources/log-files/gather-file-evidence.js';
import { judgeEvidence } from '../verdict/judge-evidence.js';
import { chooseSource, type SourceFlags } from './choose-source.js';
import type { CloudWatchDeps } from '../sources/cloudwatch/gather-cloudwatch-evidence.js';
import type { InvestigationResult, InvestigationRunner, RunOptions } from './investigation-runner.js';

export interface RunnerOptions {
  config: Config;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** CLI flags that choose the evidence source (terminal only; Slack uses the config). */
  sourceFlags?: SourceFlags;
  warn?: (message: string) => void;
  progress?: (message: string) => void;
  /** The zone HAProxy wrote its dates in (--proxy-log-utc-offset), overriding files.proxyLogUtcOffset. */
  proxyLogUtcOffset?: string;
  /** CloudWatch clients to use instead of building the real ones (tests, the bench). */
  cloudWatchDeps?: CloudWatchDeps;
}

/** Wires the pure engine to its edges: evidence sources, the verdict, the report and the draft. */
export function createInvestigationRunner(options: RunnerOptions): InvestigationRunner {
  const { config, env, clock } = options;
  const secrets = readSecrets(env);
  // The OpenAI SDK is loaded only when a key is set: without one the draft is the template's.
  let openai: OpenAiDraftDeps | null = null;
  const draftFor = async (report: ReportJson, fmt: TimeFormatter, tone: DraftTone): Promise<CustomerDraft> => {
    if (!secrets.openaiApiKey) return { text: buildTemplateDraft(report, fmt, { tone }), generator: 'template' };
    const { createDraft, createOpenAiClient } = await import('../draft/openai-draft.js');
    openai ??= { client: createOpenAiClient(env)!, model: config.openai.model, timeoutMs: config.openai.timeoutSeconds * 1000 };
    return createDraft(report, fmt, { tone, openai });
  };
  const defaults = (now: Date) => commandDefaults(config, now);

  // Built on first use and reused: one set of clients per process (per Lambda container).
  let cloudWatch: CloudWatchDeps | null = options.cloudWatchDeps ?? null;
  const gather = async (command: InvestigationCommand): Promise<Evidence> => {
    const source = chooseSource(config, options.sourceFlags ?? {});
    const indexConfig = config.indexes[command.index] ?? {};
    const selector = { index: command.index, targetGroup: indexConfig.targetGroup, match: indexConfig.match };
    if (source.kind === 'files')
      return gatherFileEvidence(
        {
          command,
          selector,
          albPaths: source.albLogs,
          proxyPaths: source.proxyLogs,
          slowRequestSeconds: config.slowRequestSeconds,
          idleTimeoutSeconds: config.idleTimeoutSeconds,
          proxyUtcOffsetMinutes: parseUtcOffsetMinutes(options.proxyLogUtcOffset ?? config.files?.proxyLogUtcOffset ?? '+00:00'),
          tenantNames: tenantNamesFrom(config),
        },
        { warn: options.warn ?? (() => {}), ...(options.progress ? { progress: options.progress } : {}) },
      );
    // The AWS SDK is loaded only in CloudWatch mode: files mode and the demo start faster without it.
    const { cloudWatchDepsFor, gatherCloudWatchEvidenceFor } = await import('./gather-cloudwatch.js');
    cloudWatch ??= cloudWatchDepsFor(source.aws, clock);
    return gatherCloudWatchEvidenceFor({ command, selector, config, aws: source.aws, deps: cloudWatch });
  };

  return {
    usage: USAGE,
    parse: (text, now) => parseCommandText(text, defaults(now)),
    async run(command: InvestigationCommand, runOptions: RunOptions = {}): Promise<InvestigationResult> {
      const formatter = createTimeFormatter(command.asked.zone, { referenceInstant: command.asked.at });
      const evidence = await gather(command);
      const findings = judgeEvidence(evidence, formatter);
      const report = buildReport(command, evidence, findings);
      const noDraft = runOptions.noDraft ?? command.noDraft;
      if (!noDraft) {
        const draft = await draftFor(report, formatter, runOptions.draftTone ?? 'neutral');
        report.draft = { text: draft.text, generator: draft.generator, ...(draft.note ? { note: draft.note } : {}) };
      }
      return { command, report, formatter };
    },
    redraft(report: ReportJson, tone: DraftTone): Promise<CustomerDraft> {
      const formatter = createTimeFormatter(resolveZone(report.asked.zone), { referenceInstant: new Date(report.at) });
      return draftFor(report, formatter, tone);
    },
  };
}

/** Index names by target group, so a neighbour in a reason is "prod_007_video", not an ARN. */
function tenantNamesFrom(config: Config): Record<string, string> {
  return Object.fromEntries(Object.entries(config.indexes).flatMap(([name, index]) => (index.targetGroup ? [[index.targetGroup, name]] : [])));
}

/** The grammar's defaults from the config: zone, window, and the known indexes (when any are configured). */
export function commandDefaults(config: Config, now: Date): CommandDefaults {
  const knownIndexes = Object.keys(config.indexes);
  return {
    now,
    ...(config.timezone ? { defaultZone: config.timezone } : {}),
    defaultWindow: config.window,
    ...(knownIndexes.length > 0 ? { knownIndexes } : {}),
  };
}

