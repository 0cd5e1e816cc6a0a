/**
 * The why502.yml configuration (CONTRACT §5), validated once at the edge. Secrets never live
 * here: they come from the environment (see readSecrets).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const INDEX_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const DURATION = /^(\d+d)?(\d+h)?(\d+m)?$/;

const IndexSchema = z
  .object({
    targetGroup: z
      .string()
      .regex(/^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/, 'must look like targetgroup/<name>/<16 hex digits>')
      .optional(),
    match: z.string().min(1).max(256).regex(/^[^"\\\n\r]*$/, 'must not contain quotes, backslashes or newlines').optional(),
  })
  .strict();

const FilesSchema = z
  .object({
    albLogs: z.array(z.string().min(1)).default([]),
    proxyLogs: z.array(z.string().min(1)).default([]),
    /** HAProxy writes its accept date in the host's local time without a zone; say which. */
    proxyLogUtcOffset: z
      .string()
      .regex(/^[+-](0\d|1[0-4]):(00|15|30|45)$/, 'must be a UTC offset from -14:00 to +14:00 in quarter hours, like +10:00')
      .default('+00:00'),
  })
  .strict();

const LOG_GROUP = /^[\w\-./#]{1,512}$/;
const AwsSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region like ap-southeast-2').optional(),
    loadBalancer: z
      .string()
      .regex(/^app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/, 'must look like app/<name>/<16 hex digits>')
      .optional(),
    proxyLogGroups: z.array(z.string().regex(LOG_GROUP, 'is not a valid log group name')).max(50).default([]),
    queryTimeoutSeconds: z.number().int().min(5).max(900).default(60),
    maxConcurrentQueries: z.number().int().min(1).max(30).default(10),
  })
  .strict();

const SlackSchema = z
  .object({
    incidentChannel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel ID like C0INCIDENTS').optional(),
    allowedChannels: z.array(z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a channel ID')).default([]),
  })
  .strict();

const OpenAiSchema = z
  .object({
    model: z.string().min(1).default('gpt-4o-mini'),
    timeoutSeconds: z.number().min(1).max(120).default(20),
  })
  .strict();

export const ConfigSchema = z
  .object({
    timezone: z.string().min(1).optional(),
    window: z.string().regex(DURATION, 'must be a duration like 3h, 90m or 2h30m').default('3h'),
    idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60),
    slowRequestSeconds: z.number().positive().max(3600).default(2),
    source: z.enum(['cloudwatch', 'files']).optional(),
    files: FilesSchema.optional(),
    aws: AwsSchema.optional(),
    slack: SlackSchema.default({ allowedChannels: [] }),
    openai: OpenAiSchema.default({ model: 'gpt-4o-mini', timeoutSeconds: 20 }),
    indexes: z
      .record(z.string().regex(INDEX_NAME, 'index names are letters, digits, "_", "." and "-" (at most 128)'), IndexSchema)
      .default({}),
  })
  .strict();

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
  throw new ConfigError(`Invalid configuration in ${origin}: ${problems.join('; ')}.`, 'See "Configuration" in the README.');
}

/**
 * Loads `explicitPath` (must exist) or, without one, `why502.yml` in `cwd` when present.
 * Returns null when no file is used. Relative `files:` paths are resolved against the file's folder.
 */
export function loadConfigFile(explicitPath: string | undefined, cwd: string): { config: Config; path: string } | null {
  const file = explicitPath ? path.resolve(cwd, explicitPath) : path.join(cwd, 'why502.yml');
  if (!existsSync(file)) {
    if (explicitPath) throw new ConfigError(`Config file not found: ${file}.`, 'Pass an existing file with --config, or omit it.');
    return null;
  }
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`Cannot read config ${file}: ${reason}`, 'Check the YAML syntax.', { cause: error });
  }
  const config = parseConfig(document, file);
  return { config: resolveFilePaths(config, path.dirname(file)), path: file };
}

function resolveFilePaths(config: Config, base: string): Config {
  if (!config.files) return config;
  const resolve = (paths: string[]) => paths.map((p) => path.resolve(base, p));
  return { ...config, files: { ...config.files, albLogs: resolve(config.files.albLogs), proxyLogs: resolve(config.files.proxyLogs) } };
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
