/**
 * Pure: `aws cloudwatch get-metric-statistics … --statistics Maximum Average` output
 * (`{"Label": "CPUUtilization", "Datapoints": [{"Timestamp", "Maximum", "Average", "Unit"}]}`)
 * read as a resource series. The output carries both statistics per datapoint but not the
 * service: the file's name stands in for it ("search-api-cpu.json" → "search-api").
 */
import type { ResourceSeries } from '../change-event.js';
import { asObject, parseInstant } from '../cloudtrail/cloudtrail-record.js';

const METRICS: Record<string, ResourceSeries['metric']> = {
  CPUUtilization: 'cpu',
  MemoryUtilization: 'memory',
  pod_cpu_utilization_over_pod_limit: 'cpu',
  pod_memory_utilization_over_pod_limit: 'memory',
  pod_cpu_utilization: 'cpu',
  pod_memory_utilization: 'memory',
};

/** Null when the label is not a CPU or memory percentage this knows. */
export function readMetricStatistics(
  document: Record<string, unknown>,
  object: string,
  source: string,
): ResourceSeries | null {
  const label = String(document.Label ?? '');
  const metric = METRICS[label];
  if (!metric) return null;
  const points = (Array.isArray(document.Datapoints) ? document.Datapoints : [])
    .map(asObject)
    .map((point) => ({
      at: parseInstant(point.Timestamp),
      maximumPercent: numberOrNull(point.Maximum),
      averagePercent: numberOrNull(point.Average),
    }))
    .filter(
      (point): point is { at: Date; maximumPercent: number | null; averagePercent: number | null } => point.at !== null,
    )
    // get-metric-statistics returns datapoints in no particular order.
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const unit = label.startsWith('pod_') ? 'pod' : 'task';
  const series: ResourceSeries = {
    object,
    metric,
    unit,
    source: `${source} ${label}`,
    periodSeconds: periodOf(points.map((p) => p.at)),
    status: 'ok',
    points,
  };
  if (points.length === 0)
    return {
      ...series,
      status: 'unavailable',
      reason: `no ${label} datapoints in the file (no running tasks, or a period with no data): not 0`,
    };
  if (points.every((p) => p.maximumPercent === null))
    return {
      ...series,
      status: 'partial',
      reason: `the file has no Maximum statistic for ${label} (export it with --statistics Maximum Average)`,
    };
  return series;
}

/** The smallest step between datapoints, in seconds (60 for the usual 1-minute export). */
function periodOf(times: readonly Date[]): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++)
    smallest = Math.min(smallest, (times[i]!.getTime() - times[i - 1]!.getTime()) / 1000);
  return Number.isFinite(smallest) && smallest > 0 ? smallest : 60;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** "search-api-cpu.json" → "search-api"; "keepsakes.memory.json.gz" → "keepsakes". */
export function objectOfMetricFile(fileName: string): string {
  return fileName.replace(/(\.json)?(\.gz)?$/, '').replace(/[-_.](cpu|memory|mem)$/i, '') || fileName;
}
