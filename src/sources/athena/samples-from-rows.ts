/**
 * Reads the rows of alb-samples.sql (up to the limit on each side of the asked minute) into the
 * report's samples, merged in the one order every provider uses (access-log-samples.ts). Pure.
 */
import type { AccessLogSample } from '../../core/report.js';
import { nearestSamples, sampleRequest } from '../../evidence/access-log-samples.js';
import type { AthenaRow } from './result-rows.js';

export function samplesFromRows(rows: readonly AthenaRow[], askedMinute: Date, limit: number): AccessLogSample[] {
  return nearestSamples(rows.map(sampleOfRow), askedMinute, limit);
}

function sampleOfRow(row: AthenaRow): AccessLogSample {
  const text = (name: string) => row[name] ?? null;
  const port = text('target_port');
  const targetGroup = text('target_group_arn');
  const traceId = text('trace_id');
  return {
    time: text('time') ?? '',
    elbStatusCode: Number(text('elb_status_code')),
    targetStatusCode: text('target_status_code') ?? '-',
    // The table splits "ip:port" in two; "-" (no target) leaves the port NULL.
    target: port === null ? '-' : `${text('target_ip') ?? ''}:${port}`,
    ...(targetGroup !== null && targetGroup !== '-' ? { targetGroup } : {}),
    request: sampleRequest(present(text('request_verb')), present(text('request_url'))),
    ...(traceId !== null && traceId !== '-' ? { traceId } : {}),
  };
}

/** ALB writes "-" for a request it could not parse; the table keeps it as text. */
function present(value: string | null): string | null {
  return value === null || value === '' || value === '-' ? null : value;
}
