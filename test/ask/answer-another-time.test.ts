import { rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerAnotherTime, newInvestigationCommand } from '../../src/ask/answer-another-time.js';
import { plainTextOf } from '../../src/ask/answer-document.js';
import { evidenceFromReport } from '../../src/ask/evidence-from-report.js';
import { followUpContextFor, parseFollowUp } from '../../src/ask/parse-follow-up.js';
import type { ReportJson } from '../../src/core/report.js';
import type { AskedTime, Evidence } from '../../src/core/types.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { buildReport } from '../../src/report/build-report.js';
import { judgeEvidence } from '../../src/verdict/judge-evidence.js';
import { loadDemoReport } from '../render/support/demo-report.js';
import { INDEX, incident, judgeScenario, minute } from '../support/scenarios.js';
import { tenantReport } from './support/tenant-report.js';

const DEMO_NOW = new Date('2026-06-18T23:00:00Z');

function askedIn(report: ReportJson, text: string, now = DEMO_NOW): AskedTime {
  const question = parseFollowUp(text, followUpContextFor(report, now));
  if (question.kind !== 'time') throw new Error(`"${text}" is not a time: ${JSON.stringify(question)}`);
  return question.asked;
}

function rejudged(report: ReportJson, text: string) {
  const answer = answerAnotherTime(report, askedIn(report, text));
  if (answer.kind !== 'rejudged') throw new Error(`"${text}" was not re-judged: ${plainTextOf(answer.document)}`);
  return answer;
}

/** The findings the engine gives when the original evidence is judged at another minute. */
function judgeOriginalAt(evidence: Evidence, asked: AskedTime) {
  return judgeEvidence({ ...evidence, at: asked.at }, createTimeFormatter(asked.zone, { referenceInstant: asked.at }));
}

describe('answerAnotherTime on the demo report', () => {
  let demo: ReportJson;
  beforeAll(async () => {
    demo = await loadDemoReport();
  });

  it("gives the report's own verdict when asked about the report's own minute", () => {
    // Prepare: the demo asked 05:41 AEST
    // Act
    const answer = rejudged(demo, '05:41');

    // Assess
    expect(answer.report.verdict).toEqual(demo.verdict);
    expect(answer.report.findings.map((f) => [f.kind, f.headline, f.confidence])).toEqual(
      demo.findings.map((f) => [f.kind, f.headline, f.confidence]),
    );
    expect(answer.report.signals).toEqual(demo.signals);
  });

  it('judges another minute inside the window from the same counts, with no new query', () => {
    const answer = rejudged(demo, '06:30');

    const requestsAt = demo.signals.requests!.perMinute.find((p) => p.minute === '2026-06-18T20:30:00Z')!.count;
    expect({
      at: answer.report.at,
      window: answer.report.window,
      kind: answer.report.verdict.kind,
      requestsAt: answer.report.signals.requests!.atMinute,
    }).toEqual({
      at: '2026-06-18T20:30:00Z',
      window: demo.window,
      kind: 'keepalive_race',
      requestsAt,
    });
    expect(answer.report.verdict.headline).toBe(
      'A flat background of LB-minted 502s (~2.1/min across 20 target groups, 0.45 % of requests): the keep-alive race between the load balancer and its targets, not a spike.',
    );
    expect(answer.document.title).toBe('prod_000_audio at 19 Jun 06:30 AEST (20:30 UTC, 18 Jun)');
    expect(answer.document.blocks.at(-1)).toEqual({
      kind: 'note',
      text: 'Judged again from the evidence this thread already gathered (04:11–07:11 AEST (18:11–21:11 UTC)); no new queries.',
    });
  });

  it('says 08:22 AEST is outside the window and carries the new investigation to run', () => {
    const answer = answerAnotherTime(demo, askedIn(demo, '08:22'));

    expect(answer.kind).toBe('needs_investigation');
    if (answer.kind !== 'needs_investigation') return;
    expect({ commandText: answer.commandText, window: answer.window }).toEqual({
      commandText: 'prod_000_audio 2026-06-19T08:22+10:00 AEST --window 3h',
      window: '3h',
    });
    expect(plainTextOf(answer.document)).toBe(
      [
        "19 Jun 08:22 AEST (22:22 UTC, 18 Jun) is outside this thread's evidence",
        'The evidence gathered for prod_000_audio covers 04:11–07:11 AEST (18:11–21:11 UTC); 08:22 AEST (22:22 UTC) is 1h12m after its end.',
        'That minute needs a new investigation of prod_000_audio, with a 3h window centred on it.',
      ].join('\n'),
    );
    const command = newInvestigationCommand(answer, { now: new Date('2026-06-19T03:00:00Z') });
    expect({
      index: command.index,
      at: command.asked.at.toISOString(),
      zone: command.asked.zone,
      start: command.window.start.toISOString(),
      end: command.window.end.toISOString(),
    }).toEqual({
      index: 'prod_000_audio',
      at: '2026-06-18T22:22:00.000Z',
      zone: { kind: 'fixed', label: 'AEST', offsetMinutes: 600 },
      start: '2026-06-18T20:52:00.000Z',
      end: '2026-06-18T23:52:00.000Z',
    });
  });

  it('warns when the minute sits at the edge of the gathered window', () => {
    const answer = rejudged(demo, '07:08');

    expect(answer.document.blocks.at(-1)).toEqual({
      kind: 'note',
      text: 'Judged again from the evidence this thread already gathered (04:11–07:11 AEST (18:11–21:11 UTC)); no new queries. This minute is 2 min from the edge of that window: what came just after (or before) it was not gathered.',
    });
  });
});

describe('evidenceFromReport', () => {
  it('gives back the evidence a report was built from, holes as holes and unmeasured signals without numbers', async () => {
    // Prepare: an incident whose proxy log for 19:00–19:59 UTC is missing from the download
    const { command, evidence, findings } = await judgeScenario(incident([{ kind: 'keepalive_502', perMinute: 3 }]), {
      damage: (written) => rmSync(path.join(written.proxyDir, 'haproxy-2026061819.log')),
    });
    const report = buildReport(command, evidence, findings);

    // Act
    const back = evidenceFromReport(report, evidence.at);

    // Assess
    const shape = (e: Evidence) =>
      Object.fromEntries(
        Object.entries(e.signals).map(([name, s]) => [
          name,
          { status: s!.status, counts: s!.counts, uncovered: s!.uncovered ?? [], reason: s!.reason },
        ]),
      );
    expect(shape(back)).toEqual(shape(evidence));
    expect(back.signals.origin_5xx.uncovered).toEqual([[49, 108]]);
    expect(back.signals.target_connection_errors.counts).toBeNull();
  });
});

describe('answerAnotherTime with the tenants of the access logs', () => {
  const neighbourDown = {
    kind: 'target_down',
    index: 'prod_004_video',
    fromMinute: minute('19:50'),
    toMinute: minute('19:56'),
    failFraction: 0.6,
  } as const;
  const events = [
    {
      kind: 'throttle',
      index: INDEX,
      fromMinute: minute('19:29'),
      toMinute: minute('19:40'),
      peakPerMinute: 150,
    } as const,
    { kind: 'keepalive_502', perMinute: 2 } as const,
    neighbourDown,
  ];

  it('reaches the verdict the original evidence gives at each minute, a neighbour’s burst included', async () => {
    const { report, spec } = await tenantReport(events);
    const original = await judgeScenario(spec);

    for (const text of ['05:41', '05:53', '04:30', '06:50']) {
      const asked = askedIn(report, text);
      expect(rejudged(report, text).report.findings, text).toEqual(judgeOriginalAt(original.evidence, asked));
    }
  });
});
