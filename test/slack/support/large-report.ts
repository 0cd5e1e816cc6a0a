/**
 * A report as large as a busy shared load balancer makes it: the demo's report with `tenants`
 * for many target groups, each with LB-minted 502s in most minutes of the window (counts from a
 * seeded generator, so they compress like real counts, not like zeros). Well over what one
 * DynamoDB item holds once compressed: its evidence goes to S3.
 */
import type { ReportJson, TenantJson } from '../../../src/core/report.js';

export function largeTenantReport(base: ReportJson, tenantCount = 600, seed = 20260619): ReportJson {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const start = Date.parse(base.window.start);
  const minutes = Math.round((Date.parse(base.window.end) - start) / 60_000);
  const tenants: TenantJson[] = [...(base.tenants ?? [])];
  for (let i = 0; i < tenantCount; i++) {
    const perMinute = [];
    for (let m = 0; m < minutes; m++) {
      const count = Math.floor(random() * random() * 40);
      if (count > 0)
        perMinute.push({ minute: new Date(start + m * 60_000).toISOString().replace('.000Z', 'Z'), count });
    }
    const elb502 = perMinute.reduce((sum, p) => sum + p.count, 0);
    tenants.push({
      name: `prod_${String(100 + i).padStart(4, '0')}_tenant`,
      isIndex: false,
      requests: 20_000 + Math.floor(random() * 500_000),
      elb502,
      elb503: 0,
      elb504: 0,
      elb502PerMinute: perMinute,
    });
  }
  return { ...structuredClone(base), tenants };
}
