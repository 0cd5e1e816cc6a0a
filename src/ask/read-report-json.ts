/**
 * Reads a saved investigation (`why502 … --format json`, CONTRACT §6) back, checking the parts the
 * follow-ups read, so a wrong or damaged file is refused with what is wrong, not half-answered.
 * Pure: text in, ReportJson out; throws UsageError. Fields it does not know are kept.
 */
import { z } from 'zod';
import type { ReportJson } from '../core/report.js';
import { CAUSE_KINDS, VERDICT_KINDS } from '../core/types.js';
import { UsageError } from '../errors.js';
import { printableText } from '../files/printable-text.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/;
const instant = z.string().regex(ISO_INSTANT, 'an ISO 8601 UTC instant such as 2026-06-18T19:41:00Z');
const count = z.number().finite().min(0);
const minuteCount = z.looseObject({ minute: instant, count });

const SignalSchema = z.looseObject({
  status: z.enum(['ok', 'partial', 'unavailable']),
  reason: z.string().optional(),
  scope: z.enum(['index', 'loadBalancer']),
  source: z.string().optional(),
  window: count.nullable(),
  atMinute: count.nullable(),
  peak: minuteCount.nullable(),
  perMinute: z.array(minuteCount),
  byCode: z.record(z.string(), count).optional(),
  byTermination: z.record(z.string(), count).optional(),
});

const FindingSchema = z.looseObject({
  kind: z.enum(VERDICT_KINDS),
  headline: z.string(),
  confidence: z.enum(['high', 'medium', 'low']),
  reasons: z.array(z.string()),
  advice: z.array(z.string()),
  facts: z.record(z.string(), z.union([z.number(), z.string()])),
  causes: z
    .array(z.looseObject({ kind: z.enum(CAUSE_KINDS), at: instant.nullable(), what: z.string(), evidence: z.string() }))
    .optional(),
});

const ReportSchema = z
  .looseObject({
    schemaVersion: z.literal(1),
    index: z.string().min(1),
    asked: z.looseObject({ input: z.string(), zone: z.string(), utcOffset: z.string(), notes: z.array(z.string()) }),
    at: instant,
    window: z.looseObject({ start: instant, end: instant }),
    sources: z.array(
      z.looseObject({
        name: z.string(),
        status: z.enum(['complete', 'partial', 'failed', 'not_configured']),
        detail: z.string().optional(),
      }),
    ),
    signals: z.record(z.string(), SignalSchema),
    verdict: FindingSchema,
    findings: z.array(FindingSchema),
    draft: z
      .looseObject({ text: z.string(), generator: z.enum(['template', 'openai']), note: z.string().optional() })
      .optional(),
    samples: z
      .array(
        z.looseObject({
          time: z.string(),
          elbStatusCode: z.number(),
          targetStatusCode: z.string(),
          target: z.string(),
          targetGroup: z.string().optional(),
          request: z.string(),
          traceId: z.string().optional(),
        }),
      )
      .optional(),
    tenants: z
      .array(
        z.looseObject({
          name: z.string(),
          isIndex: z.boolean(),
          requests: count,
          elb502: count,
          elb503: count,
          elb504: count,
          elb502PerMinute: z.array(minuteCount),
        }),
      )
      .optional(),
    context: z
      .looseObject({
        idleTimeoutSeconds: z.number().positive(),
        slowRequestSeconds: z.number().positive(),
        targetGroupsSeen: count.nullable(),
        metricPeriodSeconds: z.number().int().positive().optional(),
        stack: z
          .looseObject({ loadBalancer: z.enum(['alb', 'gcp']), edge: z.enum(['cloudfront', 'cloudflare']).optional() })
          .optional(),
      })
      .optional(),
  })
  .refine((report) => Date.parse(report.window.start) < Date.parse(report.window.end), {
    message: 'the window ends before it starts',
    path: ['window'],
  })
  .refine(
    (report) =>
      Date.parse(report.at) >= Date.parse(report.window.start) && Date.parse(report.at) < Date.parse(report.window.end),
    {
      message: 'the asked minute is outside the window',
      path: ['at'],
    },
  );

const HINT =
  'Save one with e.g. "npx why502 prod_000_audio 05:41 AEST --format json > report.json" (or "npx why502 demo --format json > report.json").';

/** `text` as a report; `origin` names it in errors (the file name as typed). */
export function parseReportJson(text: string, origin: string): ReportJson {
  const where = printableText(origin);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${where} is not JSON (${printableText(error instanceof Error ? error.message : String(error))}).`,
      HINT,
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new UsageError(`${where} is not a why502 report: it is not a JSON object.`, HINT);
  if (!('schemaVersion' in document))
    throw new UsageError(`${where} is not a why502 report: it has no schemaVersion.`, HINT);
  const parsed = ReportSchema.safeParse(document);
  if (parsed.success) return parsed.data as unknown as ReportJson;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
  throw new UsageError(`${where} is not a valid why502 report: ${printableText(problems.join('; '))}${more}.`, HINT);
}
