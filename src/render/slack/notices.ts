/** The short messages around an investigation: usage, refusals, failures, acknowledgements. Pure. */
import { BLOCK_LIMITS, escapeMrkdwn, truncateText } from './block-kit.js';

/**
 * Ephemeral answer to bad input: what was wrong, then how to say it. The usage is escaped
 * even inside the code block: Slack reads `<index>` as a (broken) link anywhere in mrkdwn.
 */
export function usageReply(problem: string | null, usage: string): string {
  const body = `\`\`\`${escapeMrkdwn(usage.replace(/```/g, "'''"))}\`\`\``;
  return truncateText(problem ? `:warning: ${escapeMrkdwn(problem)}\n${body}` : body, BLOCK_LIMITS.sectionText);
}

export function channelRefusal(allowedChannels: readonly string[]): string {
  const where = allowedChannels.map((id) => `<#${id}>`).join(', ');
  return `:no_entry: /why502 is not enabled in this channel. Use it in ${where}, or ask an admin to add this channel to \`slack.allowedChannels\` in why502.yml.`;
}

export function investigatingAck(index: string, askedAt: string): string {
  return `:mag: Investigating \`${escapeMrkdwn(index)}\` at ${escapeMrkdwn(askedAt)}… the answer will appear in a thread in this channel.`;
}

/** ":warning: <what>: <reason>", both escaped: reasons quote config and user input ("app/<name>/…"). */
export function failureNotice(what: string, reason: string): string {
  return `:warning: ${escapeMrkdwn(what)}: ${escapeMrkdwn(reason)}`;
}

export function noIncidentChannel(): string {
  return ':information_source: No incident channel is configured, so there is nowhere to post the summary. Set `slack.incidentChannel` (a channel ID like C0INCIDENTS) in why502.yml and redeploy.';
}
