/**
 * The parent message in the channel: posted at once ("Investigating …"), then updated with
 * the verdict headline, or with what failed. The thread hangs off it. Pure.
 */
import type { ReportJson } from '../core/report.js';
import type { InvestigationCommand, TimeFormatter } from '../core/types.js';
import { describeAskedInstant } from '../render/report-sections.js';
import { VERDICT_LABELS, findingLabel } from '../render/verdict-labels.js';
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
  return { index: command.index, at: command.asked.at, windowStart: command.window.start, windowEnd: command.window.end, askedBy };
}

function subjectLine(subject: ParentSubject, fmt: TimeFormatter): string {
  const askedBy = subject.askedBy ? ` · asked by <@${subject.askedBy}>` : '';
  return `:mag: *why502* · \`${escapeMrkdwn(subject.index)}\` · ${escapeMrkdwn(describeAskedInstant(subject.at, fmt))}${askedBy}`;
}

export function renderParentPending(subject: ParentSubject, fmt: TimeFormatter): SlackMessage {
  const line = subjectLine(subject, fmt);
  const status = `Investigating ${escapeMrkdwn(fmt.range(subject.windowStart, subject.windowEnd))}…`;
  return { text: `${line}\n${status}`, blocks: [mrkdwnSection(line), context(status)] };
}

export function renderParentDone(subject: ParentSubject, report: ReportJson, fmt: TimeFormatter): SlackMessage {
  const { verdict } = report;
  const label = findingLabel(verdict);
  const at = `${fmt.localClock(subject.at)} ${fmt.zoneLabel}`;
  const summary = `${VERDICT_ICONS[verdict.kind] ?? ''} *${escapeMrkdwn(subject.index)} at ${escapeMrkdwn(at)}: ${escapeMrkdwn(label)}.* ${escapeMrkdwn(verdict.headline)} Details in the thread.`.trim();
  const line = subjectLine(subject, fmt);
  return { text: `${summary}\n${line}`, blocks: [mrkdwnSection(summary), context(line)] };
}

export function renderParentFailed(subject: ParentSubject, fmt: TimeFormatter, reason: string): SlackMessage {
  const summary = `:warning: *The investigation of ${escapeMrkdwn(subject.index)} failed.* ${escapeMrkdwn(reason)} Details in the thread.`;
  const line = subjectLine(subject, fmt);
  return { text: `${summary}\n${line}`, blocks: [mrkdwnSection(summary), context(line)] };
}
