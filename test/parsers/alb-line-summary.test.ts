import { describe, expect, it } from 'vitest';
import { type LbLine, newLbLineSummary, parseLbLine, summarizeLbLineAt } from '../../src/parsers/alb-line.js';
import {
  CORPORA,
  logFilesIn,
  type RealFormatCorpus,
  readCorpusLines,
  SHARED_CORPUS,
} from '../fixtures/real-format/real-format-corpus.js';
import { warnSharedAbsentOnce } from '../support/shared-paths.js';

/** What a summary must say about a line, derived from the full parse. */
function expectedSummary(parsed: LbLine) {
  if (parsed.kind === 'malformed') return { kind: 'malformed', reason: parsed.reason };
  return {
    kind: parsed.kind,
    timeMs: parsed.timeMs,
    type: parsed.kind === 'alb' ? parsed.type : '',
    elbStatus: parsed.kind === 'nlb' ? '' : parsed.elbStatus,
    targetStatus:
      parsed.kind === 'alb' ? parsed.targetStatus : parsed.kind === 'classic-elb' ? parsed.backendStatus : '',
  };
}

function realLines(corpus: RealFormatCorpus): string[] {
  return ['alb', 'elb-classic', 'nlb', 'haproxy'].flatMap((folder) =>
    logFilesIn(corpus, folder).flatMap((file) => readCorpusLines(corpus, `${folder}/${file}`)),
  );
}

/** Lines each corpus has at least (the repository fixtures' four folders hold 97). */
const minimumLines = (corpus: RealFormatCorpus) => (corpus === SHARED_CORPUS ? 700 : 90);

const HAND_LINES = [
  'https 2026-06-18T19:41:00.186641Z app/k8s-ingress/0123456789abcdef 203.0.113.7:51234 10.0.2.15:8080 -1 -1 -1 502 - 412 293 "GET https://api.example.com:443/v1/search HTTP/1.1" "curl/8.5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/api/73e2d6bc24d8a067 "Root=1-66c5" "api.example.com" "arn:aws:acm:x" 3 2026-06-18T19:41:00.117000Z "forward" "-" "-" "10.0.2.15:8080" "-" "-" "-" TID_1',
  'garbage',
  '',
  'https 2026-06-18T19:41:00Z app/x/1 1.2.3.4:5 - 0.001 x 0 200 200 1 2 "GET / HTTP/1.1"',
];

describe('summarizeLbLineAt', () => {
  it('agrees with parseLbLine on hand-made lines read as spans of a larger text', () => {
    const summary = newLbLineSummary();
    for (const line of HAND_LINES) {
      const text = `prefix line\n${line} \r\nnext line`;
      const start = text.indexOf('\n') + 1;

      summarizeLbLineAt(text, start, start + line.length, summary);

      expect(summary).toMatchObject(expectedSummary(parseLbLine(line)));
    }
  });

  for (const corpus of CORPORA) {
    it.skipIf(!corpus.present)(`agrees with parseLbLine on every line of ${corpus.name}`, () => {
      const summary = newLbLineSummary();
      const lines = realLines(corpus);
      for (const line of lines) {
        const text = `x\n${line}\ny`;

        summarizeLbLineAt(text, 2, 2 + line.length, summary);

        expect(summary, line).toMatchObject(expectedSummary(parseLbLine(line)));
      }
      expect(lines.length).toBeGreaterThan(minimumLines(corpus));
    });
  }
});

warnSharedAbsentOnce();
