/** What every Slack job needs, and the few ways a job talks back to people when things fail. */

import type { FollowUpDeps } from '../ask/answer-follow-up.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { InvestigationRunner } from '../engine/investigation-runner.js';
import { describeError, Why502Error } from '../errors.js';
import { truncateText } from '../render/slack/block-kit.js';
import type { TableStyle } from '../render/slack/verdict-message.js';
import type { StateStore } from '../state/state-store.js';
import { type AppLogger, errorFields } from './app-logger.js';
import type { JobDispatcher, SlackOrigin } from './slack-jobs.js';
import type { PostedMessage, SlackWeb } from './slack-web.js';
import type { ChartImageRenderer } from './thread-chart.js';
import type { ThreadEvidenceStore } from './thread-evidence-store.js';

export interface JobDeps {
  runner: InvestigationRunner;
  web: SlackWeb;
  config: Config;
  clock: Clock;
  logger: AppLogger;
  /** Each verdict thread's report, for follow-ups and Redraft on any instance (thread-evidence-store.ts). */
  evidence: ThreadEvidenceStore;
  /** For follow-up questions: the model for free text (none: "I can answer: …") and the verdict settings; built on first use. */
  followUps?: () => Promise<FollowUpDeps>;
  tableStyle: TableStyle;
  /** What must outlive this process: jobs taken, posts waiting for Slack, where each summary is. */
  state: StateStore;
  /**
   * Where a delivery retry goes when this invocation cannot wait for it (the Lambda worker
   * invokes itself); absent, retries wait in this process.
   */
  continuation?: JobDispatcher;
  /** Draws the chart PNG shared in the thread after the verdict; absent, no image is shared. */
  chartImage?: ChartImageRenderer;
}

/** The time one job may take here. */
export interface JobBudget {
  /** For the investigation or redraft itself. */
  timeoutMs: number;
  /** When this invocation must be done (a Lambda worker's timeout, less a reserve); none in a server. */
  deadline?: Date;
  /** Aborted when the server shuts down: waits for Slack end early. */
  signal?: AbortSignal;
}

/** `deferred`: part of the work waits for Slack in the state store and another invocation will finish it. */
export type JobOutcome = 'done' | 'failed' | 'duplicate' | 'rejected' | 'deferred';

/** Ephemeral to the person who asked; logged when even that fails. Never throws. */
export async function tellUser(deps: JobDeps, origin: SlackOrigin, text: string): Promise<boolean> {
  if (!origin.responseUrl) {
    deps.logger.warn('No response_url to tell the user', { channel: origin.channelId, user: origin.userId, text });
    return false;
  }
  try {
    await deps.web.respond(origin.responseUrl, { text });
    return true;
  } catch (error) {
    deps.logger.error('Could not answer through response_url', {
      ...errorFields(error),
      channel: origin.channelId,
      text,
    });
    return false;
  }
}

/** A plain message in the thread; false when Slack refused it. Never throws. */
export async function postPlainInThread(deps: JobDeps, parent: PostedMessage, text: string): Promise<boolean> {
  try {
    await deps.web.post(parent.channel, { text, blocks: [] }, { threadTs: parent.ts });
    return true;
  } catch (error) {
    deps.logger.error('Could not post in the thread', {
      ...errorFields(error),
      channel: parent.channel,
      threadTs: parent.ts,
    });
    return false;
  }
}

/**
 * What failed, for the thread. Our own errors say what to do; anything else is named (type and
 * first line) so the on-call engineer has something to search the logs for.
 */
export function describeJobFailure(error: unknown): string {
  if (error instanceof Why502Error) return describeError(error);
  const detail = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
  return `${describeError(error)} (${truncateText(detail, 200)})`;
}
