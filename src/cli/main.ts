import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { DRAFT_TONES, EVIDENCE_SOURCES, REPORT_FORMATS } from '../core/types.js';
import { ConfigError, describeError, LogFileError, UsageError, Why502Error } from '../errors.js';
import { closestNames } from '../grammar/closest-names.js';
import { prestartWorkers, releasePrestartedWorkers } from '../parallel/worker-pool.js';
import { type CliIo, EXIT, withPrintableOutput } from './cli-io.js';

const collect = (value: string, previous: string[]) => [...previous, value];

const INVESTIGATE_HELP = `
Investigate (the default command):
  why502 <index> <time> [<zone>] [options]

  <time>   05:41  5:41am  5:41 PM  5am  12 pm  05:41:07  2026-06-19 05:41  2026-06-18T19:41:00Z  2026-06-19T05:41+10:00
           (an hour with am/pm means on the hour: 5am is 05:00; dates from 1970 on)
  <zone>   UTC Z GMT AEST AEDT ACST ACDT AWST NZST NZDT PST PDT MST MDT CST CDT EST EDT BST CET CEST JST SGT,
           offsets (+10:00, UTC+10) or IANA names (Australia/Sydney); default: config timezone, else UTC

  --window <duration>        total width centred on the time: 3h (default), 90m, 2h30m (10m to 24h);
                             over 24h (up to 14d) the days up to the time are read by the hour for daily patterns
  --format <format>          text (default), json (contract/why502.schema.json) or markdown
  --source <source>          cloudwatch or files (default: files when log paths are given, else cloudwatch with an aws: config)
  --alb-logs <path>          ALB access-log file or directory, plain or .gz (repeatable)
  --proxy-logs <path>        proxy log file or directory: HAProxy, ingress-nginx, Traefik, Envoy; plain or .gz (repeatable)
  --edge-logs <path>         CloudFront or Cloudflare logs in front of the load balancer (repeatable)
  --gcp-lb-logs <path>       a Google Cloud load balancer's request logs, in place of --alb-logs (repeatable)
  --events <path>            what changed: kubectl events/pods, CloudTrail, ECS exports (docs/causes.md; repeatable)
  --proxy-log-utc-offset <offset>
                             the offset HAProxy wrote its dates in, e.g. +10:00 (overrides the config's files: setting)
  --config <file>            config file (default: ./why502.yml)
  --now <iso>                pin "now", e.g. 2026-06-19T00:00:00Z
  --no-draft                 skip the customer draft
  --draft-tone <tone>        neutral (default), shorter, technical or warmer
  --chart <file>             also write the per-minute chart, as PNG or SVG by the extension (e.g. incident.png)
  --ascii                    plain ASCII text (default when the locale is not UTF-8)

Examples:
  npx why502 demo
  npx why502 prod_000_audio 05:41 AEST --alb-logs ./logs/alb --proxy-logs ./logs/haproxy
  npx why502 prod_000_audio 2026-06-18T19:41:00Z --format json
  npx why502 prod_000_audio 05:41 AEST --alb-logs ./logs/alb --events ./exports
  npx why502 scan --alb-logs ./logs/alb --format json
  npx why502 ask report.json impact

Exit status: 0 verdict produced, 2 bad input or config, 1 unexpected failure.`;

/**
 * The `why502` command line. Exit status (CONTRACT §6): 0 when a verdict was produced, 2 for
 * bad input or config (one line on stderr, nothing on stdout), 1 for an unexpected failure.
 */
export async function main(argv: string[], terminalIo: CliIo): Promise<number> {
  const io = withPrintableOutput(terminalIo); // nothing printed may carry control characters
  // `scan` reads on every core: its workers load while this thread parses flags and lists files.
  if (argv[0] === 'scan' && !argv.some((arg) => arg.startsWith('--threads')))
    prestartWorkers('scan', availableParallelism() - 1);
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    assertKnownHelpTopic(argv, program);
    await program.parseAsync(protectOffsets(argv), { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io);
  } finally {
    releasePrestartedWorkers();
  }
}

// Each command's module is loaded only when that command runs: `scan` then never loads the
// OpenAI or Slack SDKs, which keeps its start-up and memory small.
function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('why502')
    .description('Explain HTTP 502s behind AWS load balancers: which layer minted them, with the numbers.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: () => {} })
    .showSuggestionAfterError(true)
    .version(readPackageVersion(import.meta.url), '-V, --version', 'print the version')
    .usage('<index> <time> [<zone>] [options]  |  demo  |  scan  |  ask  |  serve')
    .addHelpText('after', INVESTIGATE_HELP);

  addInvestigateOptions(program.command('investigate', { isDefault: true, hidden: true }))
    .argument('<index>', 'an index (tenant) from the config')
    .argument('<time...>', 'the time and optional zone, e.g. 05:41 AEST')
    .action(async (index: string, time: string[], options) => {
      const { runInvestigate } = await import('../../commands/investigate.js');
      setExit(await runInvestigate({ positionals: [index, ...time], options }, io));
    });

  program
    .command('demo')
    .description('run the bundled demo incident (no credentials needed)')
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('text'))
    .option('--no-draft', 'skip the customer draft')
    .option('--chart <file>', 'also write the per-minute chart, as PNG or SVG by the extension')
    .option('--ascii', 'plain ASCII text: no box drawing or Unicode blocks')
    .action(async (options) => {
      const { runDemo } = await import('../../commands/demo.js');
      setExit(await runDemo(options, io));
    });

  program
    .command('scan')
    .description('what is in these log files: lines, malformed lines, time range, counts by status')
    .option('--alb-logs <path>', 'ALB access-log file or directory (plain or .gz); repeatable', collect, [])
    .option(
      '--proxy-logs <path>',
      'proxy access-log file or directory: HAProxy, ingress-nginx, Traefik, Envoy (plain or .gz); repeatable',
      collect,
      [],
    )
    .option(
      '--edge-logs <path>',
      'CloudFront standard logs or Cloudflare Logpush http_requests (plain or .gz); repeatable',
      collect,
      [],
    )
    .option(
      '--gcp-lb-logs <path>',
      'Google Cloud load balancer request logs exported from Cloud Logging (JSON); repeatable',
      collect,
      [],
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--proxy-log-utc-offset <offset>',
      'the zone HAProxy wrote its dates in, e.g. +10:00 (default: config, else +00:00)',
    )
    .option(
      '--config <file>',
      'config file (default: ./why502.yml): its files: lists are scanned when no paths are given',
    )
    .option('--threads <n>', 'threads to scan with (default: one per core)')
    .action(async (options) => {
      const { runScan } = await import('../../commands/scan.js');
      setExit(await runScan(options, io));
    });

  program
    .command('serve')
    .description('start the Slack app (HTTP mode on PORT, or Socket Mode with SLACK_APP_TOKEN)')
    .option('--config <file>', 'config file (default: ./why502.yml)')
    .action(async (options) => {
      const { runServe } = await import('../../commands/serve.js');
      setExit(await runServe(options, io));
    });

  program
    .command('ask')
    .description(
      'answer a follow-up from a report saved with --format json: 08:22, impact, tenants, rows, claim 537k 502s over 4h',
    )
    .argument('<report>', 'the JSON report file')
    .argument('[question...]', 'the question, e.g. impact (default: the list of questions)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--now <iso>', 'pin "now" (ISO 8601): a time without a date is never read as after it')
    .option('--config <file>', 'config file (default: ./why502.yml): the model for free text')
    .action(async (report: string, question: string[], options) => {
      const { runAsk } = await import('../../commands/ask.js');
      setExit(await runAsk({ reportPath: report, question, options }, io));
    });

  program
    .command('athena-ddl')
    .description(
      "print the Athena CREATE TABLE for the load balancer's access logs in S3, or with --edge the edge's (docs/athena.md)",
    )
    .option(
      '--bucket <s3-url>',
      'the bucket the load balancer logs to, e.g. s3://my-alb-logs (or the whole path down to the region)',
    )
    .option('--prefix <prefix>', 'the logging prefix set on the load balancer, if any')
    .option('--account <id>', 'the 12-digit account id in the log path')
    .option('--region <region>', "the load balancer's region (default: aws.region, else AWS_REGION)")
    .option('--database <name>', 'Glue database (default: aws.athena.database, else lb_logs)')
    .option('--table <name>', 'table name (default: aws.athena.table, or with --edge aws.athena.edgeTable)')
    .option('--edge', "the edge's log table (CloudFront or Cloudflare Logpush) instead of the load balancer's")
    .option(
      '--edge-format <format>',
      'with --edge: cloudfront or cloudflare (default: aws.athena.edgeFormat, else cloudfront)',
    )
    .option('--location <s3-url>', "with --edge: the table's LOCATION (default: aws.athena.edgeLogLocation)")
    .option('--config <file>', 'config file (default: ./why502.yml)')
    .action(async (options) => {
      const { runAthenaDdl } = await import('../../commands/athena-ddl.js');
      setExit(await runAthenaDdl(options, io));
    });
  return program;
}

function addInvestigateOptions(command: Command): Command {
  return command
    .option(
      '--window <duration>',
      'total width centred on the time: 3h, 90m, 2h30m (10m–24h); 36h–14d: daily patterns over the days up to it (AWS sources)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('text'))
    .addOption(new Option('--source <source>', 'evidence source').choices(EVIDENCE_SOURCES))
    .option('--alb-logs <path>', 'ALB access-log file or directory (plain or .gz); repeatable', collect, [])
    .option(
      '--proxy-logs <path>',
      'proxy access-log file or directory: HAProxy, ingress-nginx, Traefik, Envoy (plain or .gz); repeatable',
      collect,
      [],
    )
    .option(
      '--edge-logs <path>',
      'CloudFront standard logs or Cloudflare Logpush http_requests in front of the load balancer; repeatable',
      collect,
      [],
    )
    .option(
      '--gcp-lb-logs <path>',
      'Google Cloud load balancer request logs (Cloud Logging JSON), in place of ALB logs; repeatable',
      collect,
      [],
    )
    .option(
      '--events <path>',
      'what changed, as exported: kubectl get events/pods -o json, CloudTrail, ECS describe-services/tasks (docs/causes.md); file or directory, repeatable',
      collect,
      [],
    )
    .option(
      '--proxy-log-utc-offset <offset>',
      'the offset HAProxy wrote its dates in, e.g. +10:00 (overrides the config)',
    )
    .option('--config <file>', 'config file (default: ./why502.yml)')
    .option('--now <iso>', 'pin "now" (ISO 8601), for reproducible runs')
    .option('--no-draft', 'skip the customer draft')
    .addOption(new Option('--draft-tone <tone>', 'tone of the customer draft').choices(DRAFT_TONES).default('neutral'))
    .option('--chart <file>', 'also write the per-minute chart, as PNG or SVG by the extension')
    .option('--ascii', 'plain ASCII text: no box drawing or Unicode blocks');
}

/**
 * Numeric zone offsets like "-05:00" look like options to any CLI parser; spell them
 * "UTC-05:00" (which the grammar reads the same) before parsing. Not the value of
 * --proxy-log-utc-offset: Commander takes an option's value as it is, and that option wants "-05:00".
 */
function protectOffsets(argv: string[]): string[] {
  return argv.map((arg, i) =>
    /^-\d{1,2}(:?\d{2})?$/.test(arg) && argv[i - 1] !== '--proxy-log-utc-offset' ? `UTC${arg}` : arg,
  );
}

/**
 * `why502 help <command>` for a command that does not exist: Commander would print its help to
 * stderr (silenced here, CONTRACT §6 allows one line) and exit 0, so a typo looked like success
 * with no output. It is bad input: exit 2 with one line naming the command and the nearest real one.
 */
function assertKnownHelpTopic(argv: string[], program: Command): void {
  const [first, topic] = argv;
  if (first !== 'help' || topic === undefined) return;
  const names = program.commands.map((command) => command.name());
  if (names.includes(topic)) return;
  const [closest] = closestNames(topic, names);
  throw new UsageError(
    `There is no command ${JSON.stringify(topic)} to show help for${closest ? `; did you mean ${closest}?` : '.'}`,
    `Commands: demo, scan, serve, and the default, why502 <index> <time> [<zone>]. Run "npx why502 --help" for usage.`,
  );
}

/**
 * The version in why502's own package.json, found by walking up from this module: it runs from
 * src/cli/ (tsx) and from the bundle in dist/cli/, so a fixed "../../" would be right in only one.
 */
export function readPackageVersion(moduleUrl: string): string {
  for (let dir = path.dirname(fileURLToPath(moduleUrl)); ; dir = path.dirname(dir)) {
    const version = versionInManifest(path.join(dir, 'package.json'));
    if (version !== undefined) return version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

function versionInManifest(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof manifest !== 'object' || manifest === null) return undefined;
    const { name, version } = manifest as { name?: unknown; version?: unknown };
    return name === 'why502' && typeof version === 'string' ? version : undefined;
  } catch {
    return undefined; // an unreadable package.json further up is not ours: keep walking
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    )
      return EXIT.ok;
    const message = error.message.replace(/^error: /, '').split('\n')[0] ?? '';
    // Commander's messages may already end in a period ("Allowed choices are text, json, markdown.").
    const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
    io.stderr.write(
      `why502: ${sentence} Run "npx why502 --help" for usage, e.g. npx why502 prod_000_audio 05:41 AEST --alb-logs ./logs/alb\n`,
    );
    return EXIT.badInput;
  }
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof LogFileError) {
    io.stderr.write(`why502: ${describeError(error)}\n`);
    return EXIT.badInput;
  }
  if (error instanceof Why502Error) {
    io.stderr.write(`why502: ${describeError(error)}\n`);
    return EXIT.unexpected;
  }
  io.stderr.write(`why502: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
  if (io.env.WHY502_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT.unexpected;
}
