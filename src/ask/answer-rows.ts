/**
 * "@why502 rows": the access-log rows of the index's LB-minted 5xx nearest the asked minute
 * (CONTRACT §9), for the engineer's eyes. Every field is log text: it goes into a table cell,
 * which each renderer escapes (render-answer-*.ts). Pure.
 */
import type { AccessLogSample, ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import { type AnswerDocument, code, note, paragraph, table } from './answer-document.js';

export interface RowsAnswer {
  kind: 'rows';
  /** Null when the report has no samples (they were not read). */
  samples: AccessLogSample[] | null;
  document: AnswerDocument;
}

export function answerRows(report: ReportJson, fmt: TimeFormatter): RowsAnswer {
  const asked = fmt.minute(new Date(report.at));
  if (!report.samples) {
    return {
      kind: 'rows',
      samples: null,
      document: {
        title: `Rows · ${report.index}`,
        blocks: [
          paragraph(
            'The access-log rows were not read for this report: they come from the ALB access logs (files, or the Athena sample query); CloudWatch metrics and proxy logs have no rows of LB-minted errors.',
          ),
        ],
      },
    };
  }
  if (report.samples.length === 0) {
    return {
      kind: 'rows',
      samples: [],
      document: {
        title: `Rows · ${report.index}`,
        blocks: [paragraph('The access logs had no LB-minted 5xx for ', code(report.index), ' in the window.')],
      },
    };
  }
  const groups = new Set(report.samples.map((sample) => shortTargetGroup(sample.targetGroup)));
  // One target group for every row (the usual case): named once in the title, not in each row.
  const oneGroup = groups.size === 1 ? [...groups][0]! : null;
  const rows = report.samples.map((sample) => [
    fmt.localClock(new Date(sample.time)),
    sample.time,
    String(sample.elbStatusCode),
    sample.targetStatusCode,
    sample.target,
    ...(oneGroup === null ? [shortTargetGroup(sample.targetGroup)] : []),
    sample.request,
    sample.traceId ?? '-',
  ]);
  const header = [
    fmt.zoneLabel,
    'time (as logged, UTC)',
    'elb',
    'target status',
    'target',
    ...(oneGroup === null ? ['target group'] : []),
    'request',
    'trace id',
  ];
  const where = oneGroup !== null && oneGroup !== '-' ? ` · target group ${oneGroup}` : '';
  return {
    kind: 'rows',
    samples: report.samples,
    document: {
      title: `Rows · ${report.index} · ${report.samples.length} LB-minted 5xx nearest ${asked}${where}`,
      blocks: [
        table(header, rows),
        note(
          'Target status "-": the target never answered; the load balancer answered itself. Nearest the asked minute first. Never sent to a model or into a customer draft.',
        ),
      ],
    },
  };
}

/** "targetgroup/k8s-prod000audio/0123456789abcdef" (or its ARN) → "k8s-prod000audio"; "-" when absent. */
function shortTargetGroup(arn: string | undefined): string {
  if (!arn) return '-';
  const parts = arn.split('/');
  return parts.length >= 3 ? parts[parts.length - 2]! : arn;
}
