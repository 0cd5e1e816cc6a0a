/**
 * What a failed Web API call means for the next step. Slack answers most errors with HTTP 200
 * and `ok: false` plus a code; rate limits with HTTP 429 and Retry-After; outages with 5xx or
 * no answer at all (docs.slack.dev/apis/web-api, "Handling errors" and "Rate limits").
 *
 * - `rejected`: Slack refused this message (invalid_blocks, msg_too_long, …): another layout may pass.
 * - `server`: Slack failed on its side (HTTP 5xx, internal_error, fatal_error): another layout
 *   may pass, and later the same one may too.
 * - `unreachable`: no answer (network, timeout): nothing will pass until Slack is back.
 * - `rate_limited`: still limited after waiting Retry-After: try later.
 * - `destination`: the channel or the token is the problem; no layout and no wait will help.
 */
export type SlackFailureKind = 'rejected' | 'server' | 'unreachable' | 'rate_limited' | 'destination';

const DESTINATION_ERRORS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'team_access_not_granted',
  'ekm_access_denied',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

const SERVER_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export function classifySlackFailure(error: unknown): SlackFailureKind {
  const { code, data, statusCode } = (error ?? {}) as {
    code?: string;
    data?: { error?: unknown };
    statusCode?: number;
  };
  if (code === 'slack_webapi_rate_limited_error' || data?.error === 'ratelimited') return 'rate_limited';
  if (code === 'slack_webapi_http_error')
    return typeof statusCode === 'number' && statusCode < 500 ? 'rejected' : 'server';
  if (code === 'slack_webapi_request_error') return 'unreachable';
  const platform = typeof data?.error === 'string' ? data.error : undefined;
  if (platform && DESTINATION_ERRORS.has(platform)) return 'destination';
  if (platform && SERVER_ERRORS.has(platform)) return 'server';
  if (platform) return 'rejected';
  // Not a Web API error at all (a bug, an abort): nothing suggests that waiting would help.
  return 'rejected';
}

/** Failures that may pass if the same call is made again later. */
export function isTransientSlackFailure(kind: SlackFailureKind): boolean {
  return kind === 'server' || kind === 'unreachable' || kind === 'rate_limited';
}
