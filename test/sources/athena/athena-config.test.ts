import { describe, expect, it } from 'vitest';
import { AthenaConfigSchema } from '../../../src/sources/athena/athena-config.js';

describe('AthenaConfigSchema', () => {
  it('fills the defaults: a 60 s budget and 10 minutes of result reuse', () => {
    expect(AthenaConfigSchema.parse({ database: 'lb_logs', table: 'alb_access_logs', workgroup: 'why502' })).toEqual({
      database: 'lb_logs',
      table: 'alb_access_logs',
      workgroup: 'why502',
      queryTimeoutSeconds: 60,
      resultReuseMinutes: 10,
    });
  });

  it('names every key that is wrong: names that would have to be quoted, a results location that is not S3', () => {
    const result = AthenaConfigSchema.safeParse({
      database: 'lb-logs',
      table: 'x"; drop',
      workgroup: 'why 502',
      outputLocation: 'https://bucket/',
      queryTimeoutSeconds: 1,
      extra: true,
    });

    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.') || issue.code).sort()).toEqual(
      ['database', 'outputLocation', 'queryTimeoutSeconds', 'table', 'unrecognized_keys', 'workgroup'].sort(),
    );
  });
});
