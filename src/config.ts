/**
 * The why502.yml configuration (CONTRACT §5), validated once at the edge. Secrets never live
 * here: they come from the environment (see readSecrets).
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ChangesConfigSchema } from './changes/changes-config.js';
import { EVIDENCE_SOURCES } from './core/types.js';
import { ConfigError, Why502Error } from './errors.js';
import { printableText } from './files/printable-text.js';
import { parseWindowMinutes } from './grammar/parse-duration.js';
import { resolveZone } from './grammar/zones.js';
import { AthenaConfigSchema } from './sources/athena/athena-config.js';
import { PROXY_LOG_FORMAT_NAMES } from './sources/cloudwatch/proxy-log-formats.js';

const INDEX_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * A why502.yml is a few KiB; past this it is not a config (and YAML parsing a large value costs
 * about 40× its size in memory: 50 MB took 1.9 GB). Checked before the file is read.
 */
export const MAX_CONFIG_BYTES = 256 << 10;
/** The longest string any setting takes (a log path); keeps a pasted blob out of every field. */
const MAX_SETTING_CHARS = 4096;

const IndexSchema = z
  .object({
    targetGroup: z
      .string()
      .regex(/^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/, 'must look like targetgroup/<name>/<16 hex digits>')
      .optional(),
    match: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[^"\\\n\r]*$/, 'must not contain quotes, backslashes or newlines')
      .optional(),
  })
  .strict();

const FilesSchema = z
  .object({
    albLogs: z.array(z.string().min(1).max(MAX_SETTING_CHARS)).max(1000).default([]),
    proxyLogs: z.array(z.string().min(1).max(MAX_SETTING_CHARS)).max(1000).default([]),
    /** CloudFront or Cloudflare logs in front of the load balancer (CONTRACT §11). */
    edgeLogs: z.array(z.string().min(1).max(MAX_SETTING_CHARS)).max(1000).optional(),
    /** What changed around the errors, as the team exported it (kubectl, CloudTrail, ECS; docs/causes.md). */
    events: z.array(z.string().min(1).max(MAX_SETTING_CHARS)).max(1000).optional(),
    /** HAProxy writes its accept date in the host's local time without a zone; say which. */
    proxyLogUtcOffset: z
      .string()
      .regex(
        /^[+-](0\d|1[0-4]):(00|15|30|45)$/,
        'must be a UTC offset from -14:00 to +14:00 in quarter hours, like +10:00',
      )
      .default('+00:00'),
  })
  .strict();

const LOG_GROUP = /^[\w\-./#]{1,512}$/;
const AwsSchema = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region like ap-southeast-2')
      .optional(),
    loadBalancer: z
      .string()
      .regex(/^app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/, 'must look like app/<name>/<16 hex digits>')
      .optional(),
    proxyLogGroups: z.array(z.string().regex(LOG_GROUP, 'is not a valid log group name')).max(50).default([]),
    /** The format of a proxy log group's lines (docs/proxy-formats.md); a group not named here holds HAProxy's. */
    proxyLogFormats: z
      .record(
        z.string().regex(LOG_GROUP, 'is not a valid log group name'),
        z.enum(PROXY_LOG_FORMAT_NAMES, { error: `must be one of ${PROXY_LOG_FORMAT_NAMES.join(', ')}` }),
      )
      .optional(),
    queryTimeoutSeconds: z.number().int().min(5).max(900).default(60),
    maxConcurrentQueries: z.number().int().min(1).max(30).default(10),
    /** The ALB's access logs in S3, through Athena (docs/athena.md). */
    athena: AthenaConfigSchema.optional(),
    /** What changed around the errors: CloudTrail, ECS, ELB settings, CPU (docs/causes.md). */
    changes: ChangesConfigSchema.optional(),
  })
  .strict()
  .superRefine((aws, ctx) => {
    // A format for a group that is not queried is a typo or a stale entry: say which.
    for (const group of Object.keys(aws.proxyLogFormats ?? {})) {
      if (!aws.proxyLogGroups.includes(group))
        ctx.addIssue({ code: 'custom', path: ['proxyLogFormats', group], message: 'is not one of aws.proxyLogGroups' });
    }
  });

const SlackSchema = z
  .object({
    incidentChannel: z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel ID like C0INCIDENTS')
      .optional(),
    allowedChannels: z
      .array(z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a channel ID'))
      .max(1000)
      .default([]),
    /** Where a verdict thread's evidence is kept for follow-ups (docs/slack.md); defaults in src/slack/thread-evidence-store.ts. */
    threadEvidence: z
      .object({
        /** S3 bucket for reports too large for the state store; WHY502_EVIDENCE_BUCKET overrides it. */
        bucket: z
          .string()
          .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
          .optional(),
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9!_.*'()/-]{0,200}$/, 'must be an S3 key prefix like why502/threads/')
          .optional(),
        retentionDays: z.number().int().min(1).max(365).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const OpenAiSchema = z
  .object({
    model: z.string().min(1).max(128).default('gpt-4o-mini'),
    timeoutSeconds: z.number().min(1).max(120).default(20),
  })
  .strict();

export const ConfigSchema = z
  .object({
    timezone: z.string().min(1).max(64).superRefine(grammarCheck(resolveZone)).optional(),
    window: z.string().max(64).superRefine(grammarCheck(parseWindowMinutes)).default('3h'),
    idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60),
    slowRequestSeconds: z.number().positive().max(3600).default(2),
    source: z.enum(EVIDENCE_SOURCES).optional(),
    files: FilesSchema.optional(),
    aws: AwsSchema.optional(),
    slack: SlackSchema.default({ allowedChannels: [] }),
    openai: OpenAiSchema.default({ model: 'gpt-4o-mini', timeoutSeconds: 20 }),
    indexes: z
      .record(
        z.string().regex(INDEX_NAME, 'index names are letters, digits, "_", "." and "-" (at most 128)'),
        IndexSchema,
      )
      .default({}),
  })
  .strict();

/**
 * A setting the command grammar reads (the default zone, the default window) is checked by the
 * grammar itself at load, so a config it would refuse fails at start, not at the first command.
 */
function grammarCheck(read: (text: string) => unknown) {
  return (value: string, ctx: z.RefinementCtx) => {
    try {
      read(value);
    } catch (error) {
      if (!(error instanceof Why502Error)) throw error;
      // parseConfig joins the problems with "; " and ends the list with a period.
      ctx.addIssue({
        code: 'custom',
        message: [error.message, error.hint].filter(Boolean).join(' ').replace(/\.$/, ''),
      });
    }
  };
}

export type Config = z.infer<typeof ConfigSchema>;
export type IndexConfig = z.infer<typeof IndexSchema>;

/** The configuration used when there is no why502.yml: files mode, UTC, defaults. */
export function defaultConfig(): Config {
  return ConfigSchema.parse({});
}

/** Validates a parsed YAML document; every problem is listed, each naming its key. */
export function parseConfig(document: unknown, origin: string): Config {
  const parsed = ConfigSchema.safeParse(document ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  throw new ConfigError(
    `Invalid configuration in ${printableText(origin)}: ${problems.join('; ')}.`,
    'See "Configuration" in the README.',
  );
}

/**
 * Loads `explicitPath` (must exist) or, without one, `why502.yml` in `cwd` when present.
 * Returns null when no file is used. Relative `files:` paths are resolved against the file's folder.
 */
export function loadConfigFile(explicitPath: string | undefined, cwd: string): { config: Config; path: string } | null {
  const file = explicitPath ? path.resolve(cwd, explicitPath) : path.join(cwd, 'why502.yml');
  if (!existsSync(file)) {
    if (explicitPath)
      throw new ConfigError(`Config file not found: ${file}.`, 'Pass an existing file with --config, or omit it.');
    return null;
  }
  let document: unknown;
  try {
    document = parseYaml(readBoundedText(file, MAX_CONFIG_BYTES));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(
      `Cannot read config ${printableText(file)}: ${printableText(reason ?? '')}`,
      'Check the YAML syntax.',
      { cause: error },
    );
  }
  const config = parseConfig(document, file);
  return { config: resolveFilePaths(config, path.dirname(file)), path: file };
}

/** The file's text, refusing it before reading when it is not a regular file or is larger than `maxBytes`. */
function readBoundedText(file: string, maxBytes: number): string {
  const shown = printableText(file);
  // O_NONBLOCK: a FIFO given as --config would otherwise block the open until a writer came.
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw new ConfigError(`Config file ${shown} is not a regular file.`, 'Pass the why502.yml with --config.');
    if (info.size > maxBytes) throw tooLarge(shown, `is ${Math.ceil(info.size / 1024)} KiB`, maxBytes);
    // Read up to one byte past the limit: a file that grew since fstat is still refused.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read)
      read = readSync(fd, buffer, length, buffer.length - length, length);
    if (length > maxBytes) throw tooLarge(shown, `grew past ${maxBytes >> 10} KiB while being read`, maxBytes);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(shownFile: string, size: string, maxBytes: number): ConfigError {
  return new ConfigError(
    `Config file ${shownFile} ${size}; a config may be at most ${maxBytes >> 10} KiB.`,
    'Check that --config names the why502.yml (see "Configuration" in the README).',
  );
}

function resolveFilePaths(config: Config, base: string): Config {
  if (!config.files) return config;
  const resolve = (paths: string[]) => paths.map((p) => path.resolve(base, p));
  return {
    ...config,
    files: {
      ...config.files,
      albLogs: resolve(config.files.albLogs),
      proxyLogs: resolve(config.files.proxyLogs),
      ...(config.files.edgeLogs ? { edgeLogs: resolve(config.files.edgeLogs) } : {}),
      ...(config.files.events ? { events: resolve(config.files.events) } : {}),
    },
  };
}

/** Secrets and deployment settings from the environment; never from the config file. */
export interface Secrets {
  slackBotToken?: string;
  slackSigningSecret?: string;
  slackAppToken?: string;
  openaiApiKey?: string;
}

export function readSecrets(env: Record<string, string | undefined>): Secrets {
  const pick = (name: string) => (env[name] && env[name]!.trim() !== '' ? env[name]!.trim() : undefined);
  const secrets: Secrets = {};
  const bot = pick('SLACK_BOT_TOKEN');
  const signing = pick('SLACK_SIGNING_SECRET');
  const app = pick('SLACK_APP_TOKEN');
  const openai = pick('OPENAI_API_KEY');
  if (bot) secrets.slackBotToken = bot;
  if (signing) secrets.slackSigningSecret = signing;
  if (app) secrets.slackAppToken = app;
  if (openai) secrets.openaiApiKey = openai;
  return secrets;
}
