/**
 * `aws.athena` of why502.yml (CONTRACT §5): where the ALB access-log table lives and how long a
 * query may take. The schema is exported for src/config.ts to nest under `aws`.
 */
import { z } from 'zod';
import { ConfigError } from '../../errors.js';

/**
 * Database and table names as Glue stores them: letters, digits and underscores. They are the
 * only text the code puts into a query (quoted), so nothing else may pass.
 */
export const ATHENA_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const IDENTIFIER_MESSAGE = 'must be letters, digits and "_" (a Glue database or table name), e.g. alb_access_logs';
/** Athena's WorkGroupName pattern. */
const WORKGROUP = /^[a-zA-Z0-9._-]{1,128}$/;
/** s3://bucket[/prefix/] */
const S3_LOCATION = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;

export const AthenaConfigSchema = z
  .object({
    database: z.string().regex(ATHENA_IDENTIFIER, IDENTIFIER_MESSAGE),
    table: z.string().regex(ATHENA_IDENTIFIER, IDENTIFIER_MESSAGE),
    workgroup: z
      .string()
      .regex(WORKGROUP, 'must be an Athena workgroup name: letters, digits, ".", "_" and "-" (at most 128)'),
    /** Where Athena writes results; omit when the workgroup sets (and enforces) one. */
    outputLocation: z
      .string()
      .regex(S3_LOCATION, 'must be an S3 location like s3://my-athena-results/why502/')
      .optional(),
    /** The whole investigation's Athena budget: past it queries are stopped and the view is unavailable. */
    queryTimeoutSeconds: z.number().int().min(5).max(900).default(60),
    /** Athena reuses a stored result this young for the identical query (0 turns reuse off). */
    resultReuseMinutes: z.number().int().min(0).max(10_080).default(10),
    /**
     * Where the load balancer writes its logs (s3://bucket[/prefix]), so the IAM the deployment
     * grants reads only those objects; without it the bucket is unknown and the IAM says so.
     */
    logLocation: z.string().regex(S3_LOCATION, 'must be an S3 location like s3://my-alb-logs/prefix').optional(),
    /**
     * The edge's log table in the same database (docs/athena.md): CloudFront standard logs in front
     * of the load balancer. Without it the edge view comes only from --edge-logs files.
     */
    edgeTable: z.string().regex(ATHENA_IDENTIFIER, IDENTIFIER_MESSAGE).optional(),
    /** The edge table's format; only CloudFront standard logs so far (Cloudflare Logpush: files only). */
    edgeFormat: z.literal('cloudfront').optional(),
  })
  .strict();

/** The validated `aws.athena` block, defaults applied. */
export type AthenaConfig = z.infer<typeof AthenaConfigSchema>;

/** Throws ConfigError unless `name` is a plain identifier (the schema checks it too; code paths that skip the schema do not). */
export function assertIdentifier(name: string, key: string): void {
  if (!ATHENA_IDENTIFIER.test(name))
    throw new ConfigError(`${key} ${IDENTIFIER_MESSAGE}; got ${JSON.stringify(name.slice(0, 60))}.`);
}
