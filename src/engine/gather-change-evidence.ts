/**
 * The "what changed" edge of an investigation (issue 13): exported files given with --events,
 * or the AWS APIs of aws.changes, as the plan says. Started with the evidence and awaited after
 * the verdict, so it never delays the views. Never throws: an events file of an unknown shape
 * or a failed API becomes a failed source with its reason, and the verdict stands without it.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChangeApis } from '../changes/aws/change-apis.js';
import { type ChangeEvidence, emptyChangeEvidence, mergeChangeEvidence } from '../changes/change-event.js';
import type { ChangeScope } from '../changes/change-scope.js';
import { defaultChangesConfig } from '../changes/changes-config.js';
import { readEventsFile } from '../changes/files/read-events-file.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { InvestigationCommand } from '../core/types.js';
import { describeError } from '../errors.js';
import { printableText } from '../files/printable-text.js';
import type { EvidencePlan } from './evidence-plan.js';

export const EVENTS_FILES_SOURCE = 'events files';

export interface ChangeGatherDeps {
  clock: Clock;
  warn: (message: string) => void;
  signal?: AbortSignal;
  /** Built on first use: investigations without aws.changes never load those SDKs. */
  changeApis: () => Promise<ChangeApis>;
}

export async function gatherChangeEvidence(
  plan: EvidencePlan['changes'],
  command: InvestigationCommand,
  config: Config,
  deps: ChangeGatherDeps,
): Promise<ChangeEvidence | null> {
  if (!plan) return null;
  const changesConfig = plan.provider === 'aws' ? plan.config : (config.aws?.changes ?? defaultChangesConfig());
  const scope = changeScope(command, config);
  if (plan.provider === 'files') {
    const parts: ChangeEvidence[] = [];
    for (const file of await expandDirectories(plan.paths))
      parts.push(
        await readOneEventsFile(
          file,
          { window: command.window, marginMinutes: changesConfig.marginMinutes, scope },
          deps.warn,
        ),
      );
    return mergeChangeEvidence(parts);
  }
  const [{ gatherChanges }, apis] = await Promise.all([import('../changes/gather-changes.js'), deps.changeApis()]);
  return gatherChanges(
    {
      window: command.window,
      now: deps.clock.now(),
      loadBalancer: config.aws?.loadBalancer,
      targetGroups: scope.targetGroups,
      config: changesConfig,
    },
    { apis, clock: deps.clock, ...(deps.signal ? { signal: deps.signal } : {}) },
  );
}

/** The index's target group when configured, else every configured one: the objects whose changes matter. */
function changeScope(command: InvestigationCommand, config: Config): ChangeScope {
  const own = config.indexes[command.index]?.targetGroup;
  const all = Object.values(config.indexes).flatMap((index) => (index.targetGroup ? [index.targetGroup] : []));
  const changes = config.aws?.changes;
  return {
    loadBalancer: config.aws?.loadBalancer,
    targetGroups: own ? [own] : all,
    ecsCluster: changes?.ecsCluster,
    ecsServices: changes?.ecsServices ?? [],
    autoScalingGroups: changes?.autoScalingGroups ?? [],
  };
}

/** A directory given to --events stands for the files in it (not its subdirectories), in name order. */
async function expandDirectories(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => null);
    if (!info?.isDirectory()) {
      files.push(given);
      continue;
    }
    const entries = await readdir(given, { withFileTypes: true });
    files.push(
      ...entries
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .map((entry) => path.join(given, entry.name))
        .sort(),
    );
  }
  return files;
}

/** One file: its changes, or a failed source naming the file and why (the other files still count). */
async function readOneEventsFile(
  file: string,
  options: Parameters<typeof readEventsFile>[1],
  warn: (message: string) => void,
): Promise<ChangeEvidence> {
  try {
    return await readEventsFile(file, options);
  } catch (error) {
    const detail = describeError(error);
    warn(`why502: ${detail}`);
    return {
      ...emptyChangeEvidence(),
      sources: [{ name: `${EVENTS_FILES_SOURCE} (${printableText(file)})`, status: 'failed', detail }],
    };
  }
}
