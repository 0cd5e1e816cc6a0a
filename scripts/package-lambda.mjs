#!/usr/bin/env node
/**
 * Builds the Lambda deployment artifacts offline: no AWS credentials, no network.
 *
 *   node scripts/package-lambda.mjs [--stage <stage>] [--region <region>] [--bundle-only]
 *
 * 1. esbuild bundles src/lambda/slack.ts and src/lambda/worker.ts into dist/lambda/*.mjs
 *    (ESM, node22, everything inlined: the AWS SDK clients too, so the versions we tested are
 *    the versions that run).
 * 2. `osls package` zips each function with what it needs (the bundle, templates/ for the
 *    worker, why502.yml when present) and writes the CloudFormation templates, all under
 *    .serverless/. `osls deploy --package .serverless` uploads exactly that later.
 *
 * Files read at run time are found from `import.meta.url` in the sources; in one bundle that
 * URL would point at the bundle for every module, so each source file's `import.meta.url` is
 * rewritten to its own path inside the package (dist/lambda/ is two levels below the root).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE_DIR = path.join(ROOT, 'dist', 'lambda');
export const ENTRY_POINTS = { slack: 'src/lambda/slack.ts', worker: 'src/lambda/worker.ts' };

/**
 * Bundles both handlers; returns the paths written and their sizes in bytes. `packageRoot` is
 * the folder the bundle will find its run-time files in (templates/, assets/fonts/, the resvg
 * wasm), as a path relative to `outdir` is baked in: the repository by default, which is the
 * package's layout too (dist/lambda/ two levels below it); a test building a package elsewhere
 * passes that package's folder.
 */
export async function bundleLambdas({ outdir = BUNDLE_DIR, minify = true, packageRoot = ROOT } = {}) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const packageRootFromBundle = `${path.relative(outdir, packageRoot).split(path.sep).join('/')}/`;
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => [name, path.join(ROOT, file)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    // Optional native speed-ups of `ws` (Socket Mode); never used on Lambda.
    external: ['bufferutil', 'utf-8-validate'],
    banner: {
      js: [
        // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
        "import { createRequire as __why502CreateRequire } from 'node:module';",
        'const require = __why502CreateRequire(import.meta.url);',
        `const __why502PackageRoot = new URL(${JSON.stringify(packageRootFromBundle)}, import.meta.url);`,
      ].join('\n'),
    },
    plugins: [packageRelativeImportMetaUrl()],
  });
  const outputs = {};
  for (const name of Object.keys(ENTRY_POINTS)) {
    const file = path.join(outdir, `${name}.mjs`);
    outputs[name] = { file, bytes: (await stat(file)).size };
  }
  return { outputs, metafile: result.metafile };
}

function packageRelativeImportMetaUrl() {
  return {
    name: 'package-relative-import-meta-url',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/](src|commands)[\\/].*\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const inPackage = path.relative(ROOT, args.path).split(path.sep).join('/');
        return {
          contents: source.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(inPackage)}, __why502PackageRoot).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}

/** Runs `osls package` from node_modules with AWS credentials removed from its environment. */
export function packageWithOsls({ stage = 'prod', region } = {}) {
  const env = { ...process.env };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete env[name];
  const args = ['package', '--stage', stage, ...(region ? ['--region', region] : [])];
  const osls = path.join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
  const run = spawnSync(process.execPath, [osls, ...args], { cwd: ROOT, env, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`osls package failed with exit status ${run.status}`);
}

function option(argv, name) {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv) {
  const started = Date.now();
  const { outputs } = await bundleLambdas();
  for (const [name, { file, bytes }] of Object.entries(outputs)) {
    process.stderr.write(`bundled ${name}: ${path.relative(ROOT, file)} (${(bytes / 1024).toFixed(0)} KiB)\n`);
  }
  if (!argv.includes('--bundle-only')) {
    packageWithOsls({ stage: option(argv, '--stage') ?? 'prod', region: option(argv, '--region') });
    process.stderr.write('packaged: .serverless/slack.zip, .serverless/worker.zip and the CloudFormation templates\n');
  }
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`package-lambda: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
