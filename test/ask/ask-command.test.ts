import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { loadDemoReport } from '../render/support/demo-report.js';
import { runCli } from '../support/run-cli.js';

const NOW = ['--now', '2026-06-18T23:00:00Z'];
let dir: string;
let demo: ReportJson;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'why502-ask-command-'));
  demo = await loadDemoReport();
  writeFileSync(path.join(dir, 'demo.json'), JSON.stringify(demo, null, 2));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ask = (...args: string[]) => runCli(['ask', ...args], { cwd: dir });

describe('why502 ask on the demo report', () => {
  it('answers impact as the seed did, with 1 in N and the worst minute', async () => {
    const run = await ask('demo.json', 'impact', ...NOW);

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(
      'prod_000_audio: 163 of its 31,827 requests got a 5xx (1 in 195, 0.51 %), 163 of them minted by the\nload balancer itself.',
    );
    expect(run.stdout).toContain('• Worst minute: 05:05 AEST (19:05 UTC), 4 of 189 requests got a 5xx (2.1 %)');
  });

  it('answers tenants with what it knows when the report has no per-target-group counts', async () => {
    const withoutTenants = structuredClone(demo);
    delete withoutTenants.tenants;
    writeFileSync(path.join(dir, 'no-tenants.json'), JSON.stringify(withoutTenants));

    const run = await ask('no-tenants.json', 'tenants', ...NOW);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('The per-target-group counts were not read for this report');
    expect(run.stdout).toContain(
      'On the whole load balancer: 379 LB-minted 5xx; for prod_000_audio: 163 (43 % of them).',
    );
  });

  it('says 08:22 needs a new investigation and prints the command to run', async () => {
    const run = await ask('demo.json', '08:22', ...NOW);

    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Run: npx why502 prod_000_audio 2026-06-19T08:22+10:00 AEST --window 3h (with your --alb-logs/--proxy-logs or --config)',
    );
  });

  it('re-judges a minute inside the window', async () => {
    const run = await ask('demo.json', '06:30', ...NOW);

    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      'prod_000_audio at 19 Jun 06:30 AEST (20:30 UTC, 18 Jun)',
      '',
      'LB keep-alive race (flat background) · confidence medium',
    ]);
  });

  it('checks the claim "537k 502s" as JSON: impossible, against the 31,827 requests', async () => {
    const run = await ask('demo.json', 'claim', '537k', '502s', '--format', 'json', ...NOW);

    const output = JSON.parse(run.stdout) as {
      question: unknown;
      answer: { kind: string; verdict: string; requests: { ceiling: number } };
      text: string;
    };
    expect(output.question).toEqual({
      kind: 'claim',
      figure: 537_000,
      figureText: '537k',
      status: '502',
      durationMinutes: null,
    });
    expect({
      kind: output.answer.kind,
      verdict: output.answer.verdict,
      ceiling: output.answer.requests.ceiling,
    }).toEqual({ kind: 'claim', verdict: 'impossible', ceiling: 31_827 });
    expect(output.text.split('\n')[1]).toBe('537,000 502s in 3 h: that cannot be HTTP responses from us.');
  });

  it('lists the questions when none is asked', async () => {
    const run = await ask('demo.json');

    expect({ code: run.code, first: run.stdout.split('\n')[0] }).toEqual({
      code: 0,
      first: 'I can answer, in this thread:',
    });
  });
});

describe('why502 ask refuses bad input with exit 2', () => {
  it('names a report file that does not exist', async () => {
    const run = await ask('missing.json', 'impact');

    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'why502: The report "missing.json" does not exist or cannot be read. Save one with e.g. "npx why502 demo --format json > report.json", then "npx why502 ask report.json impact".\n',
    });
  });

  it('says a file is not JSON, or not a why502 report, and which fields are wrong', async () => {
    writeFileSync(path.join(dir, 'text.json'), 'prod_000_audio 05:41 AEST\n');
    writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ schemaVersion: 1, index: 'x', at: 'yesterday' }));
    const hint =
      ' Save one with e.g. "npx why502 prod_000_audio 05:41 AEST --format json > report.json" (or "npx why502 demo --format json > report.json").\n';

    const [text, other] = [await ask('text.json', 'impact'), await ask('other.json', 'impact')];

    expect(text).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^why502: text\.json is not JSON \(.+\)\. Save one with/),
    });
    expect(other).toEqual({
      code: 2,
      stdout: '',
      stderr: `why502: other.json is not a valid why502 report: asked: Invalid input: expected object, received undefined; at: an ISO 8601 UTC instant such as 2026-06-18T19:41:00Z; window: Invalid input: expected object, received undefined; sources: Invalid input: expected array, received undefined; signals: Invalid input: expected record, received undefined (and 2 more).${hint}`,
    });
  });

  it('says what is wrong with a question, then what can be asked', async () => {
    const run = await ask('demo.json', 'claim', 'lots', 'of', '502s', ...NOW);

    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'why502: "lots" is not a number I can read. Numbers look like 537k, 537,000, 537000 or 1.2M. Write it as: claim <number> [502s|503s|504s|5xx|429s|errors] [over <duration>], e.g. "claim 537k 502s over 4h". I can answer: 08:22 · impact · tenants · claim 537k 502s over 4h · rows · help, or free text. Run "npx why502 ask demo.json help" for the list.\n',
    });
  });
});
