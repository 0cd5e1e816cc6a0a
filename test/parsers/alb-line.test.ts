import { describe, expect, it } from 'vitest';
import { ALB_FIELD_NAMES } from '../../src/parsers/alb-fields.js';
import { type AlbRecord, parseAlbLineFields, parseLbLine, requestPath } from '../../src/parsers/alb-line.js';

// Hand-written lines, built from the documented field list (domain.md §1.2), not copied from logs.
type AlbFieldName = (typeof ALB_FIELD_NAMES)[number];

/** A current (33-field) ALB line, field by field as written, quotes included. */
const CURRENT_FIELDS: Record<AlbFieldName, string> = {
  type: 'https',
  time: '2026-08-21T03:15:42.118211Z',
  elb: 'app/prod-alb/50dc6c495c0c9188',
  'client:port': '203.0.113.7:51234',
  'target:port': '10.0.2.15:8080',
  request_processing_time: '0.001',
  target_processing_time: '0.052',
  response_processing_time: '0.000',
  elb_status_code: '200',
  target_status_code: '200',
  received_bytes: '412',
  sent_bytes: '293',
  request: '"GET https://api.example.com:443/v1/search?q=x HTTP/1.1"',
  user_agent: '"curl/8.5.0"',
  ssl_cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
  ssl_protocol: 'TLSv1.2',
  target_group_arn: 'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/api/73e2d6bc24d8a067',
  trace_id: '"Root=1-66c5a0be-0123456789abcdef01234567"',
  domain_name: '"api.example.com"',
  chosen_cert_arn: '"arn:aws:acm:ap-southeast-2:123456789012:certificate/12345678-1234-1234-1234-123456789012"',
  matched_rule_priority: '3',
  request_creation_time: '2026-08-21T03:15:42.066000Z',
  actions_executed: '"forward"',
  redirect_url: '"-"',
  error_reason: '"-"',
  'target:port_list': '"10.0.2.15:8080"',
  target_status_code_list: '"200"',
  classification: '"-"',
  classification_reason: '"-"',
  conn_trace_id: 'TID_0123456789abcdef0123456789abcdef',
  transformed_host: '"-"',
  transformed_uri: '"-"',
  request_transform_status: '"-"',
};

/** An ALB line with some fields replaced, cut after `fieldCount` fields, plus `extra` fields. */
function albLine(
  overrides: Partial<Record<AlbFieldName, string>> = {},
  options: { fieldCount?: number; extra?: string[] } = {},
): string {
  const fields = ALB_FIELD_NAMES.map((name) => overrides[name] ?? CURRENT_FIELDS[name]);
  return [...fields.slice(0, options.fieldCount ?? fields.length), ...(options.extra ?? [])].join(' ');
}

/** What parseLbLine returns for the unmodified CURRENT_FIELDS line. */
const CURRENT_RECORD: AlbRecord = {
  kind: 'alb',
  type: 'https',
  time: '2026-08-21T03:15:42.118211Z',
  timeMs: Date.UTC(2026, 7, 21, 3, 15, 42, 118),
  elb: 'app/prod-alb/50dc6c495c0c9188',
  client: '203.0.113.7:51234',
  target: '10.0.2.15:8080',
  requestProcessingSeconds: 0.001,
  targetProcessingSeconds: 0.052,
  responseProcessingSeconds: 0,
  elbStatus: '200',
  targetStatus: '200',
  receivedBytes: 412,
  sentBytes: 293,
  request: 'GET https://api.example.com:443/v1/search?q=x HTTP/1.1',
  method: 'GET',
  url: 'https://api.example.com:443/v1/search?q=x',
  targetGroupArn: 'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/api/73e2d6bc24d8a067',
};

describe('parseLbLine on ALB lines', () => {
  it('returns every record field of a current 33-field line', () => {
    const line = albLine();

    const record = parseLbLine(line);

    expect(record).toEqual(CURRENT_RECORD);
  });

  it('keeps IPv6 client and target addresses verbatim, unbracketed', () => {
    const line = albLine({ 'client:port': '2001:db8:85a3::8a2e:370:7334:51234', 'target:port': 'fd00:ec2::15:8080' });

    const record = parseLbLine(line);

    expect(record).toEqual({
      ...CURRENT_RECORD,
      client: '2001:db8:85a3::8a2e:370:7334:51234',
      target: 'fd00:ec2::15:8080',
    });
  });

  it('reads -1 timers as null and keeps "-" as the target status when the target closed the connection', () => {
    const line = albLine({
      request_processing_time: '-1',
      target_processing_time: '-1',
      response_processing_time: '-1',
      elb_status_code: '502',
      target_status_code: '-',
      target_status_code_list: '"-"',
    });

    const record = parseLbLine(line);

    expect(record).toEqual({
      ...CURRENT_RECORD,
      requestProcessingSeconds: null,
      targetProcessingSeconds: null,
      responseProcessingSeconds: null,
      elbStatus: '502',
      targetStatus: '-',
    });
  });

  it('reads a failing Lambda target ("502 -", target "-") with a null target', () => {
    const line = albLine({
      type: 'http',
      'target:port': '-',
      elb_status_code: '502',
      target_status_code: '-',
      request: '"GET http://www.example.com:80/ HTTP/1.1"',
      error_reason: '"LambdaInvalidResponse"',
      'target:port_list': '"-"',
      target_status_code_list: '"-"',
    });

    const record = parseLbLine(line);

    expect(record).toEqual({
      ...CURRENT_RECORD,
      type: 'http',
      target: null,
      elbStatus: '502',
      targetStatus: '-',
      request: 'GET http://www.example.com:80/ HTTP/1.1',
      url: 'http://www.example.com:80/',
    });
  });

  it('reads a rejected request with "-" target group and rule priority as null target group', () => {
    const line = albLine({
      'target:port': '-',
      target_group_arn: '-',
      matched_rule_priority: '-',
      elb_status_code: '400',
      target_status_code: '-',
    });

    const record = parseLbLine(line);

    expect(record).toEqual({
      ...CURRENT_RECORD,
      target: null,
      targetGroupArn: null,
      elbStatus: '400',
      targetStatus: '-',
    });
  });

  it('ignores unknown trailing fields, quoted or not', () => {
    const line = albLine({}, { extra: ['new_field', '"new field with spaces"', '"-"', 'TID_x'] });

    const record = parseLbLine(line);

    expect(record).toEqual(CURRENT_RECORD);
  });

  it.each([
    ['25 (ends at error_reason, before 2021)', 25],
    ['29 (ends at classification_reason)', 29],
    ['30 (ends at conn_trace_id)', 30],
  ])('reads an older line of %s fields', (_label, fieldCount) => {
    const line = albLine({}, { fieldCount });

    const record = parseLbLine(line);

    expect(record).toEqual(CURRENT_RECORD);
  });

  it('reads unquoted target lists (the pre-2021 form) and a quoted conn_trace_id', () => {
    const line = albLine({
      'target:port_list': '10.0.2.15:8080',
      target_status_code_list: '200',
      conn_trace_id: '"TID_1"',
    });

    const record = parseLbLine(line);

    expect(record).toEqual(CURRENT_RECORD);
  });

  it('keeps spaces inside the URL and a user agent with double spaces and a stray quote', () => {
    const line = albLine({
      request: '"GET https://api.example.com:443/a b/c?q=1 2 HTTP/1.1"',
      user_agent: '"Mozilla/5.0 (iPhone)  Mobile/15E148  \\"Safari\\""',
    });

    const record = parseLbLine(line);

    expect(record).toEqual({
      ...CURRENT_RECORD,
      request: 'GET https://api.example.com:443/a b/c?q=1 2 HTTP/1.1',
      url: 'https://api.example.com:443/a b/c?q=1 2',
    });
  });

  it.each([
    ['a request ALB could not parse', '"- http://api.example.com:80- -"', '- http://api.example.com:80- -'],
    ['a request of dashes with a trailing space', '"- - - "', '- - - '],
    ['an empty request', '""', ''],
  ])('gives null method and URL for %s', (_label, request, content) => {
    const line = albLine({ request });

    const record = parseLbLine(line);

    expect(record).toEqual({ ...CURRENT_RECORD, request: content, method: null, url: null });
  });

  it('keeps an unknown type verbatim', () => {
    const line = albLine({ type: 'h3' });

    const record = parseLbLine(line);

    expect(record).toEqual({ ...CURRENT_RECORD, type: 'h3' });
  });

  it('ignores trailing spaces and a carriage return', () => {
    const line = `${albLine()}  \r`;

    const record = parseLbLine(line);

    expect(record).toEqual(CURRENT_RECORD);
  });

  it.each([
    ['2024-02-29T23:59:59.999999Z', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ['2024-03-01T00:00:00.000001Z', Date.UTC(2024, 2, 1, 0, 0, 0, 0)],
    ['2026-08-21T03:15:42.1Z', Date.UTC(2026, 7, 21, 3, 15, 42, 100)],
    ['2026-08-21T03:15:42.12Z', Date.UTC(2026, 7, 21, 3, 15, 42, 120)],
    ['2026-08-21T03:15:42Z', Date.UTC(2026, 7, 21, 3, 15, 42, 0)],
    ['1999-12-31T23:59:59.5Z', Date.UTC(1999, 11, 31, 23, 59, 59, 500)],
  ])('computes the epoch ms of %s, truncating microseconds', (time, timeMs) => {
    const line = albLine({ time });

    const record = parseLbLine(line);

    expect(record).toEqual({ ...CURRENT_RECORD, time, timeMs });
  });

  it('gives each line its own time when consecutive lines change minute, day and back', () => {
    const times = [
      '2026-08-21T03:15:59.999Z',
      '2026-08-21T03:16:00.000Z',
      '2026-08-22T03:16:00.000Z',
      '2026-08-21T03:15:59.999Z',
    ];

    const timeMs = times.map((time) => {
      const record = parseLbLine(albLine({ time }));
      return record.kind === 'alb' ? record.timeMs : record.kind;
    });

    expect(timeMs).toEqual(times.map((time) => Date.parse(time)));
  });
});

describe('parseLbLine on malformed lines', () => {
  it.each([
    ['an empty line', '', 'empty line'],
    ['a line of spaces', '   ', 'empty line'],
    ['a line that is not a log entry', 'invalid log format', 'ALB field 2 (time) is not an ISO 8601 timestamp: "log"'],
    ['a line cut after the elb field', albLine({}, { fieldCount: 3 }), 'expected at least 25 fields, found 3'],
    ['a line cut after 24 fields', albLine({}, { fieldCount: 24 }), 'expected at least 25 fields, found 24'],
    [
      'a line cut inside the user agent',
      albLine().slice(0, albLine().indexOf('curl/') + 3),
      'unclosed quote in ALB field 14 (user_agent)',
    ],
    [
      'an unclosed quote in a trailing field',
      albLine({}, { extra: ['"never closed'] }),
      'unclosed quote in ALB field 34',
    ],
  ])('reports %s', (_label, line, reason) => {
    expect(parseLbLine(line)).toEqual({ kind: 'malformed', reason });
  });

  it.each([
    [
      'time',
      { time: '2026-02-30T03:15:42.118211Z' },
      'ALB field 2 (time) is not an ISO 8601 timestamp: "2026-02-30T03:15:42.118211Z"',
    ],
    ['time', { time: '2026-08-21 03:15:42' }, 'ALB field 2 (time) is not an ISO 8601 timestamp: "2026-08-21"'],
    [
      'time',
      { time: '2026-08-21T24:00:00.000000Z' },
      'ALB field 2 (time) is not an ISO 8601 timestamp: "2026-08-21T24:00:00.000000Z"',
    ],
    [
      'time',
      { time: '2026-08-21T03:15:42.Z' },
      'ALB field 2 (time) is not an ISO 8601 timestamp: "2026-08-21T03:15:42.Z"',
    ],
    [
      'timer',
      { target_processing_time: 'fast' },
      'ALB field 7 (target_processing_time) is not a number of seconds or -1: "fast"',
    ],
    ['elb status', { elb_status_code: 'abc' }, 'ALB field 9 (elb_status_code) is not a 3-digit status or "-": "abc"'],
    ['elb status', { elb_status_code: '5020' }, 'ALB field 9 (elb_status_code) is not a 3-digit status or "-": "5020"'],
    [
      'target status',
      { target_status_code: '' },
      'ALB field 10 (target_status_code) is not a 3-digit status or "-": ""',
    ],
    ['byte count', { sent_bytes: '1.5' }, 'ALB field 12 (sent_bytes) is not a byte count: "1.5"'],
    ['request', { request: 'GET-/' }, 'ALB field 13 (request) is not quoted: "GET-/"'],
    [
      'error_reason',
      { error_reason: 'LambdaInvalidResponse' },
      'ALB field 25 (error_reason) is not quoted: "LambdaInvalidResponse"',
    ],
  ])('reports a %s field of the wrong shape', (_label, overrides, reason) => {
    const line = albLine(overrides);

    const result = parseLbLine(line);

    expect(result).toEqual({ kind: 'malformed', reason });
  });
});

describe('parseLbLine on other load balancers', () => {
  it('recognises a Classic ELB line, which starts with its time and has no type', () => {
    const line =
      '2015-05-13T23:39:43.945958Z my-loadbalancer 192.0.2.10:2817 10.0.0.1:80 0.000073 0.001048 0.000057 ' +
      '502 - 0 29 "GET http://www.example.com:80/shop?id=1 HTTP/1.1" "curl/7.38.0" - -';

    const record = parseLbLine(line);

    expect(record).toEqual({
      kind: 'classic-elb',
      time: '2015-05-13T23:39:43.945958Z',
      timeMs: Date.UTC(2015, 4, 13, 23, 39, 43, 945),
      elb: 'my-loadbalancer',
      elbStatus: '502',
      backendStatus: '-',
      request: 'GET http://www.example.com:80/shop?id=1 HTTP/1.1',
      url: 'http://www.example.com:80/shop?id=1',
      backendProcessingSeconds: 0.001048,
    });
  });

  it('reads -1 Classic ELB timers as null and "- - - " requests without a URL', () => {
    const line = '2015-05-13T23:39:43.945958Z my-loadbalancer 192.0.2.10:2817 - -1 -1 -1 - - -1 -1 "- - - " "-" - -';

    const record = parseLbLine(line);

    expect(record).toEqual({
      kind: 'classic-elb',
      time: '2015-05-13T23:39:43.945958Z',
      timeMs: Date.UTC(2015, 4, 13, 23, 39, 43, 945),
      elb: 'my-loadbalancer',
      elbStatus: '-',
      backendStatus: '-',
      request: '- - - ',
      url: null,
      backendProcessingSeconds: null,
    });
  });

  it('reports a Classic ELB line cut before its request', () => {
    const line = '2015-05-13T23:39:43.945958Z my-loadbalancer 192.0.2.10:2817 10.0.0.1:80 0.000073';

    expect(parseLbLine(line)).toEqual({ kind: 'malformed', reason: 'expected at least 12 fields, found 5' });
  });

  it('recognises an NLB TLS line, whose time has no fraction and no Z', () => {
    const line =
      'tls 2.0 2022-04-01T08:51:42 net/my-nlb/c6e77e28c25b2234 g3d4b5e8bb8464cd 192.0.2.15:51341 ' +
      '10.0.0.185:443 5 2 98 246 - arn:aws:acm:us-east-2:123456789012:certificate/abc - ECDHE-RSA-AES128-SHA ' +
      'tlsv12 - my-nlb.elb.us-east-2.amazonaws.com h2 h2 "h2"';

    const record = parseLbLine(line);

    expect(record).toEqual({
      kind: 'nlb',
      time: '2022-04-01T08:51:42',
      timeMs: Date.UTC(2022, 3, 1, 8, 51, 42),
      elb: 'net/my-nlb/c6e77e28c25b2234',
    });
  });
});

describe('parseAlbLineFields', () => {
  it('names every field of a current line, conn_trace_id and transforms included, without quotes', () => {
    const line = albLine();

    const fields = parseAlbLineFields(line);

    expect(fields).toEqual({
      type: 'https',
      time: '2026-08-21T03:15:42.118211Z',
      elb: 'app/prod-alb/50dc6c495c0c9188',
      'client:port': '203.0.113.7:51234',
      'target:port': '10.0.2.15:8080',
      request_processing_time: '0.001',
      target_processing_time: '0.052',
      response_processing_time: '0.000',
      elb_status_code: '200',
      target_status_code: '200',
      received_bytes: '412',
      sent_bytes: '293',
      request: 'GET https://api.example.com:443/v1/search?q=x HTTP/1.1',
      user_agent: 'curl/8.5.0',
      ssl_cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
      ssl_protocol: 'TLSv1.2',
      target_group_arn: 'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/api/73e2d6bc24d8a067',
      trace_id: 'Root=1-66c5a0be-0123456789abcdef01234567',
      domain_name: 'api.example.com',
      chosen_cert_arn: 'arn:aws:acm:ap-southeast-2:123456789012:certificate/12345678-1234-1234-1234-123456789012',
      matched_rule_priority: '3',
      request_creation_time: '2026-08-21T03:15:42.066000Z',
      actions_executed: 'forward',
      redirect_url: '-',
      error_reason: '-',
      'target:port_list': '10.0.2.15:8080',
      target_status_code_list: '200',
      classification: '-',
      classification_reason: '-',
      conn_trace_id: 'TID_0123456789abcdef0123456789abcdef',
      transformed_host: '-',
      transformed_uri: '-',
      request_transform_status: '-',
    });
  });

  it('names fields after the known ones by their 1-based position', () => {
    const line = albLine({}, { extra: ['new_field', '"new field 2"'] });

    const fields = parseAlbLineFields(line);

    expect(fields).toEqual({ ...parseAlbLineFields(albLine()), unknown_34: 'new_field', unknown_35: 'new field 2' });
  });

  it('stops at error_reason on a 25-field line', () => {
    const line = albLine({}, { fieldCount: 25 });

    const fields = parseAlbLineFields(line);

    expect(Object.keys(fields)).toEqual(ALB_FIELD_NAMES.slice(0, 25));
  });

  it('returns the same MalformedLine as parseLbLine for a bad line', () => {
    const line = albLine({ elb_status_code: 'abc' });

    expect(parseAlbLineFields(line)).toEqual(parseLbLine(line));
  });

  it('refuses a Classic ELB line, saying what it is', () => {
    const line =
      '2015-05-13T23:39:43.945958Z my-lb 192.0.2.10:2817 10.0.0.1:80 0.1 0.1 0.1 200 200 0 29 "GET http://x:80/ HTTP/1.1"';

    expect(parseAlbLineFields(line)).toEqual({
      kind: 'malformed',
      reason: 'not an ALB line: this is a Classic ELB line',
    });
  });
});

describe('requestPath', () => {
  it.each([
    ['https://api.example.com:443/v1/search?q=x', '/v1/search'],
    ['https://api.example.com:443/a b/c?q=1 2', '/a b/c'],
    ['http://www.example.com:80/', '/'],
    ['http://www.example.com:80', '/'],
    ['http://www.example.com:80?q=/x', '/'],
    ['https://api.example.com:443/shop/items#top', '/shop/items'],
    ['/relative/path?x=1', '/relative/path'],
    ['api.example.com:443', null],
    ['*', null],
    [null, null],
  ])('gives the path of %s as %s', (url, path) => {
    expect(requestPath(url)).toBe(path);
  });
});
