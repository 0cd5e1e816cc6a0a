/**
 * Delivers a thread's outbox, retrying while Slack is away on a bounded schedule (about 15
 * minutes in all, inside the 30 minutes a response_url stays valid), then gives up and says
 * what was lost: on the parent if Slack takes that, and to the asker privately.
 *
 * Between passes the outbox waits in the state store. A server waits in-process; a Lambda
 * worker waits while its own time allows, then hands the next pass to a new invocation of
 * itself (a `deliver` job), which reads the outbox back from the store.
 */

import { escapeMrkdwn } from '../render/slack/block-kit.js';
import { joinWithAnd } from '../render/slack/parent-message.js';
import { errorFields } from './app-logger.js';
import { type JobBudget, type JobDeps, type JobOutcome, tellUser } from './job-context.js';
import type { DeliverJob } from './slack-jobs.js';
import { abandonPending, deliverPass, finalParent, type ThreadOutbox, ThreadOutboxSchema } from './thread-outbox.js';

/** Seconds to wait before each retry pass: 10 s, 30 s, 1, 2, 4, 7, 11 and 15 minutes after the first. */
export const DELIVERY_RETRY_DELAYS_S: readonly number[] = [10, 20, 30, 60, 120, 180, 240, 240];

/** How long a pending outbox is kept in the store: well past the last retry. */
const OUTBOX_TTL_S = 60 * 60;

/** Time one pass may need (up to four layouts, one attempt each), so a wait is not started without it. */
const PASS_ALLOWANCE_MS = 25_000;

export async function deliverThread(
  outbox: ThreadOutbox,
  deps: JobDeps,
  budget: Pick<JobBudget, 'deadline' | 'signal'>,
): Promise<JobOutcome> {
  for (;;) {
    const pass = await deliverPass(outbox, deps.web, deps.logger);
    if (pass.state === 'settled') return settle(outbox, deps);

    outbox.failedPasses += 1;
    outbox.lastFailure = pass.reason;
    const delayS = DELIVERY_RETRY_DELAYS_S[outbox.failedPasses - 1];
    if (delayS === undefined)
      return giveUp(
        outbox,
        deps,
        `Slack did not take the posts for ${minutesSince(outbox, deps)} minutes (last: ${pass.reason})`,
      );
    const saved = await saveOutbox(outbox, deps);
    const nextAt = new Date(deps.clock.now().getTime() + delayS * 1000);
    deps.logger.warn('Slack is not taking the thread’s posts; will retry', {
      jobId: outbox.jobId,
      pass: outbox.failedPasses,
      retryInS: delayS,
      reason: pass.reason,
    });

    if (budget.deadline && nextAt.getTime() + PASS_ALLOWANCE_MS > budget.deadline.getTime()) {
      if (saved && deps.continuation && (await handOnDelivery(outbox, nextAt, deps))) return 'deferred';
      return giveUp(
        outbox,
        deps,
        `Slack did not take the posts, and this worker ran out of time to wait (last: ${pass.reason})`,
      );
    }
    try {
      await deps.clock.sleep(delayS * 1000, budget.signal);
    } catch {
      return giveUp(outbox, deps, `the server stopped while Slack was not taking the posts (last: ${pass.reason})`);
    }
  }
}

/** A `deliver` job: the outbox from the store, at its scheduled time, then the same loop. */
export async function runDeliverJob(
  job: DeliverJob,
  deps: JobDeps,
  budget: Pick<JobBudget, 'deadline' | 'signal'>,
): Promise<JobOutcome> {
  const outbox = await loadOutbox(job.outboxKey, deps);
  if (!outbox) {
    deps.logger.info('Nothing left to deliver (already delivered, or expired)', { outboxKey: job.outboxKey });
    return 'duplicate';
  }
  const waitMs = Math.max(0, new Date(job.notBefore).getTime() - deps.clock.now().getTime());
  if (budget.deadline && deps.clock.now().getTime() + waitMs + PASS_ALLOWANCE_MS > budget.deadline.getTime()) {
    return giveUp(outbox, deps, 'the retry came too late to post');
  }
  try {
    await deps.clock.sleep(waitMs, budget.signal);
  } catch {
    return giveUp(outbox, deps, 'the worker stopped while Slack was not taking the posts');
  }
  return deliverThread(outbox, deps, budget);
}

async function settle(outbox: ThreadOutbox, deps: JobDeps): Promise<JobOutcome> {
  if (outbox.failedPasses > 0) await forget(outbox, deps);
  if (outbox.lost.length === 0) return 'done';
  await tellUser(deps, outbox.origin, lostNotice(outbox));
  return 'failed';
}

async function giveUp(outbox: ThreadOutbox, deps: JobDeps, reason: string): Promise<JobOutcome> {
  abandonPending(outbox, reason);
  deps.logger.error('Gave up posting the thread’s answer', { jobId: outbox.jobId, lost: outbox.lost, reason });
  if (!outbox.parentUpdated) {
    await deps.web.updateOnce(outbox.parent.channel, outbox.parent.ts, finalParent(outbox)).catch((error: unknown) =>
      deps.logger.warn('Could not say on the parent what was lost', {
        ...errorFields(error),
        channel: outbox.parent.channel,
      }),
    );
  }
  await tellUser(deps, outbox.origin, lostNotice(outbox));
  await forget(outbox, deps);
  return 'failed';
}

async function saveOutbox(outbox: ThreadOutbox, deps: JobDeps): Promise<boolean> {
  try {
    await deps.state.put(outbox.key, JSON.stringify(outbox), OUTBOX_TTL_S);
    return true;
  } catch (error) {
    deps.logger.error('Could not keep the pending posts in the state store', {
      ...errorFields(error),
      key: outbox.key,
    });
    return false;
  }
}

async function loadOutbox(key: string, deps: JobDeps): Promise<ThreadOutbox | undefined> {
  const raw = await deps.state.get(key);
  if (raw === undefined) return undefined;
  const parsed = ThreadOutboxSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    deps.logger.error('The pending posts in the state store are not readable', {
      key,
      issues: parsed.error.issues.slice(0, 3),
    });
    return undefined;
  }
  return parsed.data;
}

async function forget(outbox: ThreadOutbox, deps: JobDeps): Promise<void> {
  await deps.state.delete(outbox.key).catch((error: unknown) =>
    deps.logger.warn('Could not remove delivered posts from the state store', {
      ...errorFields(error),
      key: outbox.key,
    }),
  );
}

async function handOnDelivery(outbox: ThreadOutbox, notBefore: Date, deps: JobDeps): Promise<boolean> {
  const job: DeliverJob = {
    kind: 'deliver',
    jobId: `deliver:${outbox.key}:${outbox.failedPasses}`,
    origin: outbox.origin,
    outboxKey: outbox.key,
    attempt: outbox.failedPasses,
    notBefore: notBefore.toISOString(),
  };
  try {
    await deps.continuation!.dispatch(job);
    return true;
  } catch (error) {
    deps.logger.error('Could not hand the pending posts to another invocation', {
      ...errorFields(error),
      key: outbox.key,
    });
    return false;
  }
}

/** For the asker, privately: what the thread lacks and why. */
function lostNotice(outbox: ThreadOutbox): string {
  const what = escapeMrkdwn(joinWithAnd(outbox.lost));
  const why = escapeMrkdwn(outbox.lostReason ?? 'Slack did not take it');
  return `:warning: why502 could not post ${what} for \`${escapeMrkdwn(outbox.parent.index)}\` in the thread: ${why}. Run /why502 again to get it.`;
}

function minutesSince(outbox: ThreadOutbox, deps: JobDeps): number {
  return Math.round((deps.clock.now().getTime() - new Date(outbox.createdAt).getTime()) / 60_000);
}
