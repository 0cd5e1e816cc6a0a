/**
 * The why502 verdicts of a channel, read from what `conversations.history` (with
 * `include_all_metadata: true`) returns: each verdict message carries `why502_verdict` metadata
 * (CONTRACT §7: index, at, verdict_kind, confidence, window_start, window_end). Anything else in
 * the history — people's messages, other apps' metadata, a damaged payload — is skipped, counted.
 * Pure: the messages in, records out.
 */
import { CAUSE_KINDS, type Confidence, VERDICT_KINDS, type VerdictKind } from '../core/types.js';
import { VERDICT_EVENT_TYPE } from '../render/slack/verdict-message.js';

/** A message as conversations.history returns it (the fields read here). */
export interface HistoryMessage {
  ts?: string;
  text?: string;
  /** Not in conversations.history: the caller adds it from chat.getPermalink when it has it. */
  permalink?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export interface VerdictRecord {
  /** The verdict message's ts: its identity in the channel, and the thread to link to. */
  ts: string;
  permalink: string | null;
  index: string;
  at: Date;
  kind: VerdictKind;
  confidence: Confidence;
  window: { start: Date; end: Date };
  /** The verdict's headline (it carries the numbers that decided it), unescaped; null when not found. */
  headline: string | null;
  /** The zone the question was asked in, when the payload carries it (`zone`). */
  zone: string | null;
  /** Cause kinds when the payload carries them (`causes`: "deploy,oom_kill"). */
  causes: string[];
}

export interface ReadVerdicts {
  records: VerdictRecord[];
  /** Messages with why502_verdict metadata that could not be read (damaged or foreign payloads). */
  unreadable: number;
}

const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];
const MAX_HEADLINE_CHARS = 500;
/** A link that cannot break out of mrkdwn's <url|label>: https, no spaces, no <, >, |. */
const SAFE_LINK = /^https:\/\/[^\s<>|]+$/;

export function readVerdictRecords(messages: readonly HistoryMessage[]): ReadVerdicts {
  const byTs = new Map<string, VerdictRecord>();
  let unreadable = 0;
  for (const message of messages) {
    if (message?.metadata?.event_type !== VERDICT_EVENT_TYPE) continue;
    const record = readRecord(message);
    if (record) byTs.set(record.ts, record);
    else unreadable++;
  }
  return { records: [...byTs.values()], unreadable };
}

function readRecord(message: HistoryMessage): VerdictRecord | null {
  const payload = message.metadata?.event_payload ?? {};
  const text = (key: string) => (typeof payload[key] === 'string' ? (payload[key] as string) : null);
  const ts = typeof message.ts === 'string' && /^\d+\.\d+$/.test(message.ts) ? message.ts : null;
  const index = text('index');
  const at = instant(text('at'));
  const start = instant(text('window_start'));
  const end = instant(text('window_end'));
  const kind = text('verdict_kind');
  const confidence = text('confidence');
  if (!ts || !index || !at || !start || !end || !isKind(kind) || !CONFIDENCES.includes(confidence as Confidence))
    return null;
  return {
    ts,
    permalink: typeof message.permalink === 'string' && SAFE_LINK.test(message.permalink) ? message.permalink : null,
    index,
    at,
    kind,
    confidence: confidence as Confidence,
    window: { start, end },
    headline: (text('headline') ?? headlineFromVerdictText(message.text ?? ''))?.slice(0, MAX_HEADLINE_CHARS) ?? null,
    zone: text('zone'),
    causes: (text('causes') ?? '')
      .split(',')
      .map((cause) => cause.trim())
      .filter((cause) => (CAUSE_KINDS as readonly string[]).includes(cause)),
  };
}

/**
 * The headline from a verdict message's `text` fallback (render/slack/verdict-message.ts writes the label and
 * confidence on the first line, the escaped headline on the second), unescaped.
 */
export function headlineFromVerdictText(text: string): string | null {
  const [first, second] = text.split('\n');
  if (!first?.includes('· confidence') || !second?.trim()) return null;
  return second.trim().replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function instant(value: string | null): Date | null {
  if (value === null || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function isKind(kind: string | null): kind is VerdictKind {
  return kind !== null && (VERDICT_KINDS as readonly string[]).includes(kind);
}
