import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AwsStandIns {
  /** A scratch folder: HOME, and where the (absent) AWS config and credential files would be. */
  home: string;
  region: string;
  /** Service → stand-in URL, set as AWS_ENDPOINT_URL_<SERVICE> (e.g. ATHENA, CLOUDWATCH_LOGS). */
  endpoints: Record<string, string>;
}

/**
 * Runs bin/why502.js from the repository root as a person's shell does, with a clean
 * environment: fake credentials, the region, AWS_ENDPOINT_URL_* pointing at the stand-ins; no
 * AWS profile or config file of this machine, no instance metadata, no OpenAI key (the draft is
 * the template). Asynchronous on purpose: this process keeps serving the stand-ins meanwhile.
 */
export function spawnWhy502(args: readonly string[], aws: AwsStandIns): Promise<ChildRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: aws.home,
    TZ: process.env.TZ ?? 'UTC',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: aws.region,
    AWS_CONFIG_FILE: path.join(aws.home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(aws.home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const [service, url] of Object.entries(aws.endpoints)) env[`AWS_ENDPOINT_URL_${service}`] = url;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/why502.js', ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
