/**
 * Pure: which export a `--events` file is, told by its content (never by its name): each tool
 * writes one JSON document of a known shape.
 */

/** The shapes read, with how people produce them (the error for an unknown file lists these). */
export const EVENTS_FILE_SHAPES = {
  kubernetes_events: 'kubectl get events -A -o json',
  kubernetes_pods: 'kubectl get pods -A -o json',
  cloudtrail_lookup: 'aws cloudtrail lookup-events',
  cloudtrail_records: 'a CloudTrail log file from S3 ({"Records": [...]}, .json or .json.gz)',
  ecs_services: 'aws ecs describe-services',
  ecs_tasks: 'aws ecs describe-tasks',
  elb_attributes: 'aws elbv2 describe-load-balancer-attributes or describe-target-group-attributes',
  metric_statistics:
    'aws cloudwatch get-metric-statistics --statistics Maximum Average (CPUUtilization or MemoryUtilization)',
} as const;

export type EventsFileShape = keyof typeof EVENTS_FILE_SHAPES;

/** Short names for the answer's source list ("kubectl events (events.json)"). */
export const EVENTS_SOURCE_LABELS: Record<EventsFileShape, string> = {
  kubernetes_events: 'kubectl events',
  kubernetes_pods: 'kubectl pods',
  cloudtrail_lookup: 'CloudTrail lookup-events',
  cloudtrail_records: 'CloudTrail log file',
  ecs_services: 'ECS describe-services',
  ecs_tasks: 'ECS describe-tasks',
  elb_attributes: 'ELB attributes',
  metric_statistics: 'CloudWatch statistics',
};

/** A kubectl list with no items: events or pods, it cannot be told, and it holds nothing. */
export type DetectedShape = EventsFileShape | 'empty_kubectl_list';

type Json = Record<string, unknown>;

export function detectEventsShape(document: unknown): DetectedShape | null {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return null;
  const doc = document as Json;
  if (Array.isArray(doc.Records) && every(doc.Records, (r) => 'eventName' in r || 'eventSource' in r))
    return 'cloudtrail_records';
  if (Array.isArray(doc.Events) && every(doc.Events, (e) => 'EventName' in e || 'CloudTrailEvent' in e))
    return 'cloudtrail_lookup';
  if (Array.isArray(doc.services) && every(doc.services, (s) => 'serviceName' in s || 'serviceArn' in s))
    return 'ecs_services';
  if (Array.isArray(doc.tasks) && every(doc.tasks, (t) => 'taskArn' in t)) return 'ecs_tasks';
  if (Array.isArray(doc.Attributes) && every(doc.Attributes, (a) => 'Key' in a)) return 'elb_attributes';
  if (Array.isArray(doc.Datapoints) && typeof doc.Label === 'string') return 'metric_statistics';
  if (Array.isArray(doc.items)) return kubectlList(doc);
  return null;
}

function kubectlList(doc: Json): DetectedShape | null {
  const items = doc.items as unknown[];
  if (doc.kind === 'EventList') return 'kubernetes_events';
  if (doc.kind === 'PodList') return 'kubernetes_pods';
  if (items.length === 0) return doc.kind === 'List' ? 'empty_kubectl_list' : null;
  if (every(items, (i) => i.kind === 'Event' || 'involvedObject' in i || 'regarding' in i)) return 'kubernetes_events';
  if (
    every(
      items,
      (i) => i.kind === 'Pod' || ('spec' in i && 'status' in i && 'containers' in ((i.spec as Json | null) ?? {})),
    )
  )
    return 'kubernetes_pods';
  return null;
}

/** Every entry is an object that passes `test` (an empty list passes: the key alone decides). */
function every(list: unknown, test: (entry: Json) => boolean): boolean {
  return (
    Array.isArray(list) &&
    list.every((entry) => typeof entry === 'object' && entry !== null && !Array.isArray(entry) && test(entry as Json))
  );
}
