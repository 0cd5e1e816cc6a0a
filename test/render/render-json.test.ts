import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/render-json.js';
import { buildSeedReport } from './seed-report.js';

describe('renderJson', () => {
  it('prints one pretty document that parses back to the report', () => {
    const report = buildSeedReport();

    const json = renderJson(report);

    expect(JSON.parse(json)).toEqual(report);
    expect(json.split('\n').slice(0, 3)).toEqual(['{', '  "schemaVersion": 1,', '  "index": "prod_000_audio",']);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.endsWith('\n\n')).toBe(false);
  });

  it('keeps an unavailable signal as null numbers with its reason, never 0', () => {
    const report = buildSeedReport();

    const parsed = JSON.parse(renderJson(report)) as { signals: Record<string, unknown> };

    expect(parsed.signals.elb_502_index).toEqual({
      status: 'unavailable',
      reason: 'CloudWatch has no per-target-group metric for LB-minted 502s; give ALB access logs',
      scope: 'index',
      window: null,
      atMinute: null,
      peak: null,
      perMinute: [],
    });
  });
});
