import { describe, expect, it } from 'vitest';
import { incident, judgeScenario, minute } from '../support/scenarios.js';

const INDEX = 'prod_000_audio';
const seedBurst = {
  kind: 'throttle',
  index: INDEX,
  fromMinute: minute('19:29'),
  toMinute: minute('19:40'),
  peakPerMinute: 150,
} as const;
const background = { kind: 'keepalive_502', perMinute: 4 } as const;

describe('judgeEvidence on generated incidents', () => {
  it('sees the seed: a 429 burst ending a minute before the asked time, over a flat LB-minted 502 background', async () => {
    const { findings, kinds, warnings } = await judgeScenario(incident([seedBurst, background]));

    expect(kinds.slice(0, 2)).toEqual(['throttling_429', 'keepalive_race']);
    const verdict = findings[0]!;
    expect(verdict.confidence).toBe('high');
    expect(verdict.facts.burstStart).toBe('2026-06-18T19:29:00Z');
    expect(verdict.facts.burstEnd).toBe('2026-06-18T19:40:00Z');
    expect(verdict.facts.minutesBeforeAsked).toBe(1);
    expect(verdict.facts.origin5xxWindow).toBe(0);
    expect(verdict.facts.target4xxWindow).toBe(verdict.facts.throttledWindow);
    expect(verdict.reasons.join('\n')).toContain('The origin returned 0 5xx in 04:11–07:11 AEST (18:11–21:11 UTC).');
    expect(verdict.reasons.join('\n')).toContain('ending 1 minute before the asked time');
    expect(verdict.reasons.join('\n')).toContain('The ALB agrees independently');
    expect(warnings).toEqual([]);
  });

  it('calls a flat LB-minted 502 background across tenants a keep-alive race', async () => {
    const { findings, kinds } = await judgeScenario(incident([background]));

    expect(kinds[0]).toBe('keepalive_race');
    const verdict = findings[0]!;
    expect(verdict.confidence).toBe('medium'); // connection errors are a metric: not measured from files
    expect(verdict.facts.tenantCount).toBeGreaterThanOrEqual(5);
    expect(verdict.facts.elb502PerMinuteTypical).toBeGreaterThanOrEqual(2);
    expect(verdict.facts.elb502PerMinuteTypical).toBeLessThanOrEqual(6);
    expect(verdict.advice[0]).toContain("longer than the load balancer's idle timeout (60 s)");
  });

  it("calls a flat LB-minted 502 rate on one index a keep-alive race with that index's targets", async () => {
    const { findings, kinds } = await judgeScenario(incident([{ kind: 'keepalive_502', perMinute: 2, index: INDEX }]));

    expect(kinds[0]).toBe('keepalive_race');
    expect(findings[0]!.headline).toMatch(
      /^A flat background of LB-minted 502s \(~[12](\.\d)?\/min on prod_000_audio's targets/,
    );
    expect(findings[0]!.reasons.join('\n')).toMatch(
      /of the [\d,]+ were for prod_000_audio: the race is with this index's targets/,
    );
  });

  it('finds an origin application throwing 500s at the asked time, confirmed by the ALB', async () => {
    const { findings, kinds } = await judgeScenario(
      incident([
        { kind: 'origin_5xx', index: INDEX, fromMinute: minute('19:35'), toMinute: minute('19:50'), perMinute: 30 },
        background,
      ]),
    );

    expect(kinds[0]).toBe('origin_5xx');
    expect(findings[0]!.facts.topCode).toBe('500');
    expect(findings[0]!.facts.burstStart).toBe('2026-06-18T19:35:00Z');
    expect(findings[0]!.confidence).toBe('high');
    expect(findings[0]!.reasons.join('\n')).toContain('The ALB agrees independently: target 5xx');
    expect(kinds).toContain('keepalive_race');
  });

  it('sees targets dying (OOM-killed): LB-minted 502s for this index far above baseline while the proxy goes quiet', async () => {
    const { findings, kinds } = await judgeScenario(
      incident([
        {
          kind: 'target_down',
          index: INDEX,
          fromMinute: minute('19:38'),
          toMinute: minute('19:44'),
          failFraction: 0.7,
        },
        background,
      ]),
    );

    expect(kinds[0]).toBe('target_unreachable');
    const verdict = findings[0]!;
    expect(verdict.confidence).toBe('high');
    expect(verdict.facts.burstStart).toBe('2026-06-18T19:38:00Z');
    expect(verdict.reasons.join('\n')).toMatch(
      /The proxy went quiet: it logged [\d,]+ requests in those 7 minutes \([\d.]+ % of its usual volume\)/,
    );
    expect(verdict.reasons.join('\n')).toContain('it is this tenant, not all tenants');
  });

  it('sees a slow origin producing 504s', async () => {
    const { findings, kinds } = await judgeScenario(
      incident([
        {
          kind: 'slow_origin',
          index: INDEX,
          fromMinute: minute('19:36'),
          toMinute: minute('19:46'),
          fraction: 0.2,
          timeoutSeconds: 30,
        },
      ]),
    );

    expect(kinds[0]).toBe('origin_timeout');
    expect(findings[0]!.reasons.join('\n')).toMatch(/The origin proxy itself returned [\d,]+ 504s/);
    expect(findings[0]!.facts.slowWindow).toBeGreaterThan(0);
  });

  it('sees no healthy targets: the load balancer answering 503 itself', async () => {
    const { findings, kinds } = await judgeScenario(
      incident([{ kind: 'no_targets', index: INDEX, fromMinute: minute('19:39'), toMinute: minute('19:43') }]),
    );

    expect(kinds[0]).toBe('no_healthy_targets');
    expect(findings[0]!.confidence).toBe('high');
    expect(findings[0]!.facts.burstStart).toBe('2026-06-18T19:39:00Z');
  });

  it('answers "no errors" for a calm window, listing what was measured', async () => {
    const { findings, kinds } = await judgeScenario(incident([]));

    expect(kinds).toEqual(['no_errors']);
    expect(findings[0]!.reasons[0]).toBe(
      'At 05:41 AEST (19:41 UTC): 0 origin 5xx, 0 429s, 0 target 5xx, 0 LB-minted 502s, 0 LB-minted 503s, 0 LB-minted 504s.',
    );
    expect(findings[0]!.confidence).toBe('medium'); // connection errors are not in access logs
  });

  it('ranks a 429 burst at the asked time above an origin 5xx burst two hours earlier', async () => {
    const { kinds, findings } = await judgeScenario(
      incident([
        seedBurst,
        { kind: 'origin_5xx', index: INDEX, fromMinute: minute('18:15'), toMinute: minute('18:25'), perMinute: 20 },
      ]),
    );

    expect(kinds[0]).toBe('throttling_429');
    expect(kinds).toContain('origin_5xx');
    expect(findings.find((f) => f.kind === 'origin_5xx')!.confidence).toBe('low');
  });

  it('answers "no errors" at the asked time when the only 429 burst was two hours earlier', async () => {
    const { kinds } = await judgeScenario(
      incident([{ ...seedBurst, fromMinute: minute('18:20'), toMinute: minute('18:30') }]),
    );

    expect(kinds[0]).toBe('no_errors');
    expect(kinds).toContain('throttling_429');
  });

  it('is inconclusive, and says what is missing, when only proxy logs show a calm window', async () => {
    const { findings, kinds } = await judgeScenario(incident([]), { alb: false });

    expect(kinds[0]).toBe('inconclusive');
    expect(findings[0]!.headline).toContain("the load balancer's own errors");
    expect(findings[0]!.advice[0]).toContain('--alb-logs');
  });

  it('sees the 429 burst from ALB logs alone, through the target status the proxy sent', async () => {
    const { evidence, kinds } = await judgeScenario(incident([seedBurst, background]), { proxy: false });

    expect(kinds.slice(0, 2)).toEqual(['throttling_429', 'keepalive_race']);
    expect(evidence.signals.throttled_429.source).toBe('ALB access logs (target status 429)');
    expect(evidence.signals.origin_5xx.status).toBe('unavailable');
  });

  it('notices proxy logs read in the wrong zone, says which offset to set, and judges the right minutes', async () => {
    const { evidence, findings, warnings } = await judgeScenario(incident([seedBurst, background]), {
      proxyUtcOffsetMinutes: -60,
    });

    expect(warnings).toEqual([
      'why502: the proxy logs\' times read 60 minutes ahead of the ALB\'s (the same 429s and 5xx, shifted): HAProxy logged local time. Reading them as UTC+00:00; set files.proxyLogUtcOffset: "+00:00" in why502.yml (or --proxy-log-utc-offset +00:00) to say so.',
    ]);
    expect(evidence.sources[1]!.detail).toContain('times read as UTC+00:00 to line up with the ALB');
    expect(findings[0]!.kind).toBe('throttling_429');
    expect(findings[0]!.facts.burstStart).toBe('2026-06-18T19:29:00Z');
  });

  it('re-reads proxy logs written in AEST but read as UTC, which miss the window by ten hours', async () => {
    const { findings, warnings } = await judgeScenario(incident([seedBurst, background]), {
      proxyUtcOffsetMinutes: -600,
    });

    expect(warnings[0]).toMatch(
      /^why502: the proxy logs' times read 600 minutes ahead of the ALB's \(the two logs start that far apart\): HAProxy logged local time\. Reading them as UTC\+00:00/,
    );
    expect(findings[0]!.kind).toBe('throttling_429');
    expect(findings[0]!.facts.burstStart).toBe('2026-06-18T19:29:00Z');
  });

  it('still sees the 429 burst from proxy logs alone, at lower confidence', async () => {
    const { findings, kinds } = await judgeScenario(incident([seedBurst, background]), { alb: false });

    expect(kinds[0]).toBe('throttling_429');
    expect(findings[0]!.confidence).toBe('medium');
    expect(findings[0]!.reasons.at(-1)).toContain("Not measured: the load balancer's own errors");
  });
});

describe('files-mode evidence for an index the logs do not know', () => {
  it('makes the index signals unavailable, not zero, and says to check targetGroup / match', async () => {
    const { evidence, kinds } = await judgeScenario(incident([{ kind: 'keepalive_502', perMinute: 4 }]), {
      selector: { index: 'prod_000_audio', match: '/indexes/no_such_tenant/' },
    });

    expect(evidence.signals.requests.status).toBe('unavailable');
    expect(evidence.signals.origin_5xx.reason).toMatch(
      /^no proxy log entries matched the index in the window \([\d,]+ entries for other requests\): check its targetGroup \/ match/,
    );
    expect(evidence.signals.elb_502.status).toBe('ok');
    expect(kinds[0]).toBe('keepalive_race');
  });
});
