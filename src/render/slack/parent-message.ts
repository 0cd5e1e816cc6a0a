/**
 * The parent message in the channel: posted at once ("Investigating …"), then updated with
 * the verdict headline, with what failed, or with what could not be posted. The thread hangs
 * off it; it says "Details in the thread" only when the thread holds them. Pure.
 */
import type { ReportJson } from '../../core/report.js';
import type { InvestigationCommand, TimeFormatter } from '../../core/types.js';
import { mentionUser } from '../../slack/slack-ids.js';
import { describeAskedInstant } from '../report-sections.js';
import { findingLabel } from '../verdict-labels.js';
import { context, escapeMrkdwn, mrkdwnSection } from './block-kit.js';
import type { SlackMessage } from './slack-message.js';
import { VERDICT_ICONS } from './verdict-icons.js';

/** Who asked and about what, as the first line of every state of the parent. */
export interface ParentSubject {
  index: string;
  at: Date;
  windowStart: Date;
  windowEnd: Date;
  askedBy?: string;
}

export function subjectOfCommand(command: InvestigationCommand, askedBy?: string): ParentSubject {
  return {
    index: command.index,
    at: command.asked.at,
    windowStart: command.window.start,
    windowEnd: command.window.end,
    askedBy,
  };
}

/** The parent's first line, as mrkdwn; kept with pending posts so the parent can be redrawn later. */
export function renderSubjectLine(subject: ParentSubject, fmt: TimeFormatter): string {
  const askedBy = subject.askedBy ? ` · asked by ${mentionUser(subject.askedBy)}` : '';
  return `:mag: *why502* · \`${escapeMrkdwn(subject.index)}\` · ${escapeMrkdwn(describeAskedInstant(subject.at, fmt))}${askedBy}`;
}

export function renderParentPending(subject: ParentSubject, fmt: TimeFormatter): SlackMessage {
  const line = renderSubjectLine(subject, fmt);
  const status = `Investigating ${escapeMrkdwn(fmt.range(subject.windowStart, subject.windowEnd))}…`;
  return { text: `${line}\n${status}`, blocks: [mrkdwnSection(line), context(status)] };
}

/** For the parent once the verdict is in the thread. */
export function renderParentDone(subject: ParentSubject, report: ReportJson, fmt: TimeFormatter): SlackMessage {
  const { verdict } = report;
  const label = findingLabel(verdict);
  const at = `${fmt.localClock(subject.at)} ${fmt.zoneLabel}`;
  const summary =
    `${VERDICT_ICONS[verdict.kind] ?? ''} *${escapeMrkdwn(subject.index)} at ${escapeMrkdwn(at)}: ${escapeMrkdwn(label)}.* ${escapeMrkdwn(verdict.headline)} Details in the thread.`.trim();
  const line = renderSubjectLine(subject, fmt);
  return { text: `${summary}\n${line}`, blocks: [mrkdwnSection(summary), context(line)] };
}

/** For the parent once the thread says why the investigation failed. */
export function renderParentFailed(subject: ParentSubject, fmt: TimeFormatter, reason: string): SlackMessage {
  const summary = `:warning: *The investigation of ${escapeMrkdwn(subject.index)} failed.* ${escapeMrkdwn(reason)} Details in the thread.`;
  const line = renderSubjectLine(subject, fmt);
  return { text: `${summary}\n${line}`, blocks: [mrkdwnSection(summary), context(line)] };
}

/**
 * For the parent when the answer could not be posted in the thread: what was lost and why,
 * and no pointer to a thread that does not hold it.
 */
export function renderParentLost(
  parent: { index: string; subjectLine: string },
  lost: readonly string[],
  reason: string,
): SlackMessage {
  const what = lost.length > 0 ? joinWithAnd(lost) : 'the answer';
  const summary = `:warning: *why502 could not post ${escapeMrkdwn(what)} for ${escapeMrkdwn(parent.index)}.* ${escapeMrkdwn(reason)}. Run /why502 again to get it.`;
  return { text: `${summary}\n${parent.subjectLine}`, blocks: [mrkdwnSection(summary), context(parent.subjectLine)] };
}

export function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
