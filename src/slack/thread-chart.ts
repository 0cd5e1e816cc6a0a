/**
 * The chart as a PNG at full resolution, shared in the thread after the verdict and the draft
 * (issue 12 item 2) with Slack's current upload flow. It is an extra: it never delays the
 * verdict or the draft (they are posted first), and a failure to draw or share it is one line
 * in the thread, not a failed job.
 */
import type { ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import type { ChartImage } from '../render/chart/render-chart.js';
import { hasMeasuredMinutes } from '../render/slack/chart-blocks.js';
import { failureNotice } from '../render/slack/notices.js';
import { errorFields } from './app-logger.js';
import type { JobBudget, JobDeps } from './job-context.js';
import { describeSlackError, type PostedMessage } from './slack-web.js';

/**
 * Draws a report's chart as a PNG. Injected (the worker and `why502 serve` pass renderChart), so
 * the `slack` Lambda function, which never runs jobs, does not carry Vega and resvg.
 */
export type ChartImageRenderer = (report: ReportJson, fmt: TimeFormatter) => Promise<ChartImage>;

/** Time the drawing and the three upload calls may need; with less left before the deadline it is skipped. */
export const CHART_UPLOAD_ALLOWANCE_MS = 30_000;

export type ChartOutcome = 'attached' | 'skipped' | 'failed';

export async function attachChartImage(
  deps: JobDeps,
  parent: PostedMessage,
  report: ReportJson,
  fmt: TimeFormatter,
  budget: Pick<JobBudget, 'deadline' | 'signal'>,
): Promise<ChartOutcome> {
  if (!deps.chartImage || !hasMeasuredMinutes(report, fmt)) return 'skipped';
  if (
    budget.signal?.aborted ||
    (budget.deadline && deps.clock.now().getTime() + CHART_UPLOAD_ALLOWANCE_MS > budget.deadline.getTime())
  ) {
    deps.logger.info('No time left to share the chart image', { channel: parent.channel, threadTs: parent.ts });
    return 'skipped';
  }
  let image: ChartImage;
  try {
    image = await deps.chartImage(report, fmt);
  } catch (error) {
    deps.logger.error('Could not draw the chart image', {
      ...errorFields(error),
      channel: parent.channel,
      threadTs: parent.ts,
    });
    await note(deps, parent, 'drawing it failed; the details are in the logs');
    return 'failed';
  }
  try {
    await deps.web.uploadToThreadOnce({
      channel: parent.channel,
      threadTs: parent.ts,
      bytes: image.bytes,
      filename: chartFilename(report, fmt),
      title: chartTitle(report, fmt),
      altText: image.altText,
    });
    return 'attached';
  } catch (error) {
    deps.logger.warn('Slack did not take the chart image', {
      ...errorFields(error),
      channel: parent.channel,
      threadTs: parent.ts,
    });
    await note(deps, parent, describeSlackError(error));
    return 'failed';
  }
}

/** "why502-prod_000_audio-0541-AEST.png": the index and the asked minute on the asked zone's clock. */
export function chartFilename(report: ReportJson, fmt: TimeFormatter): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  const clock = fmt.localClock(new Date(report.at)).replace(':', '');
  return `why502-${safe(report.index).slice(0, 80)}-${clock}-${safe(fmt.zoneLabel)}.png`;
}

/** "prod_000_audio · per minute, 04:11–07:11 AEST (18:11–21:11 UTC)" */
export function chartTitle(report: ReportJson, fmt: TimeFormatter): string {
  return `${report.index} · per minute, ${fmt.range(new Date(report.window.start), new Date(report.window.end))}`;
}

async function note(deps: JobDeps, parent: PostedMessage, reason: string): Promise<void> {
  try {
    await deps.web.postOnce(
      parent.channel,
      { text: failureNotice('I could not attach the chart image', reason), blocks: [] },
      { threadTs: parent.ts },
    );
  } catch (error) {
    deps.logger.warn('Could not say in the thread that the chart image is missing', {
      ...errorFields(error),
      channel: parent.channel,
    });
  }
}
