import { beforeAll, describe, expect, it } from 'vitest';
import { plainTextOf } from '../../src/ask/answer-document.js';
import { answerRows } from '../../src/ask/answer-rows.js';
import { answerTenants } from '../../src/ask/answer-tenants.js';
import { formatPercent } from '../../src/core/format-number.js';
import { formatterOfReport } from '../../src/grammar/formatters.js';
import { parseLbLine } from '../../src/parsers/alb-line.js';
import { renderAnswerText } from '../../src/render/answer-text.js';
import { renderAnswerSlack } from '../../src/render/slack/answer-message.js';
import { loadDemoReport } from '../render/support/demo-report.js';
import { INDEX, minute } from '../support/scenarios.js';
import { type TenantFixture, tenantReport } from './support/tenant-report.js';

/** LB-minted 502/503/504 and requests per target group in the window, counted line by line with the parser alone. */
function countByTargetGroup(fixture: TenantFixture) {
  const start = Date.parse(fixture.report.window.start);
  const end = Date.parse(fixture.report.window.end);
  const groups = new Map<string, { name: string; requests: number; elb502: number; elb503: number; elb504: number }>();
  for (const line of fixture.albLines) {
    const record = parseLbLine(line);
    if (record.kind !== 'alb' || record.timeMs < start || record.timeMs >= end || record.targetGroupArn === null)
      continue;
    const name = fixture.spec.tenants.find((t) => record.targetGroupArn!.endsWith(t.targetGroup))!.index;
    const group = groups.get(name) ?? { name, requests: 0, elb502: 0, elb503: 0, elb504: 0 };
    group.requests++;
    if (record.targetStatus === '-' && record.elbStatus === '502') group.elb502++;
    if (record.targetStatus === '-' && record.elbStatus === '503') group.elb503++;
    if (record.targetStatus === '-' && record.elbStatus === '504') group.elb504++;
    groups.set(name, group);
  }
  return [...groups.values()];
}

const throttle = {
  kind: 'throttle',
  index: INDEX,
  fromMinute: minute('19:29'),
  toMinute: minute('19:40'),
  peakPerMinute: 150,
} as const;
const background = { kind: 'keepalive_502', perMinute: 2 } as const;
const neighbourDown = {
  kind: 'target_down',
  index: 'prod_004_video',
  fromMinute: minute('19:50'),
  toMinute: minute('19:56'),
  failFraction: 0.6,
} as const;
const indexDown = {
  kind: 'target_down',
  index: INDEX,
  fromMinute: minute('19:35'),
  toMinute: minute('19:45'),
  failFraction: 0.3,
} as const;

describe('answerTenants', () => {
  let everyone: TenantFixture;
  let justUs: TenantFixture;
  beforeAll(async () => {
    everyone = await tenantReport([throttle, background, neighbourDown]);
    justUs = await tenantReport([indexDown]);
  });

  it('lists every target group with LB-minted errors, most first, with the counts in the access logs', () => {
    const answer = answerTenants(everyone.report, formatterOfReport(everyone.report));

    const counted = countByTargetGroup(everyone)
      .filter((g) => g.elb502 + g.elb503 + g.elb504 > 0)
      .sort((a, b) => b.elb502 + b.elb503 + b.elb504 - (a.elb502 + a.elb503 + a.elb504));
    expect(
      answer.withErrors!.map(({ name, requests, elb502, elb503, elb504 }) => ({
        name,
        requests,
        elb502,
        elb503,
        elb504,
      })),
    ).toEqual(counted);
    expect(answer.withErrors!.find((t) => t.isIndex)!.name).toBe(INDEX);
  });

  it('calls a background spread over the tenants "everyone", with this index\'s share beside its share of traffic', () => {
    const answer = answerTenants(everyone.report, formatterOfReport(everyone.report));

    const groups = countByTargetGroup(everyone);
    const errors = (g: { elb502: number; elb503: number; elb504: number }) => g.elb502 + g.elb503 + g.elb504;
    const own = groups.find((g) => g.name === INDEX)!;
    const total = groups.reduce((sum, g) => sum + errors(g), 0);
    const requests = groups.reduce((sum, g) => sum + g.requests, 0);
    const othersRate = (total - errors(own)) / (requests - own.requests);
    expect({ spread: answer.spread, index: answer.index, seen: answer.targetGroupsSeen }).toEqual({
      spread: 'everyone',
      index: {
        errors: errors(own),
        errorSharePercent: (errors(own) / total) * 100,
        requestSharePercent: (own.requests / requests) * 100,
        timesOthersRate: errors(own) / own.requests / othersRate,
      },
      seen: 6,
    });
    expect(plainTextOf(answer.document).split('\n')[1]).toBe(
      `Everyone: 6 of the 6 target groups had LB-minted errors. prod_000_audio had ${errors(own)} of the ${total} (${formatPercent((errors(own) / total) * 100)}), with ${formatPercent((own.requests / requests) * 100)} of the requests: about the other target groups' rate per request.`,
    );
  });

  it('calls errors on this index alone "just us"', () => {
    const answer = answerTenants(justUs.report, formatterOfReport(justUs.report));

    const own = countByTargetGroup(justUs).find((g) => g.name === INDEX)!;
    expect({ spread: answer.spread, withErrors: answer.withErrors!.map((t) => t.name) }).toEqual({
      spread: 'just_us',
      withErrors: [INDEX],
    });
    expect(plainTextOf(answer.document).split('\n')[1]).toBe(
      `Just us: all ${own.elb502} LB-minted errors were prod_000_audio's; no other target group had any.`,
    );
  });

  it('calls errors far above this index\'s share of traffic "mostly us"', () => {
    const report = structuredClone(everyone.report);
    const own = report.tenants!.find((t) => t.isIndex)!;
    own.elb502 *= 10;

    expect(answerTenants(report, formatterOfReport(report)).spread).toBe('mostly_us');
  });

  it('says the per-target-group counts were not read when the report has none, and gives what it knows', async () => {
    const demo = await loadDemoReport();
    delete demo.tenants;

    const answer = answerTenants(demo, formatterOfReport(demo));

    expect({ spread: answer.spread, withErrors: answer.withErrors }).toEqual({ spread: 'unknown', withErrors: null });
    expect(plainTextOf(answer.document).split('\n').slice(1)).toEqual([
      'The per-target-group counts were not read for this report, so I cannot list which tenants had LB-minted errors: they come from the ALB access logs (files or Athena); CloudWatch metrics have no per-target-group count of LB-minted errors.',
      'On the whole load balancer: 379 LB-minted 5xx; for prod_000_audio: 163 (43 % of them).',
      'The verdict counted LB-minted 502s on 20 target groups.',
    ]);
  });
});

describe('answerRows', () => {
  let fixture: TenantFixture;
  beforeAll(async () => {
    fixture = await tenantReport([indexDown]);
  });

  it("lists the report's sample rows, nearest the asked minute first, every one LB-minted", () => {
    const answer = answerRows(fixture.report, formatterOfReport(fixture.report));

    expect(answer.samples).toHaveLength(30);
    const table = answer.document.blocks[0]!;
    if (table.kind !== 'table') throw new Error('no table');
    expect(table.rows.map((row) => row[1])).toEqual(fixture.report.samples!.map((s) => s.time));
    expect(new Set(table.rows.map((row) => `${row[2]} ${row[3]}`))).toEqual(new Set(['502 -']));
    expect(table.rows[0]![0]).toBe('05:41');
    expect(answer.document.title).toBe(
      'Rows · prod_000_audio · 30 LB-minted 5xx nearest 05:41 AEST (19:41 UTC) · target group k8s-prod000audio',
    );
  });

  it('shows a hostile request path as text: no mention, no markup, no escape sequence', () => {
    const report = structuredClone(fixture.report);
    report.samples = [
      { ...report.samples![0]!, request: 'GET /<!channel>`*bold*`\u001b]0;owned\u0007/x&y', target: '<@U999|admin>' },
    ];

    const answer = answerRows(report, formatterOfReport(report));
    const slack = renderAnswerSlack(answer.document);
    const terminal = renderAnswerText(answer.document, { width: 300 }).join('\n');

    const slackText = JSON.stringify(slack);
    expect(slackText).not.toContain('<!channel>');
    expect(slackText).not.toContain('<@U999');
    expect(slackText).toContain("GET /&lt;!channel&gt;'*bold*']0;owned/x&amp;y");
    expect(terminal).toContain('GET /<!channel>`*bold*`]0;owned/x&y');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is that no control character reached the terminal.
    expect(terminal).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('says the rows were not read when the report has none', async () => {
    const demo = await loadDemoReport();
    delete demo.samples;

    expect(plainTextOf(answerRows(demo, formatterOfReport(demo)).document)).toBe(
      'Rows · prod_000_audio\nThe access-log rows were not read for this report: they come from the ALB access logs (files, or the Athena sample query); CloudWatch metrics and proxy logs have no rows of LB-minted errors.',
    );
  });
});
