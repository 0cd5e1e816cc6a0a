/**
 * Slack's side of the Events API, for tests: `event_callback` bodies shaped as Slack sends an
 * `app_mention` (with `authorizations`, `event_id`, `event_time`), the `url_verification`
 * handshake, and delivery as Slack does it — a signed JSON POST (`X-Slack-Signature` v0,
 * `X-Slack-Request-Timestamp`), and when the answer is not a 2xx within 3 s, the same body
 * again with `X-Slack-Retry-Num` (1, 2, 3) and `X-Slack-Retry-Reason` (`http_timeout`,
 * `http_error`). Slack waits minutes between retries; here they follow at once.
 */
import { FAKE_BOT } from './fake-slack-api.js';
import { postSigned, type SignedPostResult } from './slack-requests.js';

export interface MentionFields {
  eventId: string;
  text: string;
  ts: string;
  threadTs?: string;
  channel?: string;
  user?: string;
  /** A bot's message (e.g. our own): Slack sets bot_id and often a subtype. */
  botId?: string;
  subtype?: string;
}

/** An app_mention event_callback, as Slack sends it to the Request URL. */
export function appMentionBody(fields: MentionFields): string {
  const eventTime = Math.floor(Number(fields.ts));
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0TEAM',
    context_team_id: 'T0TEAM',
    api_app_id: 'A0WHY502',
    event: {
      type: 'app_mention',
      ...(fields.botId ? { bot_id: fields.botId } : { user: fields.user ?? 'U0ONCALL' }),
      ...(fields.subtype ? { subtype: fields.subtype } : {}),
      text: fields.text,
      ts: fields.ts,
      ...(fields.threadTs ? { thread_ts: fields.threadTs, parent_user_id: FAKE_BOT.userId } : {}),
      client_msg_id: '5f8c2f2a-3d0e-4c58-9a1e-7b6f2c9d4e11',
      team: 'T0TEAM',
      channel: fields.channel ?? 'C0ONCALL',
      event_ts: fields.ts,
      blocks: [
        {
          type: 'rich_text',
          block_id: 'Bq3',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: fields.text }] }],
        },
      ],
    },
    type: 'event_callback',
    event_id: fields.eventId,
    event_time: eventTime,
    authorizations: [
      { enterprise_id: null, team_id: 'T0TEAM', user_id: FAKE_BOT.userId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: '4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDBURUFNIiwiYWlkIjoiQTBXSFk1MDIiLCJjaWQiOiJDME9OQ0FMTCJ9',
  });
}

export function urlVerificationBody(challenge: string): string {
  return JSON.stringify({ token: 'deprecated-verification-token', challenge, type: 'url_verification' });
}

/** One delivery of an event body: signed JSON, with Slack's retry headers when it is a retry. */
export function deliverEvent(
  url: string,
  body: string,
  retry?: { num: number; reason: 'http_timeout' | 'http_error' | 'connection_failed' },
): Promise<SignedPostResult> {
  return postSigned(url, body, {
    headers: {
      'Content-Type': 'application/json',
      ...(retry ? { 'X-Slack-Retry-Num': String(retry.num), 'X-Slack-Retry-Reason': retry.reason } : {}),
    },
  });
}

/**
 * Delivers as Slack does: the first attempt, then up to three retries while the answer is not a
 * 2xx in 3 s. Returns every attempt (status and milliseconds).
 */
export async function deliverLikeSlack(url: string, body: string): Promise<SignedPostResult[]> {
  const attempts: SignedPostResult[] = [];
  let result = await deliverEvent(url, body);
  attempts.push(result);
  for (let num = 1; num <= 3 && !(result.status >= 200 && result.status < 300 && result.ms < 3000); num += 1) {
    result = await deliverEvent(url, body, {
      num,
      reason: result.status >= 200 && result.status < 300 ? 'http_timeout' : 'http_error',
    });
    attempts.push(result);
  }
  return attempts;
}
