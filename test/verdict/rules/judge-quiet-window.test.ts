import { describe, expect, it } from 'vitest';
import type { Finding, MinuteRange, SignalName, SignalSeries, SourceStatus } from '../../../src/core/types.js';
import { inconclusiveFinding, missingViews, noErrorsFinding } from '../../../src/verdict/rules/judge-quiet-window.js';
import { contextFor, coveredExcept, evidenceWith, series } from '../../support/evidence-builder.js';

const zero = series(0);
/** A calm window with every view measured: 120 requests a minute, no error anywhere. */
const calm: Partial<Record<SignalName, number[]>> = {
  requests: series(120),
  origin_5xx: zero,
  throttled_429: zero,
  target_5xx: zero,
  target_connection_errors: zero,
  elb_502: zero,
  elb_502_index: zero,
  elb_503: zero,
  elb_504: zero,
};
const ALL_ZERO =
  '0 origin 5xx, 0 429s, 0 target 5xx, 0 connection errors, 0 LB-minted 502s, 0 LB-minted 503s, 0 LB-minted 504s';
const ORIGIN_VIEW = { origin_5xx: undefined, target_5xx: undefined };
const LB_VIEW = { elb_502: undefined, elb_502_index: undefined, target_connection_errors: undefined };

type Overrides = Partial<Record<SignalName, Partial<SignalSeries>>>;

function quietEvidence(
  counts: Partial<Record<SignalName, number[]>> = {},
  overrides: Overrides = {},
  sources: SourceStatus[] = [],
) {
  return { ...evidenceWith({ ...calm, ...counts }, overrides), sources };
}

describe('noErrorsFinding', () => {
  it('says nothing is above background, with high confidence, when every view measured a calm window', () => {
    // Prepare
    const ctx = contextFor(quietEvidence());

    // Act
    const finding = noErrorsFinding(ctx, []);

    // Assess
    expect(finding).toEqual({
      kind: 'no_errors',
      headline:
        'Nothing above background at 05:41 AEST (19:41 UTC): our load balancer and origin show no errors that explain the report.',
      confidence: 'high',
      reasons: [
        `At 05:41 AEST (19:41 UTC): ${ALL_ZERO}.`,
        `Over 04:11–07:11 AEST (18:11–21:11 UTC): ${ALL_ZERO}.`,
        '21,600 requests for acme in the window.',
      ],
      advice: [
        'Ask the customer for request IDs, exact timestamps with their time zone, and the status codes their client saw.',
        "Check the layers in front of the load balancer (CDN, the customer's own proxies): errors they mint never reach our logs.",
      ],
      facts: { requestsWindow: 21_600, elb502Window: 0 },
    });
  });

  it('lists findings away from the asked time as background', () => {
    const elsewhere: Finding = {
      kind: 'throttling_429',
      headline: 'Rate limiting (429) ran in the window (300), but no burst explains the asked time.',
      confidence: 'low',
      reasons: [],
      advice: [],
      facts: {},
    };
    const ctx = contextFor(quietEvidence({ throttled_429: series(0, { 10: 100, 11: 150, 12: 50 }) }));

    const finding = noErrorsFinding(ctx, [elsewhere]);

    expect(finding.reasons[1]).toBe(
      'Over 04:11–07:11 AEST (18:11–21:11 UTC): 0 origin 5xx, 300 429s, 0 target 5xx, 0 connection errors, 0 LB-minted 502s, 0 LB-minted 503s, 0 LB-minted 504s.',
    );
    expect(finding.reasons[2]).toBe(
      'Elsewhere in the window, away from the asked time: Rate limiting (429) ran in the window (300), but no burst explains the asked time.',
    );
  });

  it('is medium and names what was not measured, e.g. connection errors from access logs', () => {
    const ctx = contextFor(quietEvidence({ target_connection_errors: undefined }));

    const finding = noErrorsFinding(ctx, []);

    expect(finding.confidence).toBe('medium');
    expect(finding.reasons).toContain('Not measured: connection errors.');
    expect(finding.reasons[0]).toBe(
      'At 05:41 AEST (19:41 UTC): 0 origin 5xx, 0 429s, 0 target 5xx, 0 LB-minted 502s, 0 LB-minted 503s, 0 LB-minted 504s.',
    );
  });

  it('is low, and says so in the headline, when a source covered only part of the window', () => {
    const late: MinuteRange[] = [[0, 29]];
    const ctx = contextFor(quietEvidence({}, { origin_5xx: coveredExcept('the proxy logs start at 18:41 UTC', late) }));

    const finding = noErrorsFinding(ctx, []);

    expect(finding.headline).toBe(
      'Nothing above background at 05:41 AEST (19:41 UTC): our load balancer and origin show no errors that explain the report (over the part of the window the logs cover).',
    );
    expect(finding.reasons).toContain(
      'Measured over part of the window only: origin 5xx (the proxy logs start at 18:41 UTC).',
    );
    expect(finding.confidence).toBe('low');
  });

  it('says "not covered", not 0, for a signal whose logs missed the asked minute', () => {
    const ctx = contextFor(
      quietEvidence({}, { throttled_429: coveredExcept('the proxy logs miss 19:30–19:59 UTC', [[79, 108]]) }),
    );

    const finding = noErrorsFinding(ctx, []);

    expect(finding.reasons[0]).toBe(
      'At 05:41 AEST (19:41 UTC): 0 origin 5xx, 429s not covered, 0 target 5xx, 0 connection errors, 0 LB-minted 502s, 0 LB-minted 503s, 0 LB-minted 504s.',
    );
  });

  it('names only the layers it measured', () => {
    const originOnly = noErrorsFinding(
      contextFor(quietEvidence({ ...LB_VIEW, elb_503: undefined, elb_504: undefined })),
      [],
    );
    const lbOnly = noErrorsFinding(contextFor(quietEvidence({ ...ORIGIN_VIEW, throttled_429: undefined })), []);

    expect(originOnly.headline).toMatch(
      /^Nothing above background at 05:41 AEST \(19:41 UTC\): our origin \(the load balancer was not measured\) shows? no errors/,
    );
    expect(lbOnly.headline).toMatch(
      /^Nothing above background at 05:41 AEST \(19:41 UTC\): our load balancer \(the origin was not measured\) shows? no errors/,
    );
  });

  // Regression (was a bug): the verb agrees with "our load
  // balancer and origin" (plural) also when only one layer was measured: "our origin … show".
  it('says "shows" when only one layer was measured', () => {
    const originOnly = noErrorsFinding(
      contextFor(quietEvidence({ ...LB_VIEW, elb_503: undefined, elb_504: undefined })),
      [],
    );

    expect(originOnly.headline).toBe(
      'Nothing above background at 05:41 AEST (19:41 UTC): our origin (the load balancer was not measured) shows no errors that explain the report.',
    );
  });

  it('leaves the request count out when requests were not measured: never a false 0', () => {
    const ctx = contextFor(quietEvidence({ requests: undefined }));

    const finding = noErrorsFinding(ctx, []);

    expect(finding.facts).toEqual({ elb502Window: 0 });
    expect(finding.reasons.join('\n')).not.toContain('requests for acme');
  });
});

describe('missingViews', () => {
  it('is empty when one view of the origin and one of the load balancer measured the asked minute', () => {
    const ctx = contextFor(quietEvidence({ origin_5xx: undefined, elb_502: undefined, elb_502_index: undefined }));

    expect(missingViews(ctx)).toEqual([]);
  });

  it('names each missing view with the reason its signal gives', () => {
    const ctx = contextFor(
      quietEvidence({ ...ORIGIN_VIEW, ...LB_VIEW }, { elb_502: { reason: 'GetMetricData failed: AccessDenied' } }),
    );

    expect(missingViews(ctx)).toEqual([
      "the origin's answers (not given in this test)",
      "the load balancer's own errors (GetMetricData failed: AccessDenied)",
    ]);
  });

  it('counts a view whose logs stop before the asked minute as missing', () => {
    const stops = coveredExcept('the logs cover 18:11–19:20 UTC only', [[70, 179]]);
    const ctx = contextFor(quietEvidence({}, { origin_5xx: stops, target_5xx: stops }));

    expect(missingViews(ctx)).toEqual(["the origin's answers (no log covers 05:41 AEST (19:41 UTC))"]);
  });
});

describe('inconclusiveFinding', () => {
  it('says which view failed and what to check when a CloudWatch source was denied', () => {
    // Prepare
    const sources: SourceStatus[] = [
      {
        name: 'Logs Insights /prod/haproxy',
        status: 'failed',
        detail: 'failed, AccessDeniedException: not authorized to perform logs:StartQuery',
      },
      { name: 'GetMetricData AWS/ApplicationELB', status: 'complete' },
    ];
    const denied = { status: 'unavailable' as const, counts: null, reason: 'Logs Insights failed' };
    const ctx = contextFor(quietEvidence({ ...ORIGIN_VIEW }, { origin_5xx: denied, target_5xx: denied }, sources));

    // Act
    const finding = inconclusiveFinding(ctx, missingViews(ctx));

    // Assess
    expect(finding).toEqual({
      kind: 'inconclusive',
      headline:
        "Cannot decide which layer produced the errors: the origin's answers (Logs Insights failed) could not be measured.",
      confidence: 'low',
      reasons: [
        "Could not measure the origin's answers (Logs Insights failed).",
        'Source Logs Insights /prod/haproxy: failed — AccessDeniedException: not authorized to perform logs:StartQuery.',
        'What was measured shows nothing above background; that alone does not clear the other layers.',
      ],
      advice: [
        'Check the failed CloudWatch sources: credentials, region, and the permissions logs:StartQuery, logs:GetQueryResults and cloudwatch:GetMetricData; then retry.',
      ],
      facts: { missing: 'origin_5xx, target_5xx' },
    });
  });

  it('says nothing could be measured, and to check the date, when the files hold another day', () => {
    const otherDay = {
      status: 'unavailable' as const,
      counts: null,
      reason: 'the files cover 17 Jun 09:00–12:00 UTC, not the window',
    };
    const everything = Object.fromEntries(Object.keys(calm).map((name) => [name, otherDay])) as Overrides;
    const ctx = contextFor(
      quietEvidence(Object.fromEntries(Object.keys(calm).map((name) => [name, undefined])), everything),
    );

    const finding = inconclusiveFinding(ctx, missingViews(ctx));

    expect(finding.headline).toBe(
      "Cannot decide which layer produced the errors: the origin's answers (the files cover 17 Jun 09:00–12:00 UTC, not the window) and the load balancer's own errors (the files cover 17 Jun 09:00–12:00 UTC, not the window) could not be measured.",
    );
    expect(finding.reasons.at(-1)).toBe('Nothing could be measured for this index in this window.');
    expect(finding.advice[0]).toBe(
      'The log files do not cover the asked time: check the date, time and zone asked (a time without a date means its most recent occurrence), or get the logs for that window (ALB logs are delivered 5–10 minutes late, in folders by delivery date).',
    );
    expect(finding.facts).toEqual({
      missing: 'origin_5xx, target_5xx, elb_502, elb_502_index, target_connection_errors',
    });
  });

  it('asks for the missing ALB files, or the missing proxy logs, by what the reason names', () => {
    const judgeHole = (reason: string) => {
      const hole = coveredExcept(reason, [[74, 103]]);
      const ctx = contextFor(
        quietEvidence(
          {},
          { origin_5xx: hole, target_5xx: hole, elb_502: hole, elb_502_index: hole, target_connection_errors: hole },
        ),
      );
      return inconclusiveFinding(ctx, missingViews(ctx)).advice;
    };

    expect(judgeHole('the ALB access logs given miss 19:25–19:54 UTC')).toEqual([
      'Get the ALB files for the missing minutes and run it again: each load-balancer node writes one .log.gz per 5 minutes under AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd/, and S3 can deliver them late — list that folder for the minutes named above.',
    ]);
    expect(judgeHole('the proxy logs miss 19:25–19:54 UTC')).toEqual([
      'Get the proxy logs for the missing minutes (an hourly file not copied, or one cut short) and run it again.',
    ]);
  });

  it('asks to check the index name when no entry matched it, and to give logs that were not configured', () => {
    const unmatched = { status: 'unavailable' as const, counts: null, reason: 'no log entry matched the index' };
    const sources: SourceStatus[] = [
      { name: 'ALB access logs', status: 'complete' },
      { name: 'proxy logs', status: 'not_configured' },
    ];
    const ctx = contextFor(
      quietEvidence({ ...ORIGIN_VIEW }, { origin_5xx: unmatched, target_5xx: unmatched }, sources),
    );

    const finding = inconclusiveFinding(ctx, missingViews(ctx));

    expect(finding.reasons[1]).toBe('Source proxy logs: not configured.');
    expect(finding.advice).toEqual([
      'No log entry matched acme: check the index name, or its targetGroup / match in why502.yml.',
      'Give the missing logs: --proxy-logs <HAProxy logs>.',
    ]);
  });

  it('falls back to asking for the evidence when nothing says why it is missing', () => {
    const ctx = contextFor(quietEvidence({ ...LB_VIEW }));

    const finding = inconclusiveFinding(ctx, missingViews(ctx));

    expect(finding.advice).toEqual([
      "Give the missing evidence: --alb-logs and --proxy-logs with the logs for the window, or an aws: section (proxyLogGroups, loadBalancer, the index's targetGroup) in why502.yml.",
    ]);
    expect(finding.facts).toEqual({ missing: 'elb_502, elb_502_index, target_connection_errors' });
  });
});
