import type { ChangeApis } from '../changes/aws/change-apis.js';
import { attachCauses, type CausedFindings } from '../changes/causes/attach-causes.js';
import type { ChangeEvidence } from '../changes/change-event.js';
import type { Config } from '../config.js';
import { readSecrets } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { ReportJson } from '../core/report.js';
import type { CustomerDraft, DraftTone, InvestigationCommand, TimeFormatter, VerdictKind } from '../core/types.js';
import { parseUtcOffsetMinutes } from '../core/utc-offset.js';
import type { OpenAiDraftDeps } from '../draft/openai-draft.js';
import { buildCustomerDraft } from '../draft/template-draft.js';
import { whyNoDraft } from '../draft/why-no-draft.js';
import { formatterForCommand, formatterOfReport } from '../grammar/formatters.js';
import { type CommandDefaults, parseCommandText, USAGE } from '../grammar/parse-command.js';
import { gatherPatterns } from '../patterns/gather-patterns.js';
import { assertPatternWindowSupported, patternSourcesFrom } from '../patterns/pattern-window-plan.js';
import { patternsJson } from '../patterns/patterns-json.js';
import { buildReport } from '../report/build-report.js';
import type { AthenaApi } from '../sources/athena/athena-api.js';
import type { CloudWatchDeps } from '../sources/cloudwatch/gather-cloudwatch-evidence.js';
import { judgeEvidence } from '../verdict/judge-evidence.js';
import type { EvidencePlan } from './evidence-plan.js';
import { planEvidence, type SourceFlags } from './evidence-plan.js';
import { gatherChangeEvidence } from './gather-change-evidence.js';
import { gatherEvidence } from './gather-evidence.js';
import type { InvestigationResult, InvestigationRunner, RunOptions } from './investigation-runner.js';

export interface RunnerOptions {
  config: Config;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** CLI flags that choose each view's provider (terminal only; Slack uses the config). */
  sourceFlags?: SourceFlags;
  warn?: (message: string) => void;
  progress?: (message: string) => void;
  /** The zone HAProxy wrote its dates in (--proxy-log-utc-offset), overriding files.proxyLogUtcOffset. */
  proxyLogUtcOffset?: string;
  /** CloudWatch clients to use instead of building the real ones (tests, the bench). */
  cloudWatchDeps?: CloudWatchDeps;
  /** The Athena seam to use instead of the real client (tests, the bench). */
  athenaApi?: AthenaApi;
  /** The change sources' clients to use instead of the real ones (tests). */
  changeApis?: ChangeApis;
}

/** Wires the pure engine to its edges: evidence providers, the verdict, the report and the draft. */
export function createInvestigationRunner(options: RunnerOptions): InvestigationRunner {
  const { config, env, clock } = options;
  const secrets = readSecrets(env);
  // The OpenAI SDK is loaded only when a key is set: without one the draft is the template's.
  let openai: OpenAiDraftDeps | null = null;
  const draftFor = async (report: ReportJson, fmt: TimeFormatter, tone: DraftTone): Promise<CustomerDraft> => {
    if (!secrets.openaiApiKey) return buildCustomerDraft(report, fmt, { tone });
    const { createDraft, createOpenAiClient } = await import('../draft/openai-draft.js');
    openai ??= {
      client: createOpenAiClient(env)!,
      model: config.openai.model,
      timeoutMs: config.openai.timeoutSeconds * 1000,
    };
    return createDraft(report, fmt, { tone, openai });
  };
  const defaults = (now: Date) => commandDefaults(config, now);
  const warn = options.warn ?? (() => {});

  // Clients are built on first use and reused: one set per process (per Lambda container). The
  // AWS SDKs load only when a view needs them, so files mode and the demo start faster.
  let cloudWatch: CloudWatchDeps | null = options.cloudWatchDeps ?? null;
  let athena: AthenaApi | null = options.athenaApi ?? null;
  const lazyCloudWatch = async (): Promise<CloudWatchDeps> => {
    if (cloudWatch) return cloudWatch;
    const { createCloudWatchDeps } = await import('../sources/cloudwatch/gather-cloudwatch-evidence.js');
    cloudWatch = { ...createCloudWatchDeps(config.aws), clock };
    return cloudWatch;
  };
  let changeApis: ChangeApis | null = options.changeApis ?? null;
  const lazyChangeApis = async (): Promise<ChangeApis> => {
    if (changeApis) return changeApis;
    const { createChangeApis } = await import('../changes/aws/change-apis.js');
    changeApis = createChangeApis({ region: config.aws?.region });
    return changeApis;
  };
  const lazyAthena = async (): Promise<AthenaApi> => {
    if (athena) return athena;
    const [{ AthenaClient }, { createAthenaApi }] = await Promise.all([
      import('@aws-sdk/client-athena'),
      import('../sources/athena/athena-api.js'),
    ]);
    // One attempt per call: the provider's own retries stay inside its deadline and its notes.
    athena = createAthenaApi(
      new AthenaClient({ ...(config.aws?.region ? { region: config.aws.region } : {}), maxAttempts: 1 }),
    );
    return athena;
  };

  /** A --window over 24h: the verdict kind's hourly signal over the days up to the question (src/patterns). */
  const readPatterns = async (
    command: InvestigationCommand,
    verdictKind: VerdictKind,
    plan: EvidencePlan,
    signal: AbortSignal | undefined,
  ) => {
    const sources = patternSourcesFrom(plan);
    const cloudWatchDeps =
      sources.cloudWatchMetrics || sources.proxyLogGroups.length > 0 ? await lazyCloudWatch() : null;
    const indexConfig = config.indexes[command.index] ?? {};
    return gatherPatterns(
      {
        command,
        verdictKind,
        selector: { index: command.index, targetGroup: indexConfig.targetGroup, match: indexConfig.match },
        sources,
        loadBalancer: config.aws?.loadBalancer,
        queryTimeoutSeconds: config.aws?.queryTimeoutSeconds ?? 60,
      },
      {
        clock,
        ...(cloudWatchDeps
          ? { metrics: cloudWatchDeps.metrics, logs: cloudWatchDeps.logs, limiter: cloudWatchDeps.limiter }
          : {}),
        ...(sources.athena ? { athena: await lazyAthena() } : {}),
        ...(signal ? { signal } : {}),
      },
    );
  };

  return {
    usage: USAGE,
    parse: (text, now) => parseCommandText(text, defaults(now)),
    async run(command: InvestigationCommand, runOptions: RunOptions = {}): Promise<InvestigationResult> {
      const formatter = runOptions.formatter ?? formatterForCommand(command);
      const indexConfig = config.indexes[command.index] ?? {};
      const plan = planEvidence(config, options.sourceFlags ?? {});
      assertPatternWindowSupported(plan, command);
      // What changed is read beside the evidence and only needed once the verdict is in.
      const changes = gatherChangeEvidence(plan.changes, command, config, {
        clock,
        warn,
        changeApis: lazyChangeApis,
        ...(runOptions.signal ? { signal: runOptions.signal } : {}),
      });
      const evidence = await gatherEvidence(
        {
          command,
          plan,
          config,
          selector: { index: command.index, targetGroup: indexConfig.targetGroup, match: indexConfig.match },
          proxyUtcOffsetMinutes: parseUtcOffsetMinutes(
            options.proxyLogUtcOffset ?? config.files?.proxyLogUtcOffset ?? '+00:00',
          ),
        },
        {
          clock,
          warn,
          ...(options.progress ? { progress: options.progress } : {}),
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
          cloudWatch: lazyCloudWatch,
          athena: lazyAthena,
        },
      );
      const judged = judgeEvidence(evidence, formatter);
      const changeEvidence = await changes;
      const caused = changeEvidence ? attachCauses(judged, changeEvidence, command.window, formatter) : null;
      const report = buildReport(command, evidence, caused?.findings ?? judged);
      if (command.patternWindow) {
        const patterns = await readPatterns(command, report.verdict.kind, plan, runOptions.signal);
        report.patterns = patternsJson(patterns, formatter);
      }
      if (changeEvidence && caused) withChangeSection(report, changeEvidence, caused);
      const noDraft = runOptions.noDraft ?? command.noDraft;
      // An answer that measured nothing at the asked time has nothing to tell the customer yet.
      const nothingToTell = noDraft ? null : whyNoDraft(report);
      if (nothingToTell) warn(`why502: ${nothingToTell}`);
      if (!noDraft && !nothingToTell) {
        const draft = await draftFor(report, formatter, runOptions.draftTone ?? 'neutral');
        report.draft = { text: draft.text, generator: draft.generator, ...(draft.note ? { note: draft.note } : {}) };
      }
      return { command, report, formatter };
    },
    redraft(report: ReportJson, tone: DraftTone): Promise<CustomerDraft> {
      const formatter = formatterOfReport(report);
      return draftFor(report, formatter, tone);
    },
  };
}

/** The change sources beside the log sources, and what was seen but is not a cause. */
function withChangeSection(report: ReportJson, evidence: ChangeEvidence, caused: CausedFindings): void {
  report.sources = [...report.sources, ...evidence.sources];
  report.changes = { context: caused.context, notes: caused.notes };
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
