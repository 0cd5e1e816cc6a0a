/** block_actions payloads shaped as Slack sends them for a click on the draft message. */
import type { RecordedCall } from './fake-slack-api.js';

export interface DraftClick {
  draft: RecordedCall;
  actionId: string;
  /** For the Redraft menu: the chosen tone. */
  selected?: string;
  channelId?: string;
  userId?: string;
  responseUrl: string;
  triggerId?: string;
}

export function draftActionPayload(click: DraftClick): Record<string, unknown> {
  const blocks = click.draft.body.blocks as Array<{
    type: string;
    block_id?: string;
    elements?: Array<Record<string, unknown>>;
  }>;
  const actions = blocks.find((b) => b.type === 'actions')!;
  const element = actions.elements!.find((e) => e.action_id === click.actionId)!;
  const ts = String(click.draft.result!.ts);
  const channelId = click.channelId ?? String(click.draft.body.channel);
  const action =
    element.type === 'button'
      ? {
          type: 'button',
          action_id: click.actionId,
          block_id: actions.block_id,
          text: element.text,
          value: element.value,
          style: element.style,
          action_ts: '1750275900.123456',
        }
      : {
          type: 'static_select',
          action_id: click.actionId,
          block_id: actions.block_id,
          selected_option: { text: { type: 'plain_text', text: click.selected }, value: click.selected },
          placeholder: element.placeholder,
          action_ts: '1750275900.123456',
        };
  return {
    type: 'block_actions',
    user: { id: click.userId ?? 'U0CLICKER', username: 'clicker', name: 'clicker', team_id: 'T0TEAM' },
    api_app_id: 'A0WHY502',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: ts,
      channel_id: channelId,
      is_ephemeral: false,
      thread_ts: click.draft.body.thread_ts,
    },
    trigger_id: click.triggerId ?? `trigger-${Math.random().toString(36).slice(2)}`,
    team: { id: 'T0TEAM', domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'oncall' },
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: click.draft.body.text,
      ts,
      bot_id: 'B0WHY502',
      thread_ts: click.draft.body.thread_ts,
      blocks,
    },
    state: { values: {} },
    response_url: click.responseUrl,
    actions: [action],
  };
}
