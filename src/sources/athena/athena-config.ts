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

/** The edge log formats the Athena edge view reads (docs/athena.md §7). */
export const EDGE_TABLE_FORMATS = ['cloudfront', 'cloudflare'] as const;
export type EdgeTableFormat = (typeof EDGE_TABLE_FORMATS)[number];

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
     * The edge's log table in the same database (docs/athena.md §7): CloudFront standard logs or
     * Cloudflare Logpush http_requests in front of the load balancer. Without it the edge view
     * comes only from --edge-logs files.
     */
    edgeTable: z.string().regex(ATHENA_IDENTIFIER, IDENTIFIER_MESSAGE).optional(),
    /** What the edge table holds; cloudfront when edgeTable is set without it (edgeFormatOf). */
    edgeFormat: z
      .enum(EDGE_TABLE_FORMATS, {
        error: `must be one of ${EDGE_TABLE_FORMATS.join(', ')}: the format of the logs aws.athena.edgeTable holds`,
      })
      .optional(),
    /**
     * Where the edge writes its logs (s3://bucket[/prefix], the table's LOCATION), so the IAM the
     * deployment grants reads only those objects; without it S3 access to them is granted by hand.
     */
    edgeLogLocation: z.string().regex(S3_LOCATION, 'must be an S3 location like s3://my-edge-logs/prefix').optional(),
  })
  .strict()
  .superRefine((athena, context) => {
    // An edge format or location without the table would be ignored in silence: say so instead.
    for (const key of ['edgeFormat', 'edgeLogLocation'] as const)
      if (athena[key] !== undefined && athena.edgeTable === undefined)
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `needs aws.athena.edgeTable: the Glue table of the edge's logs that ${key} describes`,
        });
  });

/** The validated `aws.athena` block, defaults applied. */
export type AthenaConfig = z.infer<typeof AthenaConfigSchema>;

/** The edge table's format: CloudFront standard logs unless the config says otherwise. */
export function edgeFormatOf(athena: Pick<AthenaConfig, 'edgeFormat'>): EdgeTableFormat {
  return athena.edgeFormat ?? 'cloudfront';
}

/** Throws ConfigError unless `name` is a plain identifier (the schema checks it too; code paths that skip the schema do not). */
export function assertIdentifier(name: string, key: string): void {
  if (!ATHENA_IDENTIFIER.test(name))
    throw new ConfigError(`${key} ${IDENTIFIER_MESSAGE}; got ${JSON.stringify(name.slice(0, 60))}.`);
}
