/** The report as the one JSON document `--format json` prints (CONTRACT §6). Pure. */
import type { ReportJson } from '../core/report.js';

export function renderJson(report: ReportJson): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
