import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import type { ChartImage } from '../../src/render/chart/render-chart.js';
import { renderChartPng } from '../../src/slack/chart-image.js';
import type { ChartImageRenderer } from '../../src/slack/thread-chart.js';
import { decodePng, inkPixels } from '../render/support/decode-png.js';
import { demoResult } from './support/demo-report.js';
import type { RecordedCall } from './support/fake-slack-api.js';
import { type Harness, startHarness } from './support/harness.js';
import { throttlingReport } from './support/report-fixture.js';
import { postSigned, slashCommandBody } from './support/slack-requests.js';

/**
 * The picture in the thread against the Slack stand-in speaking the Web API: the chart block in
 * the verdict and its fallbacks when a workspace refuses it, then the PNG shared with the
 * current upload flow after the verdict and the draft, and every way that upload can fail.
 */
let demo: ReportJson;
let image: ChartImage;
beforeAll(async () => {
  const { report, formatter } = await demoResult();
  delete report.samples; // the thread's layouts, not the sample rows, are under test here
  demo = report;
  image = await renderChartPng(demo, formatter);
}, 60_000);

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const PARENT_TS = '1750275660.000100';
const renderOnce: ChartImageRenderer = async () => image;

async function start(options: { report?: ReportJson; chartImage?: ChartImageRenderer } = {}) {
  const report = options.report ?? demo;
  harness = await startHarness({
    runner: { report: () => structuredClone(report) },
    app: { chartImage: options.chartImage ?? renderOnce },
  });
  return harness;
}

async function investigate(h: Harness) {
  await postSigned(
    h.eventsUrl,
    slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: h.api.responseUrl('cmd') }),
  );
  await h.handle.whenIdle();
}

const blockTypes = (call: RecordedCall) =>
  ((call.body.blocks as Array<{ type: string }> | undefined) ?? []).map((b) => b.type);
const layoutOf = (call: RecordedCall) => {
  const types = blockTypes(call);
  if (types.length === 0) return 'text';
  const table = types.includes('table') ? 'native' : 'stacked';
  if (types.includes('data_visualization')) return `chart+${table}`;
  return JSON.stringify(call.body.blocks).includes('*Per minute, ') ? `sparklines+${table}` : table;
};
const verdictTries = (h: Harness) => h.api.callsTo('chat.postMessage').filter((c) => c.body.metadata !== undefined);
/** What the channel shows, in order: posts (successful), the parent's update, and files shared. */
const timeline = (h: Harness) =>
  h.api.calls
    .filter((c) => c.result)
    .map((c) => {
      if (c.method === 'chat.update') return 'parent updated';
      if (c.method === 'files.getUploadURLExternal') return 'upload URL';
      if (c.method === 'files.completeUploadExternal') return 'file shared';
      if (!c.body.thread_ts) return 'parent';
      if (c.body.metadata) return `verdict (${layoutOf(c)})`;
      return String(c.body.text).startsWith('Customer draft') ? 'draft' : `note: ${String(c.body.text)}`;
    });
const jobOutcomes = (h: Harness) =>
  h.logger.lines.filter((l) => l.message === 'Job finished').map((l) => l.fields?.outcome);

describe('the chart block in the verdict', () => {
  it('is in the verdict, between the headline and the table, when the workspace takes it', async () => {
    const h = await start();

    await investigate(h);

    expect(verdictTries(h).map(layoutOf)).toEqual(['chart+native']);
    expect(blockTypes(verdictTries(h)[0]!).slice(0, 4)).toEqual(['header', 'section', 'data_visualization', 'table']);
  });

  it('goes out without it, sparklines in its place and the metadata kept, when the workspace answers invalid_blocks', async () => {
    const h = await start();
    h.api.withoutBlockTypes('data_visualization');

    await investigate(h);

    const tries = verdictTries(h);
    expect(tries.map((c) => [layoutOf(c), c.result ? 'posted' : 'refused'])).toEqual([
      ['chart+native', 'refused'],
      ['sparklines+native', 'posted'],
    ]);
    expect(tries[1]!.body.metadata).toEqual(tries[0]!.body.metadata);
    expect(String((tries[1]!.body.blocks as Array<{ text?: { text: string } }>)[2]!.text!.text)).toMatch(
      /^\*Per minute, 04:11–07:11 AEST \(18:11–21:11 UTC\)\* · 5 min a character/,
    );
    expect(timeline(h)).toEqual([
      'parent',
      'verdict (sparklines+native)',
      'draft',
      'parent updated',
      'upload URL',
      'file shared',
    ]);
    expect(
      h.logger.lines.filter((l) => l.message === 'Slack did not take a thread reply').map((l) => l.fields?.kind),
    ).toEqual(['rejected']);
  });

  it('steps down to the stacked lines with sparklines when the workspace has neither the chart nor the table block', async () => {
    const h = await start();
    h.api.withoutBlockTypes('data_visualization', 'table');

    await investigate(h);

    expect(verdictTries(h).map((c) => [layoutOf(c), c.result ? 'posted' : 'refused'])).toEqual([
      ['chart+native', 'refused'],
      ['sparklines+native', 'refused'],
      ['sparklines+stacked', 'posted'],
    ]);
    expect(jobOutcomes(h)).toEqual(['done']);
  });

  it('goes out without it when Slack fails the message with HTTP 500', async () => {
    const h = await start();
    h.api.failWhen(
      'chat.postMessage',
      (body) => JSON.stringify(body.blocks ?? []).includes('data_visualization'),
      { status: 500 },
      10,
    );

    await investigate(h);

    expect(verdictTries(h).map((c) => [layoutOf(c), c.result ? 'posted' : 'failed'])).toEqual([
      ['chart+native', 'failed'],
      ['sparklines+native', 'posted'],
    ]);
  });
});

describe('the chart image in the thread', () => {
  it('is shared after the verdict, the draft and the parent’s update, with the three documented calls', async () => {
    const h = await start();

    await investigate(h);

    expect(timeline(h)).toEqual([
      'parent',
      'verdict (chart+native)',
      'draft',
      'parent updated',
      'upload URL',
      'file shared',
    ]);
    const [asked, completed] = [
      h.api.callsTo('files.getUploadURLExternal')[0]!,
      h.api.callsTo('files.completeUploadExternal')[0]!,
    ];
    expect(asked.body).toEqual({
      filename: 'why502-prod_000_audio-0541-AEST.png',
      length: String(image.bytes.length),
      alt_text: image.altText,
    });
    expect(asked.result).toEqual({
      ok: true,
      upload_url: `${h.api.apiUrl.replace(/api\/$/, '')}upload/v1/F0000000001`,
      file_id: 'F0000000001',
    });
    expect(completed.body).toEqual({
      files: [{ id: 'F0000000001', title: 'prod_000_audio · per minute, 04:11–07:11 AEST (18:11–21:11 UTC)' }],
      channel_id: 'C0ONCALL',
      thread_ts: PARENT_TS,
    });
    const [file] = h.api.files;
    expect([file!.contentType?.split(';')[0], Buffer.from(file!.bytes!).equals(Buffer.from(image.bytes))]).toEqual([
      'multipart/form-data',
      true,
    ]);
    expect(file!.shared).toEqual({
      channelId: 'C0ONCALL',
      threadTs: PARENT_TS,
      title: 'prod_000_audio · per minute, 04:11–07:11 AEST (18:11–21:11 UTC)',
    });
    expect(jobOutcomes(h)).toEqual(['done']);
  });

  it('carries the chart as drawn: a PNG with its title and time labels in ink', async () => {
    const h = await start();

    await investigate(h);

    const png = decodePng(h.api.files[0]!.bytes!);
    expect([png.width, png.height]).toEqual([image.width, image.height]);
    expect(inkPixels(png, { x: 0, y: 0, width: 1100, height: 90 })).toBeGreaterThan(2000);
    expect(image.altText).toMatch(/^prod_000_audio · 429 throttling, not 502s\. Per-minute chart/);
  });

  it.each([
    [
      'files.getUploadURLExternal refused for a missing scope',
      'files.getUploadURLExternal',
      { error: 'missing_scope' },
      'Slack said missing_scope: the app lacks a scope it needs; reinstall it from manifest.yml',
    ],
    ['the upload URL answering HTTP 500', 'upload', { status: 500 as const }, 'Slack answered HTTP 500'],
    [
      'files.completeUploadExternal failing',
      'files.completeUploadExternal',
      { error: 'internal_error' },
      'Slack said internal_error',
    ],
  ])('is one line in the thread, after the verdict and the draft, when %s', async (_name, method, failure, reason) => {
    const h = await start();
    h.api.failNext(method, failure);

    await investigate(h);

    expect(timeline(h).filter((step) => step !== 'upload URL')).toEqual([
      'parent',
      'verdict (chart+native)',
      'draft',
      'parent updated',
      `note: :warning: I could not attach the chart image: ${reason}`,
    ]);
    expect(h.api.responses).toEqual([]);
    expect(jobOutcomes(h)).toEqual(['done']);
  });

  it('cuts a long alt text to the 1,000 characters files.getUploadURLExternal takes', async () => {
    const h = await start({ chartImage: async () => ({ ...image, altText: `${'a'.repeat(999)}bcdef` }) });

    await investigate(h);

    expect(h.api.files.map((f) => [f.altText?.length, f.altText?.slice(-2), f.shared !== undefined])).toEqual([
      [1000, 'ab', true],
    ]);
  });

  it('is one line in the thread when the chart cannot be drawn', async () => {
    const h = await start({ chartImage: async () => Promise.reject(new Error('RuntimeError: unreachable (wasm)')) });

    await investigate(h);

    expect(timeline(h)).toEqual([
      'parent',
      'verdict (chart+native)',
      'draft',
      'parent updated',
      'note: :warning: I could not attach the chart image: drawing it failed; the details are in the logs',
    ]);
    expect(jobOutcomes(h)).toEqual(['done']);
  });

  it('is not attempted when the verdict could not be posted', async () => {
    const h = await start();
    h.api.failWhen('chat.postMessage', (body) => body.metadata !== undefined, { error: 'invalid_metadata_format' }, 10);

    await investigate(h);

    expect(h.api.callsTo('files.getUploadURLExternal')).toEqual([]);
    expect(timeline(h).filter((step) => step.startsWith('verdict'))).toEqual([]);
  });

  it('is not drawn when no minute was measured', async () => {
    let drawn = 0;
    const count: ChartImageRenderer = async () => {
      drawn += 1;
      return image;
    };
    const h = await start({ report: throttlingReport(), chartImage: count });

    await investigate(h);

    expect([drawn, h.api.callsTo('files.getUploadURLExternal').length]).toEqual([0, 0]);
    expect(timeline(h)).toEqual(['parent', 'verdict (native)', 'draft', 'parent updated']);
  });
});
