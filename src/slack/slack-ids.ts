/**
 * The shapes of the Slack ids the app echoes back. A user id becomes a mention (`<@U…>`), so a
 * crafted one ("U1> <!channel") would otherwise become a broadcast; anything that is not an
 * id Slack issues is refused on the way in and shown escaped, never as markup, on the way out.
 */
import { escapeMrkdwn } from '../render/slack/block-kit.js';

export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;
export const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]{2,20}$/;
export const SLACK_TEAM_ID = /^[TE][A-Z0-9]{2,20}$/;

/** `<@U…>` for a real user id; the escaped text for anything else. */
export function mentionUser(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** `<#C…>` for a real channel id; the escaped text for anything else. */
export function mentionChannel(channelId: string): string {
  return SLACK_CHANNEL_ID.test(channelId) ? `<#${channelId}>` : escapeMrkdwn(channelId);
}
