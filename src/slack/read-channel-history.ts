/**
 * A channel's recent messages, with their metadata, through conversations.history: pages of
 * `PAGE_SIZE` followed by cursor, newest first, at most `maxPages` (so a busy channel costs a
 * bounded number of Tier 3 calls), and one message by its ts. Only top-level messages come back —
 * Slack's history does not include thread replies — which is why a verdict's parent carries the
 * verdict's metadata (investigate-job.ts).
 */
import type { HistoryMessage } from '../summary/verdict-record.js';
import type { HistoryMessageJson, SlackWeb } from './slack-web.js';

/** Slack recommends no more than 200 messages a page. */
export const HISTORY_PAGE_SIZE = 200;
/** Five pages: the latest 1,000 messages of the channel. */
export const HISTORY_MAX_PAGES = 5;

export interface ChannelHistory {
  messages: HistoryMessage[];
  /** False when older messages were left unread (the page limit was reached). */
  complete: boolean;
  pages: number;
}

export async function readChannelHistory(
  web: Pick<SlackWeb, 'history'>,
  channel: string,
  options: { maxPages?: number; pageSize?: number } = {},
): Promise<ChannelHistory> {
  const maxPages = options.maxPages ?? HISTORY_MAX_PAGES;
  const messages: HistoryMessage[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await web.history(channel, {
      limit: options.pageSize ?? HISTORY_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    pages += 1;
    messages.push(...page.messages.map(toHistoryMessage));
    cursor = page.nextCursor;
  } while (cursor && pages < maxPages);
  return { messages, complete: cursor === undefined, pages };
}

/** The message whose ts this is (a thread's parent), or undefined when the channel has none. */
export async function readMessage(
  web: Pick<SlackWeb, 'history'>,
  channel: string,
  ts: string,
): Promise<HistoryMessage | undefined> {
  const page = await web.history(channel, { latest: ts, oldest: ts, inclusive: true, limit: 1 });
  return page.messages.map(toHistoryMessage).find((message) => message.ts === ts);
}

/** Only fields of the types readVerdictRecords expects; anything else is dropped, not trusted. */
export function toHistoryMessage(json: HistoryMessageJson): HistoryMessage {
  const metadata = json.metadata as { event_type?: unknown; event_payload?: unknown } | null | undefined;
  const payload = metadata?.event_payload;
  return {
    ...(typeof json.ts === 'string' ? { ts: json.ts } : {}),
    ...(typeof json.text === 'string' ? { text: json.text } : {}),
    ...(metadata && typeof metadata.event_type === 'string'
      ? {
          metadata: {
            event_type: metadata.event_type,
            ...(payload && typeof payload === 'object' && !Array.isArray(payload)
              ? { event_payload: payload as Record<string, unknown> }
              : {}),
          },
        }
      : {}),
  };
}
