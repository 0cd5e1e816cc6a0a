/**
 * The Bolt listeners: /why502 and the two draft actions. Each one decides (triage), answers
 * Slack at once, and only then hands the work on, so the acknowledgement never waits for a
 * query. In HTTP mode Bolt sends the HTTP response as soon as ack() is called; on Lambda the
 * response leaves when the listener returns, which here is right after the hand-off.
 */
import type { AllMiddlewareArgs, App, BlockAction, Context, RespondFn, SlackActionMiddlewareArgs, SlashCommand } from '@slack/bolt';
import { errorFields, type AppLogger } from './app-logger.js';
import { escapeMrkdwn } from './block-kit.js';
import { describeJobFailure } from './job-context.js';
import { ACTION_POST_SUMMARY, ACTION_REDRAFT } from './render-draft.js';
import { failureNotice } from './render-notices.js';
import type { JobDispatcher, SlackJob } from './slack-jobs.js';
import { triageCommand, triageDraftAction, type CommandRequest, type DraftActionRequest, type RetryInfo, type TriageDeps } from './triage.js';

export interface ListenerDeps extends TriageDeps {
  dispatcher: JobDispatcher;
  logger: AppLogger;
  /** Registers work a listener does after acknowledging, so shutdown (and tests) can wait for it. */
  track?: (work: Promise<unknown>) => void;
}

/** Matches /why502 and variants such as /why502-staging, so one manifest per stage works. */
export const COMMAND_PATTERN = /^\/why502(?:[-_][a-z0-9]+)?$/;

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(COMMAND_PATTERN, async ({ command, ack, respond, context }) => {
    let acked = false;
    try {
      const triage = triageCommand(commandRequest(command, context), deps);
      acked = true;
      if (triage.kind === 'reply') return await ack({ response_type: 'ephemeral', text: triage.text });
      if (triage.kind === 'ignore') {
        deps.logger.info('Ignoring a repeated /why502', { reason: triage.reason, channel: command.channel_id });
        return await ack();
      }
      await ack(triage.ackText ? { response_type: 'ephemeral', text: triage.ackText } : undefined);
      await followUp(deps, () => handOn(triage.job, respond, deps));
    } catch (error) {
      deps.logger.error('The /why502 listener failed', { ...errorFields(error), channel: command.channel_id });
      const text = `:warning: ${escapeMrkdwn(describeJobFailure(error))}`;
      if (!acked) await ack({ response_type: 'ephemeral', text });
      else await respond({ response_type: 'ephemeral', text }).catch(() => {});
    }
  });

  const onDraftAction = async ({ ack, body, respond, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs) => {
    await ack();
    const request = draftActionRequest(body, context);
    if (!request) return;
    const triage = triageDraftAction(request, deps);
    if (triage.kind === 'reply') {
      const reply = triage.text;
      await followUp(deps, () =>
        respond({ response_type: 'ephemeral', replace_original: false, text: reply }).then(
          () => undefined,
          (error: unknown) => deps.logger.error('Could not answer a draft action', errorFields(error)),
        ),
      );
    } else if (triage.kind === 'dispatch') {
      const { job } = triage;
      await followUp(deps, () => handOn(job, respond, deps));
    }
  };
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTION_POST_SUMMARY }, onDraftAction);
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTION_REDRAFT }, onDraftAction);

  app.error(async (error) => {
    deps.logger.error('Bolt reported an error', errorFields(error));
  });
}

function retryInfo(context: Context): RetryInfo {
  return {
    ...(context.retryNum !== undefined ? { retryNum: context.retryNum } : {}),
    ...(context.retryReason !== undefined ? { retryReason: context.retryReason } : {}),
  };
}

function commandRequest(command: SlashCommand, context: Context): CommandRequest {
  return {
    text: command.text ?? '',
    teamId: command.team_id,
    channelId: command.channel_id,
    userId: command.user_id,
    responseUrl: command.response_url,
    triggerId: command.trigger_id,
    ...retryInfo(context),
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
    userId: body.user.id,
    responseUrl: body.response_url,
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

/** A hand-off that fails (the worker cannot be invoked) is told to the person, not swallowed. */
async function handOn(job: SlackJob, respond: RespondFn, deps: ListenerDeps): Promise<void> {
  try {
    await deps.dispatcher.dispatch(job);
  } catch (error) {
    deps.logger.error('Could not hand the job on', { ...errorFields(error), jobId: job.jobId, kind: job.kind });
    await respond({ response_type: 'ephemeral', replace_original: false, text: failureNotice('I could not start that', describeJobFailure(error)) }).catch(
      (respondError: unknown) => deps.logger.error('Could not tell the user either', errorFields(respondError)),
    );
  }
}
