/**
 * assertPatternWindowSupported: a --window over 24h is refused where the engine plans its
 * sources when no view is read from AWS (files mode), and patternSourcesFrom hands the plan's
 * AWS views to gatherPatterns.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { planEvidence } from '../../src/engine/evidence-plan.js';
import { UsageError } from '../../src/errors.js';
import { assertPatternWindowSupported, patternSourcesFrom } from '../../src/patterns/pattern-window-plan.js';
import { dailyCommand } from './support/daily-incident-fixture.js';

const AWS_CONFIG = parseConfig(
  {
    aws: {
      region: 'ap-southeast-2',
      loadBalancer: 'app/k8s-ingress/0123456789abcdef',
      proxyLogGroups: ['/prod/haproxy'],
      athena: { database: 'lb_logs', table: 'alb_access_logs', workgroup: 'why502' },
    },
  },
  'why502.yml',
);

describe('assertPatternWindowSupported', () => {
  it('refuses a pattern window in files mode, saying why and what to do', () => {
    const plan = planEvidence(parseConfig({}, 'why502.yml'), {
      albLogs: ['./logs/alb'],
      proxyLogs: ['./logs/haproxy'],
    });

    const act = () => assertPatternWindowSupported(plan, dailyCommand());

    expect(act).toThrow(UsageError);
    expect(act).toThrow(
      expect.objectContaining({
        message:
          'Patterns over days need CloudWatch or Athena (aws: in the config); in files mode --window is at most 24h.',
        hint: 'Give --window 24h or less with log files, or add an aws: section (loadBalancer, athena or proxyLogGroups) to why502.yml and run without --alb-logs/--proxy-logs.',
      }),
    );
  });

  it('accepts files mode without a pattern window, and a pattern window when any view is read from AWS', () => {
    const files = planEvidence(parseConfig({}, 'why502.yml'), { albLogs: ['./logs/alb'] });
    const mixed = planEvidence(AWS_CONFIG, { albLogs: ['./logs/alb'], proxyLogs: ['./logs/haproxy'] });

    expect(() => assertPatternWindowSupported(files, dailyCommand(['2026-06-12T00:00:00Z'], '3h'))).not.toThrow();
    expect(() => assertPatternWindowSupported(mixed, dailyCommand())).not.toThrow();
    expect(() => assertPatternWindowSupported(planEvidence(AWS_CONFIG), dailyCommand())).not.toThrow();
  });
});

describe('patternSourcesFrom', () => {
  it('takes the views the plan reads from AWS, and only those', () => {
    expect(patternSourcesFrom(planEvidence(AWS_CONFIG))).toEqual({
      cloudWatchMetrics: true,
      proxyLogGroups: ['/prod/haproxy'],
      athena: {
        database: 'lb_logs',
        table: 'alb_access_logs',
        workgroup: 'why502',
        queryTimeoutSeconds: 60,
        resultReuseMinutes: 10,
      },
    });
    expect(patternSourcesFrom(planEvidence(AWS_CONFIG, { albLogs: ['./a'], proxyLogs: ['./p'] }))).toEqual({
      cloudWatchMetrics: true,
      proxyLogGroups: [],
      athena: null,
    });
  });

  it("carries each log group's format, so the hourly query of a Traefik group is Traefik's", () => {
    const config = parseConfig(
      {
        aws: {
          region: 'ap-southeast-2',
          loadBalancer: 'app/k8s-ingress/0123456789abcdef',
          proxyLogGroups: ['/prod/haproxy', '/prod/traefik'],
          proxyLogFormats: { '/prod/traefik': 'traefik-json' },
        },
      },
      'why502.yml',
    );

    expect(patternSourcesFrom(planEvidence(config)).proxyLogFormats).toEqual({ '/prod/traefik': 'traefik-json' });
  });
});
