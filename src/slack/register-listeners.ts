/**
 * The Bolt listeners: /why502, `@why502` mentions (app_mention), the two draft actions and the
 * summary's Regenerate button. Each one decides (triage), hands the work on and answers Slack,
 * and never waits for a query. In HTTP mode Bolt sends the HTTP response as soon as ack() is
 * called (for events, before the listener runs); on Lambda the response leaves when the listener
 * returns, so there the hand-off (an async invoke, bounded in time) comes first and the
 * acknowledgement says whether the work started — no second call to Slack is needed to say so.
 */
import type { AllMiddlewareArgs, App, BlockAction, Context, SlackActionMiddlewareArgs } from '@slack/bolt';
import { escapeMrkdwn } from '../render/slack/block-kit.js';
import { ACTION_REGENERATE_SUMMARY } from '../render/slack/channel-summary-messages.js';
import { ACTION_POST_SUMMARY, ACTION_REDRAFT } from '../render/slack/draft-message.js';
import { failureNotice } from '../render/slack/notices.js';
import { type AppLogger, errorFields } from './app-logger.js';
import { describeJobFailure } from './job-context.js';
import type { JobDispatcher, SlackJob } from './slack-jobs.js';
import {
  type DraftActionRequest,
  type RetryInfo,
  readCommandRequest,
  repeatedFieldsReply,
  type TriageDeps,
  triageCommand,
  triageDraftAction,
} from './triage.js';
import { readMentionRequest, triageMention } from './triage-mention.js';

export interface ListenerDeps extends TriageDeps {
  dispatcher: JobDispatcher;
  logger: AppLogger;
  /** An ephemeral answer through a response_url the caller has checked; bounded in time. */
  respond(responseUrl: string, text: string): Promise<void>;
  /** Registers work a listener does after acknowledging, so shutdown (and tests) can wait for it. */
  track?: (work: Promise<unknown>) => void;
}

/** Matches /why502 and variants such as /why502-staging, so one manifest per stage works. */
export const COMMAND_PATTERN = /^\/why502(?:[-_][a-z0-9]+)?$/;

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(COMMAND_PATTERN, async ({ command, ack, context }) => {
    let acked = false;
    const acknowledge = (text?: string) => {
      acked = true;
      return ack(text === undefined ? undefined : { response_type: 'ephemeral', text });
    };
    const body = command as unknown as Record<string, unknown>;
    try {
      const request = readCommandRequest(body, retryInfo(context));
      if ('repeated' in request) return await acknowledge(repeatedFieldsReply(request.repeated));
      const triage = triageCommand(request, deps);
      if (triage.kind === 'reply') return await acknowledge(triage.text);
      if (triage.kind === 'ignore') {
        deps.logger.info('Ignoring a repeated /why502', { reason: triage.reason, channel: request.channelId });
        return await acknowledge();
      }
      const failure = await handOn(triage.job, deps);
      await acknowledge(failure ?? triage.ackText);
    } catch (error) {
      deps.logger.error('The /why502 listener failed', errorFields(error));
      const text = `:warning: ${escapeMrkdwn(describeJobFailure(error))}`;
      if (!acked) await ack({ response_type: 'ephemeral', text });
      else if (typeof body.response_url === 'string' && deps.isAllowedResponseUrl(body.response_url))
        await answer(deps, body.response_url, text);
    }
  });

  const onButton = async ({ ack, body, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs) => {
    await ack();
    const request = draftActionRequest(body, context);
    if (!request) return;
    const triage = triageDraftAction(request, deps);
    if (triage.kind === 'ignore') {
      deps.logger.info('Ignoring a draft action', { reason: triage.reason, actionId: request.actionId });
      return;
    }
    const responseUrl = request.responseUrl;
    const text = triage.kind === 'reply' ? triage.text : await handOn(triage.job, deps);
    if (text && responseUrl) await followUp(deps, () => answer(deps, responseUrl, text));
  };
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTION_POST_SUMMARY }, onButton);
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTION_REDRAFT }, onButton);
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTION_REGENERATE_SUMMARY }, onButton);

  // Bolt acknowledged the event before this runs; a mention is answered in its thread by the job.
  app.event('app_mention', async ({ body, context }) => {
    const request = readMentionRequest(body as unknown as Record<string, unknown>, retryInfo(context));
    const triage = triageMention(request, deps);
    if (triage.kind !== 'dispatch') {
      deps.logger.info('Ignoring an app_mention', {
        reason: triage.kind === 'ignore' ? triage.reason : 'no job',
        eventId: request.eventId,
      });
      return;
    }
    const failure = await handOn(triage.job, deps);
    // No response_url and, on Lambda, no bot token here: the only way not to lose the question is
    // to fail the request, so Slack delivers the event again (X-Slack-Retry-Reason: http_error).
    if (failure) throw new HandOnFailedError(`Could not hand on the mention ${request.eventId ?? ''}`.trim());
  });

  app.error(async (error) => {
    deps.logger.error('Bolt reported an error', errorFields(error));
    if ((error as { code?: unknown }).code === HAND_ON_FAILED) throw error;
  });
}

const HAND_ON_FAILED = 'why502_hand_on_failed';

/** The job could not be handed on; rethrown to the receiver, which answers HTTP 500. */
class HandOnFailedError extends Error {
  override name = 'HandOnFailedError';
  readonly code = HAND_ON_FAILED;
}

function retryInfo(context: Context): RetryInfo {
  return {
    ...(context.retryNum !== undefined ? { retryNum: context.retryNum } : {}),
    ...(context.retryReason !== undefined ? { retryReason: context.retryReason } : {}),
  };
}

function draftActionRequest(body: BlockAction, context: Context): DraftActionRequest | null {
  const action = body.actions[0];
  if (!action) return null;
  return {
    actionId: action.action_id,
    ...(action.type === 'button' && action.value !== undefined ? { value: action.value } : {}),
    ...(action.type === 'static_select' ? { selectedValue: action.selected_option.value } : {}),
    ...(body.team?.id ? { teamId: body.team.id } : {}),
    ...(body.channel?.id ? { channelId: body.channel.id } : {}),
    ...(body.channel?.name ? { channelName: body.channel.name } : {}),
    userId: String(body.user.id),
    ...(typeof body.response_url === 'string' ? { responseUrl: body.response_url } : {}),
    triggerId: body.trigger_id,
    actionTs: action.action_ts,
    ...(body.message?.ts ? { messageTs: body.message.ts } : {}),
    ...(Array.isArray(body.message?.blocks) ? { messageBlocks: body.message.blocks as unknown[] } : {}),
    ...retryInfo(context),
  };
}

/** Runs the part of a listener that follows the acknowledgement, tracked, and waits for it. */
function followUp(deps: ListenerDeps, work: () => Promise<void>): Promise<void> {
  const running = work();
  deps.track?.(running);
  return running;
}

/** Hands the job on; what to tell the person when that failed, else null. */
async function handOn(job: SlackJob, deps: ListenerDeps): Promise<string | null> {
  try {
    await deps.dispatcher.dispatch(job);
    return null;
  } catch (error) {
    deps.logger.error('Could not hand the job on', { ...errorFields(error), jobId: job.jobId, kind: job.kind });
    return failureNotice('I could not start that', describeJobFailure(error));
  }
}

async function answer(deps: ListenerDeps, responseUrl: string, text: string): Promise<void> {
  await deps
    .respond(responseUrl, text)
    .catch((error: unknown) => deps.logger.error('Could not answer through response_url', errorFields(error)));
}
