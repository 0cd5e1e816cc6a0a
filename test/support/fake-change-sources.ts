/**
 * A local stand-in for the AWS services "what changed" reads, on 127.0.0.1 only, speaking the
 * wire protocols the installed SDK clients use (observed with a probe server):
 * - CloudTrail, AWS JSON 1.1: `X-Amz-Target: CloudTrail_20131101.LookupEvents` (the installed
 *   @aws-sdk/client-cloudtrail 3.1137 sends the short target; the botocore model's prefix
 *   `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.` is accepted too);
 * - ECS, AWS JSON 1.1: `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`;
 * - Elastic Load Balancing v2, the AWS Query protocol: form-encoded `Action=…&Version=2015-12-01`,
 *   answered in XML (`<…Response><…Result>`, errors as `<ErrorResponse><Error><Code>`);
 * - CloudWatch GetMetricData, AWS JSON 1.0: `X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`.
 * Timestamps go out as epoch seconds, as the JSON protocols send them. Signatures are not checked.
 *
 * It behaves as the services document (next-capabilities §4): LookupEvents takes exactly one
 * lookup attribute, MaxResults 1–50, answers newest first in pages with an opaque NextToken, and
 * throttles past 2 calls a second (on the stand-in's own `now`, so tests with a fake clock can
 * see it); DescribeServices takes at most 10 services and returns the latest 100 events;
 * ListTasks pages up to 100 and lists stopped tasks for an hour only; DescribeTasks takes at most
 * 100; GetMetricData has no datapoints for a series it does not hold. Faults on demand.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.js';

type Json = Record<string, unknown>;

export type FakeFault = 'ThrottlingException' | 'AccessDeniedException' | 'InternalFailure';

export interface FakeTargetGroup {
  arn: string;
  attributes: Record<string, string>;
  targets?: Array<{ id: string; port: number; state: string; reason?: string; description?: string }>;
}

export interface FakeMetricSeries {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: string;
  /** [epoch seconds, value] */
  points: Array<[number, number]>;
}

export interface FakeChangeSourcesOptions {
  /** The stand-in's clock in epoch ms (rate limits, stopped-task retention). Default Date.now. */
  now?: () => number;
  /** LookupEvents `Events[]` as `aws cloudtrail lookup-events` prints them (EventTime ISO). */
  cloudTrailEvents?: Json[];
  /** Calls a second before ThrottlingException. Default 2 (the documented rate). */
  cloudTrailRatePerSecond?: number;
  /** Per cluster: services and tasks as `aws ecs describe-services` / `describe-tasks` print them. */
  ecs?: Record<string, { services: Json[]; tasks: Json[] }>;
  loadBalancers?: Array<{ arn: string; attributes: Record<string, string> }>;
  targetGroups?: FakeTargetGroup[];
  metrics?: FakeMetricSeries[];
  /** Rows per LookupEvents page regardless of MaxResults (to force paging in tests). Default MaxResults. */
  cloudTrailPageSize?: number;
}

export interface FakeChangeSources {
  endpoint: string;
  /** Calls answered, by operation, faults and throttles included. */
  calls(): Record<string, number>;
  /** Request bodies received, by operation (parsed JSON, or the form fields for ELB). */
  requests(operation: string): Json[];
  /** LookupEvents calls refused for going past the rate. */
  throttled(): number;
  /** The next `times` calls of `operation` fail with `fault`. */
  failNext(operation: string, fault: FakeFault, times?: number): void;
  close(): Promise<void>;
}

const JSON_TARGETS: Record<string, string> = {
  'CloudTrail_20131101.LookupEvents': 'LookupEvents',
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents': 'LookupEvents',
  'AmazonEC2ContainerServiceV20141113.DescribeServices': 'DescribeServices',
  'AmazonEC2ContainerServiceV20141113.ListTasks': 'ListTasks',
  'AmazonEC2ContainerServiceV20141113.DescribeTasks': 'DescribeTasks',
  'GraniteServiceVersion20100801.GetMetricData': 'GetMetricData',
};

/** Fields the CLI prints as ISO text that the API sends as epoch seconds. */
const TIME_FIELDS = new Set([
  'EventTime',
  'createdAt',
  'updatedAt',
  'stoppedAt',
  'stoppingAt',
  'startedAt',
  'executionStoppedAt',
  'pullStartedAt',
  'pullStoppedAt',
  'connectivityAt',
  'finishedAt',
]);
const STOPPED_TASKS_KEPT_MS = 60 * 60_000;
const MAX_SERVICE_EVENTS = 100;

export async function startFakeChangeSources(options: FakeChangeSourcesOptions): Promise<FakeChangeSources> {
  const now = options.now ?? Date.now;
  const counts: Record<string, number> = {};
  const bodies: Record<string, Json[]> = {};
  const faults = new Map<string, FakeFault[]>();
  const lookupTimes: number[] = [];
  let throttled = 0;

  const jsonError = (code: string, message: string, status = 400): [number, Json] => [
    status,
    { __type: code, message },
  ];

  const handlers: Record<string, (body: Json) => [number, Json]> = {
    LookupEvents: (body) => {
      const rate = options.cloudTrailRatePerSecond ?? 2;
      const t = now();
      while (lookupTimes.length > 0 && lookupTimes[0]! <= t - 1000) lookupTimes.shift();
      if (lookupTimes.length >= rate) {
        throttled++;
        return jsonError('ThrottlingException', 'Rate exceeded');
      }
      lookupTimes.push(t);
      const attributes = (body.LookupAttributes as Json[] | undefined) ?? [];
      if (attributes.length > 1)
        return jsonError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
      const maxResults = Number(body.MaxResults ?? 50);
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50)
        return jsonError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
      const start = body.StartTime === undefined ? Number.NEGATIVE_INFINITY : Number(body.StartTime);
      const end = body.EndTime === undefined ? Number.POSITIVE_INFINITY : Number(body.EndTime);
      if (start > end) return jsonError('InvalidTimeRangeException', 'StartTime must be before EndTime.');
      const [attribute] = attributes;
      const matching = (options.cloudTrailEvents ?? [])
        .map((event) => ({ event, at: Date.parse(String(event.EventTime)) / 1000 }))
        .filter(({ at }) => at >= start && at <= end)
        .filter(
          ({ event }) =>
            !attribute || matchesAttribute(event, String(attribute.AttributeKey), String(attribute.AttributeValue)),
        )
        // "Events are returned in reverse chronological order": newest first.
        .sort((a, b) => b.at - a.at);
      const query = JSON.stringify([attribute, start, end]);
      let offset = 0;
      if (typeof body.NextToken === 'string') {
        const [tokenQuery, tokenOffset] = decodeToken(body.NextToken);
        if (tokenQuery !== query) return jsonError('InvalidNextTokenException', 'A token you provided is not valid.');
        offset = tokenOffset;
      }
      const size = Math.min(maxResults, options.cloudTrailPageSize ?? maxResults);
      const page = matching.slice(offset, offset + size).map(({ event }) => toWire(event));
      const next = offset + size < matching.length ? { NextToken: encodeToken(query, offset + size) } : {};
      return [200, { Events: page, ...next }];
    },
    DescribeServices: (body) => {
      const cluster = options.ecs?.[shortName(String(body.cluster ?? 'default'))];
      if (!cluster) return jsonError('ClusterNotFoundException', 'Cluster not found.');
      const names = (body.services as string[] | undefined) ?? [];
      if (names.length === 0 || names.length > 10)
        return jsonError('InvalidParameterException', 'services must contain between 1 and 10 services.');
      const services: Json[] = [];
      const failures: Json[] = [];
      for (const name of names) {
        const service = cluster.services.find((s) => s.serviceName === shortName(name));
        if (!service) {
          failures.push({
            arn: `arn:aws:ecs:ap-southeast-2:123456789012:service/${String(body.cluster)}/${name}`,
            reason: 'MISSING',
          });
          continue;
        }
        const events = ((service.events as Json[] | undefined) ?? []).slice(0, MAX_SERVICE_EVENTS);
        services.push(toWire({ ...service, events }) as Json);
      }
      return [200, { services, failures }];
    },
    ListTasks: (body) => {
      const cluster = options.ecs?.[shortName(String(body.cluster ?? 'default'))];
      if (!cluster) return jsonError('ClusterNotFoundException', 'Cluster not found.');
      const maxResults = Number(body.maxResults ?? 100);
      if (maxResults < 1 || maxResults > 100)
        return jsonError('InvalidParameterException', 'maxResults must be between 1 and 100.');
      const wanted = String(body.desiredStatus ?? 'RUNNING');
      const service = body.serviceName ? `service:${String(body.serviceName)}` : null;
      const arns = cluster.tasks
        .filter((task) => (service ? task.group === service : true))
        .filter((task) =>
          wanted === 'STOPPED' ? task.lastStatus === 'STOPPED' && listable(task, now()) : task.lastStatus !== 'STOPPED',
        )
        .map((task) => String(task.taskArn));
      const offset = typeof body.nextToken === 'string' ? Number(body.nextToken.split(':')[1]) : 0;
      const next = offset + maxResults < arns.length ? { nextToken: `lt:${offset + maxResults}` } : {};
      return [200, { taskArns: arns.slice(offset, offset + maxResults), ...next }];
    },
    DescribeTasks: (body) => {
      const cluster = options.ecs?.[shortName(String(body.cluster ?? 'default'))];
      if (!cluster) return jsonError('ClusterNotFoundException', 'Cluster not found.');
      const arns = (body.tasks as string[] | undefined) ?? [];
      if (arns.length === 0 || arns.length > 100)
        return jsonError('InvalidParameterException', 'tasks must contain between 1 and 100 tasks.');
      const tasks: Json[] = [];
      const failures: Json[] = [];
      for (const arn of arns) {
        const task = cluster.tasks.find((t) => t.taskArn === arn);
        if (task && listable(task, now())) tasks.push(toWire(task) as Json);
        else failures.push({ arn, reason: 'MISSING' });
      }
      return [200, { tasks, failures }];
    },
    GetMetricData: (body) => {
      const queries = (body.MetricDataQueries as Json[] | undefined) ?? [];
      const start = Number(body.StartTime);
      const end = Number(body.EndTime);
      const results = queries.map((query) => {
        const stat = query.MetricStat as Json;
        const metric = stat.Metric as Json;
        const dimensions = Object.fromEntries(
          ((metric.Dimensions as Json[] | undefined) ?? []).map((d) => [String(d.Name), String(d.Value)]),
        );
        const series = (options.metrics ?? []).find(
          (s) =>
            s.namespace === metric.Namespace &&
            s.metricName === metric.MetricName &&
            s.stat === stat.Stat &&
            sameDimensions(s.dimensions, dimensions),
        );
        const points = (series?.points ?? []).filter(([t]) => t >= start && t < end).sort((a, b) => a[0] - b[0]);
        return {
          Id: query.Id,
          Label: String(metric.MetricName),
          Timestamps: points.map(([t]) => t),
          Values: points.map(([, v]) => v),
          StatusCode: 'Complete',
        };
      });
      return [200, { MetricDataResults: results, Messages: [] }];
    },
  };

  const elbHandlers: Record<string, (form: URLSearchParams) => [number, string]> = {
    DescribeLoadBalancers: (form) => {
      const names = members(form, 'Names');
      const found = (options.loadBalancers ?? []).filter((lb) => names.length === 0 || names.includes(lbName(lb.arn)));
      if (names.length > 0 && found.length < names.length)
        return elbError('LoadBalancerNotFound', 'One or more load balancers not found', 400);
      const items = found.map(
        (lb) =>
          `<member><LoadBalancerArn>${lb.arn}</LoadBalancerArn><LoadBalancerName>${lbName(lb.arn)}</LoadBalancerName><Type>application</Type><Scheme>internet-facing</Scheme><State><Code>active</Code></State></member>`,
      );
      return [200, elbResult('DescribeLoadBalancers', `<LoadBalancers>${items.join('')}</LoadBalancers>`)];
    },
    DescribeLoadBalancerAttributes: (form) => {
      const lb = (options.loadBalancers ?? []).find((l) => l.arn === form.get('LoadBalancerArn'));
      if (!lb) return elbError('LoadBalancerNotFound', 'One or more load balancers not found', 400);
      return [200, elbResult('DescribeLoadBalancerAttributes', attributesXml(lb.attributes))];
    },
    DescribeTargetGroups: (form) => {
      const names = members(form, 'Names');
      const found = (options.targetGroups ?? []).filter(
        (tg) => names.length === 0 || names.includes(tg.arn.split('/')[1]!),
      );
      if (names.length > 0 && found.length < names.length)
        return elbError('TargetGroupNotFound', 'One or more target groups not found', 400);
      const items = found.map(
        (tg) =>
          `<member><TargetGroupArn>${tg.arn}</TargetGroupArn><TargetGroupName>${tg.arn.split('/')[1]}</TargetGroupName><Protocol>HTTP</Protocol><Port>8080</Port><TargetType>ip</TargetType></member>`,
      );
      return [200, elbResult('DescribeTargetGroups', `<TargetGroups>${items.join('')}</TargetGroups>`)];
    },
    DescribeTargetGroupAttributes: (form) => {
      const tg = (options.targetGroups ?? []).find((t) => t.arn === form.get('TargetGroupArn'));
      if (!tg) return elbError('TargetGroupNotFound', 'One or more target groups not found', 400);
      return [200, elbResult('DescribeTargetGroupAttributes', attributesXml(tg.attributes))];
    },
    DescribeTargetHealth: (form) => {
      const tg = (options.targetGroups ?? []).find((t) => t.arn === form.get('TargetGroupArn'));
      if (!tg) return elbError('TargetGroupNotFound', 'One or more target groups not found', 400);
      const items = (tg.targets ?? []).map(
        (t) =>
          `<member><HealthCheckPort>${t.port}</HealthCheckPort><Target><Id>${t.id}</Id><Port>${t.port}</Port></Target><TargetHealth><State>${t.state}</State>` +
          `${t.reason ? `<Reason>${t.reason}</Reason>` : ''}${t.description ? `<Description>${escapeXml(t.description)}</Description>` : ''}</TargetHealth></member>`,
      );
      return [
        200,
        elbResult('DescribeTargetHealth', `<TargetHealthDescriptions>${items.join('')}</TargetHealthDescriptions>`),
      ];
    },
  };

  const server = createServer((request, response) => {
    void answer(request, response);
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target) return answerJson(target, text, response);
    const form = new URLSearchParams(text);
    const action = form.get('Action') ?? '';
    count(action, Object.fromEntries(form.entries()));
    const fault = takeFault(action);
    const handler = elbHandlers[action];
    const [status, xml] = fault
      ? elbFault(fault)
      : handler
        ? handler(form)
        : elbError('InvalidAction', `unsupported action ${action}`, 400);
    response.writeHead(status, { 'content-type': 'text/xml' });
    response.end(xml);
  }

  function answerJson(target: string, text: string, response: ServerResponse): void {
    const operation = JSON_TARGETS[target];
    const body = JSON.parse(text || '{}') as Json;
    let status = 400;
    let payload: Json = { __type: 'UnknownOperationException', message: `unsupported operation ${target}` };
    if (operation) {
      count(operation, body);
      const fault = takeFault(operation);
      [status, payload] = fault ? jsonFault(fault) : handlers[operation]!(body);
    }
    response.writeHead(status, {
      'content-type': target.startsWith('Granite') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
    });
    response.end(JSON.stringify(payload));
  }

  function count(operation: string, body: Json): void {
    counts[operation] = (counts[operation] ?? 0) + 1;
    bodies[operation] = [...(bodies[operation] ?? []), body];
  }

  function takeFault(operation: string): FakeFault | undefined {
    return faults.get(operation)?.shift();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => ({ ...counts }),
    requests: (operation) => [...(bodies[operation] ?? [])],
    throttled: () => throttled,
    failNext: (operation, fault, times = 1) =>
      faults.set(operation, [...(faults.get(operation) ?? []), ...Array.from({ length: times }, () => fault)]),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function matchesAttribute(event: Json, key: string, value: string): boolean {
  switch (key) {
    case 'EventSource':
      return event.EventSource === value;
    case 'EventName':
      return event.EventName === value;
    case 'ReadOnly':
      return event.ReadOnly === value;
    case 'Username':
      return event.Username === value;
    case 'ResourceName':
      return ((event.Resources as Json[] | undefined) ?? []).some((r) => r.ResourceName === value);
    default:
      return false;
  }
}

/** ECS lists a stopped task for about an hour after it stopped. */
function listable(task: Json, nowMs: number): boolean {
  if (task.lastStatus !== 'STOPPED') return true;
  const stoppedAt = Date.parse(String(task.stoppedAt));
  return Number.isNaN(stoppedAt) || nowMs - stoppedAt <= STOPPED_TASKS_KEPT_MS;
}

/** CLI-printed JSON as the API sends it: ISO times as epoch seconds. */
function toWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([key, field]) => [
      key,
      TIME_FIELDS.has(key) && typeof field === 'string' ? Date.parse(field) / 1000 : toWire(field),
    ]),
  );
}

function encodeToken(query: string, offset: number): string {
  return Buffer.from(JSON.stringify([query, offset])).toString('base64');
}

function decodeToken(token: string): [string, number] {
  try {
    const [query, offset] = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as [string, number];
    return [query, offset];
  } catch {
    return ['', 0];
  }
}

function shortName(nameOrArn: string): string {
  return nameOrArn.split('/').at(-1)!;
}

function lbName(arn: string): string {
  return arn.split('/').at(-2)!;
}

function sameDimensions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Query-protocol lists: Names.member.1, Names.member.2, … */
function members(form: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; form.has(`${name}.member.${i}`); i++) out.push(form.get(`${name}.member.${i}`)!);
  return out;
}

const ELB_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

function elbResult(action: string, inner: string): string {
  return `<${action}Response xmlns="${ELB_NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>6c1f2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b</RequestId></ResponseMetadata></${action}Response>`;
}

function elbError(code: string, message: string, status: number): [number, string] {
  return [
    status,
    `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>7d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a</RequestId></ErrorResponse>`,
  ];
}

function elbFault(fault: FakeFault): [number, string] {
  if (fault === 'ThrottlingException') return elbError('Throttling', 'Rate exceeded', 400);
  if (fault === 'AccessDeniedException')
    return elbError(
      'AccessDenied',
      'User: arn:aws:sts::123456789012:assumed-role/why502/worker is not authorized to perform this operation',
      403,
    );
  return [
    500,
    `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>internal error</Message></Error><RequestId>x</RequestId></ErrorResponse>`,
  ];
}

function jsonFault(fault: FakeFault): [number, Json] {
  if (fault === 'ThrottlingException') return [400, { __type: 'ThrottlingException', message: 'Rate exceeded' }];
  if (fault === 'AccessDeniedException')
    return [
      400,
      {
        __type: 'AccessDeniedException',
        message:
          'User: arn:aws:sts::123456789012:assumed-role/why502/worker is not authorized to perform this operation',
      },
    ];
  return [500, { __type: 'InternalFailure', message: 'internal error' }];
}

function attributesXml(attributes: Record<string, string>): string {
  return `<Attributes>${Object.entries(attributes)
    .map(([key, value]) => `<member><Key>${key}</Key><Value>${escapeXml(value)}</Value></member>`)
    .join('')}</Attributes>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
