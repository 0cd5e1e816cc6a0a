/**
 * The incident's per-minute picture in the verdict message (issue 12): Slack's native chart
 * block where the workspace takes it, text sparklines where it does not. Pure.
 */
import type { ReportJson } from '../../core/report.js';
import type { TimeFormatter } from '../../core/types.js';
import { buildChartModel } from '../chart/build-chart-model.js';
import { buildSlackChartBlock, checkSlackChartBlock, type SlackChart } from '../chart/slack-chart-block.js';
import { renderSlackSparklines } from '../chart/slack-sparklines.js';
import { context, escapeMrkdwn, mrkdwnSection, type PrioritisedBlock } from './block-kit.js';

export const CHART_BLOCK_ID = 'why502_chart';

/** The chart block, or null when there is nothing to chart or the block would break Slack's limits. */
export function slackChartFor(report: ReportJson, fmt: TimeFormatter): SlackChart | null {
  const chart = buildSlackChartBlock(report, fmt, { blockId: CHART_BLOCK_ID });
  if (!chart || checkSlackChartBlock(chart.block).length > 0) return null;
  return chart;
}

/** True when some series the chart would show has at least one measured minute. */
export function hasMeasuredMinutes(report: ReportJson, fmt: TimeFormatter): boolean {
  return buildChartModel(report, fmt).panels.some((panel) =>
    panel.series.some((s) => s.values.some((v) => v !== null)),
  );
}

/** The chart block, with a line naming the series it had to leave out (a minute in its span unmeasured). */
export function chartBlocks(chart: SlackChart): PrioritisedBlock[] {
  const blocks: PrioritisedBlock[] = [{ block: chart.block, optional: true }];
  if (chart.omitted.length > 0) {
    blocks.push({
      block: context(
        `:warning: Not in the chart (some of its minutes were not measured): ${escapeMrkdwn(chart.omitted.join('; '))}`,
      ),
      optional: true,
    });
  }
  return blocks;
}

/** The sparklines as mrkdwn (a caption and a code block), or null when no minute was measured. */
export function sparklineText(report: ReportJson, fmt: TimeFormatter): string | null {
  if (!hasMeasuredMinutes(report, fmt)) return null;
  const text = renderSlackSparklines(report, fmt);
  return text === '' ? null : text;
}

export function sparklineBlocks(report: ReportJson, fmt: TimeFormatter): PrioritisedBlock[] {
  const text = sparklineText(report, fmt);
  return text ? [{ block: mrkdwnSection(text), optional: true }] : [];
}
