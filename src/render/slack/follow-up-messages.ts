/**
 * The short replies around a follow-up in a thread (`@why502 …`): how to use it, why the thread's
 * evidence is gone and the exact command to ask again, what failed. Each says what happened and
 * what to do next, in one or two lines. Pure; everything that came from Slack or a log is escaped.
 */
import { exactTimeToken, formatWidth } from '../../ask/answer-another-time.js';
import { questionExamples } from '../../ask/follow-up-question.js';
import { resolveZone, UTC_ZONE } from '../../grammar/zones.js';
import type { VerdictRecord } from '../../summary/verdict-record.js';
import { escapeMrkdwn } from './block-kit.js';
import type { SlackMessage } from './slack-message.js';

const plain = (text: string): SlackMessage => ({ text, blocks: [] });

const EXAMPLES = '`@why502 impact` · `@why502 tenants` · `@why502 08:22` · `@why502 claim 537k 502s` · `@why502 help`';

/** A mention in the channel itself, or in a thread that is not a why502 verdict's. */
export function notAVerdictThread(where: 'channel' | 'thread'): SlackMessage {
  const here =
    where === 'channel'
      ? 'I answer questions in the thread of a why502 verdict, not in the channel'
      : 'This thread is not a why502 verdict, so I have no evidence to answer from';
  return plain(
    `:information_source: ${here}. Start one with \`/why502 <index> <time> [<zone>]\` (e.g. \`/why502 prod_000_audio 05:41 AEST\`), then ask in its thread: ${EXAMPLES}.`,
  );
}

/** The exact command that asks the same question again, from the verdict's metadata: "prod_000_audio 2026-06-19T05:41+10:00 AEST --window 3h". */
export function repeatCommandOf(record: Pick<VerdictRecord, 'index' | 'at' | 'zone' | 'window'>): string {
  const zone = readZone(record.zone);
  const zoneToken = zone.kind === 'iana' ? zone.name : zone.label;
  const widthMinutes = (record.window.end.getTime() - record.window.start.getTime()) / 60_000;
  return `${record.index} ${exactTimeToken({ zone, at: record.at })} ${zoneToken} --window ${formatWidth(widthMinutes)}`;
}

function readZone(label: string | null) {
  try {
    return label ? resolveZone(label) : { ...UTC_ZONE };
  } catch {
    return { ...UTC_ZONE };
  }
}

/** The thread is a verdict's, and older than the store keeps evidence. */
export function evidenceExpired(retentionDays: number, ageDays: number, command: string): SlackMessage {
  return plain(
    `:hourglass: The evidence of this thread has expired after ${retentionDays} days (the thread is ${ageDays} days old), so I cannot answer from it. ` +
      `Run \`/why502 ${escapeMrkdwn(command)}\` again for a new thread, and ask there.`,
  );
}

/** The thread is a verdict's and young enough, but no evidence is kept for it. */
export function evidenceMissing(command: string): SlackMessage {
  return plain(
    `:warning: No evidence is kept for this thread (it was posted before why502 kept evidence, or the store lost it), so I cannot answer from it. ` +
      `Run \`/why502 ${escapeMrkdwn(command)}\` again for a new thread, and ask there.`,
  );
}

/** A question asked before the thread's verdict is there. */
export function investigationRunning(): SlackMessage {
  return plain(
    ':hourglass_flowing_sand: The investigation in this thread is still running; ask again once its verdict is here.',
  );
}

/** The thread's investigation ended without evidence to answer from (it failed, or its evidence could not be kept). */
export function investigationLeftNoEvidence(command: string): SlackMessage {
  return plain(
    `:warning: The investigation in this thread left no evidence to answer from (it failed, or its evidence could not be kept). Run \`/why502 ${escapeMrkdwn(command)}\` again for a new thread, and ask there.`,
  );
}

/** No evidence, and the thread's first message could not be read to say more. */
export function evidenceUnknown(reason: string): SlackMessage {
  return plain(
    `:warning: I have no evidence for this thread, and could not read its first message to tell whether it is a why502 verdict (${escapeMrkdwn(reason)}). ` +
      'If it is, run its `/why502` command again and ask in the new thread.',
  );
}

export function followUpFailed(what: string, reason: string): SlackMessage {
  return plain(`:warning: ${escapeMrkdwn(what)}: ${escapeMrkdwn(reason)}`);
}

/** Said before a new investigation starts for a minute outside the thread's window. */
export function investigatingAnotherMinute(command: string): string {
  return `:mag: Running \`/why502 ${escapeMrkdwn(command)}\` now; its verdict will follow in this thread.`;
}

/** Every layout of an answer was refused by Slack (msg_too_long, invalid_blocks…). */
export function answerDidNotFit(reason: string): SlackMessage {
  return plain(
    `:warning: The answer did not fit in a Slack message (${escapeMrkdwn(reason)}). Ask something narrower, or save the report with \`--format json\` and run \`npx why502 ask <report.json> <question>\`, which prints it in full.`,
  );
}

/** A follow-up in a channel where /why502 is not enabled. */
export function followUpsNotEnabled(): SlackMessage {
  return plain(
    ':no_entry: why502 is not enabled in this channel, so it answers no questions here. Ask an admin to add it to `slack.allowedChannels` in why502.yml.',
  );
}

/** A mention longer than the job carries: say how long, as parseFollowUp would for a shorter one. */
export function questionTooLong(length: number, maxChars: number): SlackMessage {
  return plain(
    `:warning: The question is ${length.toLocaleString('en-US')} characters long; I read at most ${maxChars}. Ask it shorter, e.g. ${questionExamples()}.`,
  );
}

/** After the investigation: its evidence could not be kept, so follow-ups in this thread will not work. */
export function evidenceNotKeptNotice(): string {
  return ':warning: I could not keep this thread’s evidence (the details are in the logs), so `@why502` questions here cannot be answered from it. Run /why502 again to ask follow-ups.';
}
