/**
 * `--events <file>`: what a team exported — Kubernetes events and pods, CloudTrail, ECS, ELB
 * attributes, CloudWatch statistics — read as change evidence for the window (plus the margin
 * before it). The shape is told by content; a file of another shape is one clear error that
 * names the shapes known. Plain or gzip (told by its first bytes).
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SourceStatus, TimeWindow } from '../../core/types.js';
import { LogFileError } from '../../errors.js';
import { printableText } from '../../files/printable-text.js';
import {
  type ChangeEvent,
  type ChangeEvidence,
  emptyChangeEvidence,
  mergeChangeEvidence,
  type ResourceSeries,
} from '../change-event.js';
import type { ChangeScope } from '../change-scope.js';
import { describeTally, readCloudTrailRecords, recordOfLookupEvent } from '../cloudtrail/cloudtrail-events.js';
import { readEcsServices } from '../ecs/ecs-service-events.js';
import { readStoppedTasks } from '../ecs/ecs-stopped-task.js';
import { readKubernetesEvents } from '../kubernetes/kubernetes-events.js';
import { readKubernetesPods } from '../kubernetes/kubernetes-pods.js';
import {
  type DetectedShape,
  detectEventsShape,
  EVENTS_FILE_SHAPES,
  EVENTS_SOURCE_LABELS,
} from './events-file-shape.js';
import { objectOfMetricFile, readMetricStatistics } from './metric-statistics-file.js';
import { objectOfAttributesFile, readAttributeSettings } from './settings-file.js';

/** An events file that cannot be read or is not a shape we know. */
export class EventsFileError extends LogFileError {
  override name = 'EventsFileError';
}

export interface EventsFileOptions {
  window: TimeWindow;
  /** Minutes before the window that count too (aws.changes.marginMinutes). */
  marginMinutes: number;
  /** Only CloudTrail records touching these are kept; an open scope keeps all. */
  scope: ChangeScope;
  /** Larger files are refused before reading. Default 256 MiB. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 256 << 20;
/** Changes this long after the window's end are kept: sources record some of them late. */
const AFTER_WINDOW_MINUTES = 5;
const MINUTE_MS = 60_000;

/** Reads every file; each becomes one source in the answer. */
export async function readEventsFiles(paths: readonly string[], options: EventsFileOptions): Promise<ChangeEvidence> {
  const parts: ChangeEvidence[] = [];
  for (const file of paths) parts.push(await readEventsFile(file, options));
  return mergeChangeEvidence(parts);
}

export async function readEventsFile(file: string, options: EventsFileOptions): Promise<ChangeEvidence> {
  const name = path.basename(file);
  const bytes = await readBounded(file, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const text = isGzip(bytes) ? gunzip(bytes, name).toString('utf8') : bytes.toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new EventsFileError(
      `Events file ${printableText(name)} is not JSON (${printableText(error instanceof Error ? error.message : String(error))}).`,
      knownShapesHint(),
    );
  }
  return eventsFromDocument(document, name, options);
}

/** Pure: one parsed document as change evidence, or EventsFileError when its shape is unknown. */
export function eventsFromDocument(document: unknown, fileName: string, options: EventsFileOptions): ChangeEvidence {
  const shape = detectEventsShape(document);
  if (!shape) {
    throw new EventsFileError(
      `Events file ${printableText(fileName)} is not an export why502 knows.`,
      knownShapesHint(),
    );
  }
  const doc = document as Record<string, unknown>;
  const source = `${shapeLabel(shape)} (${printableText(fileName)})`;
  const parsed = parseShape(shape, doc, fileName, source, options);
  return withinRange(parsed, shape, source, options);
}

interface Parsed {
  changes: ChangeEvent[];
  resources: ResourceSeries[];
  settings: ChangeEvidence['settings'];
  notes: string[];
  /** A limit of the export that makes the source partial. */
  partial?: string;
  detail?: string;
}

function parseShape(
  shape: DetectedShape,
  doc: Record<string, unknown>,
  fileName: string,
  source: string,
  options: EventsFileOptions,
): Parsed {
  const empty: Parsed = { changes: [], resources: [], settings: {}, notes: [] };
  switch (shape) {
    case 'empty_kubectl_list':
      return { ...empty, notes: [KUBERNETES_RETENTION] };
    case 'kubernetes_events':
      return {
        ...empty,
        changes: readKubernetesEvents(doc.items as unknown[], source),
        notes: [KUBERNETES_RETENTION],
      };
    case 'kubernetes_pods':
      return {
        ...empty,
        changes: readKubernetesPods(doc.items as unknown[], source),
        notes: ['kubectl get pods shows only the last termination of each container: earlier kills are not in it.'],
      };
    case 'cloudtrail_lookup': {
      const reading = readCloudTrailRecords((doc.Events as unknown[]).map(recordOfLookupEvent), options.scope, source);
      const cut =
        typeof doc.NextToken === 'string'
          ? 'the export ends with a NextToken: more events were not exported (page with --starting-token, or export the whole range)'
          : undefined;
      return {
        ...empty,
        changes: reading.changes,
        detail: describeTally(reading.tally),
        ...(cut ? { partial: cut } : {}),
      };
    }
    case 'cloudtrail_records': {
      const reading = readCloudTrailRecords(doc.Records as unknown[], options.scope, source);
      return { ...empty, changes: reading.changes, detail: describeTally(reading.tally) };
    }
    case 'ecs_services':
      return ecsServices(doc, source, options);
    case 'ecs_tasks':
      return { ...empty, changes: readStoppedTasks(doc.tasks as unknown[], source), notes: [ECS_STOPPED_TASKS] };
    case 'elb_attributes':
      return {
        ...empty,
        settings: readAttributeSettings(doc.Attributes as unknown[], objectOfAttributesFile(fileName), source),
      };
    case 'metric_statistics': {
      const series = readMetricStatistics(doc, objectOfMetricFile(fileName), source);
      if (!series)
        throw new EventsFileError(
          `Events file ${printableText(fileName)} holds ${printableText(String(doc.Label))} statistics; only CPU and memory utilisation are read.`,
          knownShapesHint(),
        );
      return { ...empty, resources: [series] };
    }
  }
}

function ecsServices(doc: Record<string, unknown>, source: string, options: EventsFileOptions): Parsed {
  const reading = readEcsServices(doc.services as unknown[], source);
  const from = new Date(options.window.start.getTime() - options.marginMinutes * MINUTE_MS);
  // "A maximum of 100 of the latest events are displayed": a full list that starts after the
  // range began may have lost the events that matter.
  const cut = reading.eventSpans.filter(({ events, oldest }) => events >= 100 && oldest !== null && oldest > from);
  const partial =
    cut.length > 0
      ? cut
          .map(
            ({ service, oldest }) =>
              `ECS keeps only the latest 100 events of ${service}; the oldest is from ${oldest!.toISOString()}, after the range began`,
          )
          .join('; ')
      : undefined;
  const failures = Array.isArray(doc.failures) ? doc.failures.length : 0;
  return {
    changes: reading.changes,
    resources: [],
    settings:
      Object.keys(reading.serviceTargetGroups).length > 0 ? { serviceTargetGroups: reading.serviceTargetGroups } : {},
    notes: [],
    ...(partial ? { partial } : {}),
    ...(failures > 0 ? { detail: `${failures} service(s) listed under failures (MISSING or inactive)` } : {}),
  };
}

/** Keeps what falls in [window start − margin, window end + 5 min] and says what the file held. */
function withinRange(parsed: Parsed, shape: DetectedShape, source: string, options: EventsFileOptions): ChangeEvidence {
  const fromMs = options.window.start.getTime() - options.marginMinutes * MINUTE_MS;
  const toMs = options.window.end.getTime() + AFTER_WINDOW_MINUTES * MINUTE_MS;
  const inRange = (at: Date) => at.getTime() >= fromMs && at.getTime() <= toMs;
  const changes = parsed.changes.filter((change) => inRange(change.at)).sort((a, b) => a.at.getTime() - b.at.getTime());
  const resources = parsed.resources.map((series) => ({
    ...series,
    points: series.points.filter((point) => inRange(point.at)),
  }));
  const counted =
    shape === 'elb_attributes'
      ? 'settings'
      : shape === 'metric_statistics'
        ? `${resources[0]?.points.length ?? 0} datapoints in range`
        : `${changes.length} changes in range of ${parsed.changes.length} read`;
  const detail = [counted, parsed.detail, parsed.partial].filter(Boolean).join('; ');
  const status: SourceStatus = { name: source, status: parsed.partial ? 'partial' : 'complete', detail };
  const notes = [...parsed.notes];
  if (parsed.changes.length > 0 && changes.length === 0)
    notes.push(
      `${source}: none of its ${parsed.changes.length} changes falls between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}; was it exported for another time?`,
    );
  return { ...emptyChangeEvidence(), changes, resources, settings: parsed.settings, sources: [status], notes };
}

const KUBERNETES_RETENTION =
  'Kubernetes keeps events for 1 hour by default (kube-apiserver --event-ttl): an export taken more than an hour after the errors no longer holds them.';
const ECS_STOPPED_TASKS = 'ECS lists stopped tasks for about an hour after they stop: an older export may miss some.';

function shapeLabel(shape: DetectedShape): string {
  return shape === 'empty_kubectl_list' ? 'empty kubectl list' : EVENTS_SOURCE_LABELS[shape];
}

function knownShapesHint(): string {
  return `Known exports: ${Object.values(EVENTS_FILE_SHAPES).join('; ')}.`;
}

async function readBounded(file: string, maxBytes: number): Promise<Buffer> {
  const shown = printableText(file);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EventsFileError(
      `Cannot open events file ${shown}${code ? ` (${code})` : ''}.`,
      'Check the path given to --events.',
    );
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new EventsFileError(
        `Events file ${shown} is not a regular file.`,
        'Pass a file exported as JSON to --events.',
      );
    if (info.size > maxBytes)
      throw new EventsFileError(
        `Events file ${shown} is ${Math.ceil(info.size / 1048576)} MiB; at most ${maxBytes >> 20} MiB is read.`,
        'Export a shorter time range.',
      );
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Buffer, name: string): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: DEFAULT_MAX_BYTES * 4 });
  } catch (error) {
    throw new EventsFileError(
      `Events file ${printableText(name)} is a damaged gzip file (${printableText(error instanceof Error ? error.message : String(error))}).`,
      'Download it again.',
    );
  }
}
