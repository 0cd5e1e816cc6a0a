/**
 * IAM statements for serverless.yml, computed from why502.yml so the worker may query exactly
 * the log groups the config names and nothing else. Loaded by osls as a variable source:
 *   Statement: ${file(./scripts/serverless-iam.cjs):workerStatements}
 * Pure string work on a local file: no AWS calls, so `osls package` stays offline. Account and
 * region are left to CloudFormation (Fn::Sub with AWS::AccountId / AWS::Region).
 */
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { athenaStatements } = require('./athena-iam.cjs');
const { changesStatements } = require('./changes-iam.cjs');

const SERVICE_ROOT = path.join(__dirname, '..');

/** The same why502.yml the package ships (serverless.yml puts ./why502.yml in both zips). */
function readWhy502Config() {
  // WHY502_IAM_CONFIG points elsewhere (the tests); the package ships ./why502.yml.
  const file = process.env.WHY502_IAM_CONFIG || path.join(SERVICE_ROOT, 'why502.yml');
  if (!existsSync(file)) return {};
  return YAML.parse(readFileSync(file, 'utf8')) || {};
}

const sub = (template) => ({ 'Fn::Sub': template });

function ownLogs(functionName) {
  return {
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: sub(
      `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${functionName}:*`,
    ),
  };
}

function parameters(prefix, names) {
  // A parameter ARN ends in "parameter/<name without its leading slash>".
  const arnPath = (name) => (name.startsWith('/') ? name : `/${name}`);
  return {
    Effect: 'Allow',
    Action: ['ssm:GetParameter', 'ssm:GetParameters'],
    Resource: names.map((name) =>
      sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${arnPath(prefix + name)}`),
    ),
  };
}

/** Where a verdict thread's evidence goes in S3 (src/slack/thread-evidence-store.ts has the same defaults). */
const DEFAULT_EVIDENCE_PREFIX = 'why502/threads/';
const DEFAULT_EVIDENCE_RETENTION_DAYS = 14;

function threadEvidenceSettings() {
  const settings = readWhy502Config().slack?.threadEvidence || {};
  return {
    bucket: typeof settings.bucket === 'string' ? settings.bucket : '',
    prefix: typeof settings.prefix === 'string' ? settings.prefix : DEFAULT_EVIDENCE_PREFIX,
    retentionDays: Number.isInteger(settings.retentionDays) ? settings.retentionDays : DEFAULT_EVIDENCE_RETENTION_DAYS,
  };
}

/**
 * The evidence bucket the worker uses: slack.threadEvidence.bucket when why502.yml names one
 * (an existing bucket: give it a lifecycle rule yourself), else the stack's EvidenceBucket.
 */
function evidenceBucketRef() {
  const { bucket } = threadEvidenceSettings();
  return bucket ? bucket : { Ref: 'EvidenceBucket' };
}

/** The configured bucket's name, or '' when the stack creates one (the CreateEvidenceBucket condition). */
module.exports.configuredEvidenceBucket = async () => threadEvidenceSettings().bucket;
/** WHY502_EVIDENCE_BUCKET for the worker. */
module.exports.evidenceBucket = async () => evidenceBucketRef();
module.exports.evidencePrefix = async () => threadEvidenceSettings().prefix;
/**
 * The lifecycle rule's ExpirationInDays: the retention itself. S3 counts from the object's
 * creation and rounds up to the next midnight UTC, so an object outlives the state-store item
 * that points at it (that TTL is exactly the retention), never the other way round.
 */
module.exports.evidenceRetentionDays = async () => threadEvidenceSettings().retentionDays;

/** Objects under the evidence prefix only: written once per thread, read by follow-ups. No list, no delete. */
function evidenceStatement() {
  const { prefix } = threadEvidenceSettings();
  const bucket = evidenceBucketRef();
  const resource =
    typeof bucket === 'string'
      ? sub(`arn:\${AWS::Partition}:s3:::${bucket}/${prefix}*`)
      : sub(`arn:\${AWS::Partition}:s3:::\${EvidenceBucket}/${prefix}*`);
  return {
    Sid: 'ThreadEvidenceObjects',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: resource,
  };
}

/** Service and stage as osls resolves them, so names match the functions it creates. */
async function naming(resolveVariable) {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  return { stage, name: (fn) => `${service}-${stage}-${fn}` };
}

/** The prefix as the functions use it: src/lambda/secrets-loader.ts adds a missing trailing slash. */
function ssmPrefix(stage) {
  const prefix = (process.env.WHY502_SSM_PREFIX || '').trim() || `/why502/${stage}/`;
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** The `slack` function: its own logs, its one secret, and invoking the worker. */
module.exports.slackStatements = async ({ resolveVariable }) => {
  const { stage, name } = await naming(resolveVariable);
  return [
    ownLogs(name('slack')),
    parameters(ssmPrefix(stage), ['slack-signing-secret']),
    {
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: sub(`arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name('worker')}`),
    },
  ];
};

/**
 * The `worker`: its own logs, its secrets, the state table (item reads and writes on that table
 * only: no scans, no other table), invoking itself to continue a delivery, the thread-evidence
 * objects in S3 (get and put under the prefix only), Logs Insights on the configured groups,
 * metrics.
 */
module.exports.workerStatements = async ({ resolveVariable }) => {
  const { stage, name } = await naming(resolveVariable);
  const config = readWhy502Config();
  const aws = config.aws || {};
  const region = aws.region || '${AWS::Region}';
  const groups = Array.isArray(aws.proxyLogGroups) ? aws.proxyLogGroups : [];
  const statements = [
    ownLogs(name('worker')),
    parameters(ssmPrefix(stage), ['slack-bot-token', 'openai-api-key']),
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      // serverless.yml names the table ${self:service}-${sls:stage}-state.
      Resource: sub(`arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${name('state')}`),
    },
    {
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: sub(`arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name('worker')}`),
    },
  ];
  statements.push(evidenceStatement());
  if (groups.length > 0) {
    statements.push({
      Effect: 'Allow',
      Action: ['logs:StartQuery'],
      Resource: groups.flatMap((group) => [
        sub(`arn:\${AWS::Partition}:logs:${region}:\${AWS::AccountId}:log-group:${group}`),
        sub(`arn:\${AWS::Partition}:logs:${region}:\${AWS::AccountId}:log-group:${group}:*`),
      ]),
    });
    // GetQueryResults and StopQuery take a query id and support no resource-level permissions.
    statements.push({ Effect: 'Allow', Action: ['logs:GetQueryResults', 'logs:StopQuery'], Resource: '*' });
  }
  if (aws.loadBalancer) {
    // GetMetricData supports no resource-level permissions; it only reads metrics.
    statements.push({ Effect: 'Allow', Action: ['cloudwatch:GetMetricData'], Resource: '*' });
  }
  if (aws.athena) {
    // The workgroup, the one Glue table, the log prefix (aws.athena.logLocation) and the results location.
    statements.push(...athenaStatements(aws.athena, aws.athena.logLocation, { region: aws.region }));
  }
  if (aws.changes) {
    // What changed (docs/causes.md): read-only calls on what aws.changes and the indexes name.
    statements.push(...changesStatements(config, { region: aws.region }));
  }
  return statements;
};
