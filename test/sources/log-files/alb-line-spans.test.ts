import { describe, expect, it } from 'vitest';
import { createIndexMatcher, type IndexSelector } from '../../../src/evidence/index-matcher.js';
import { newLbLineSummary, parseLbLine, summarizeLbLineAt } from '../../../src/parsers/alb-line.js';
import { ArnInterner, createAlbSpanMatcher, urlSpan } from '../../../src/sources/log-files/alb-line-spans.js';
import {
  CORPORA,
  logFilesIn,
  type RealFormatCorpus,
  readCorpusLines,
  SHARED_CORPUS,
} from '../../fixtures/real-format/real-format-corpus.js';
import { warnSharedAbsentOnce } from '../../support/shared-paths.js';

const ARN = 'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/k8s-prod000audio/0123456789abcdef';

/** An ALB line with this request field (as logged, quotes included) and target group. */
function albLine(request: string, arn = ARN): string {
  return (
    `https 2026-06-18T19:41:00.186641Z app/k8s-ingress/0123456789abcdef 203.0.113.7:51234 10.0.2.15:8080 0.001 0.020 0.000 200 200 412 1873 ${request} "curl/8.5.0" ` +
    `ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ${arn} "Root=1-66c5" "api.example.com" "-" 3 2026-06-18T19:41:00.117000Z "forward" "-" "-" "10.0.2.15:8080" "200" "-" "-" TID_1`
  );
}

const REQUESTS = [
  '"POST https://search.example.com:443/indexes/prod_000_audio/search HTTP/1.1"',
  '"GET https://search.example.com:443/indexes/prod_000_audio HTTP/1.1"',
  '"GET https://search.example.com:443/indexes/prod_000_audio?q=/x/prod_000_audio/ HTTP/1.1"',
  '"GET https://search.example.com:443/indexes/prod_000_audio2/search HTTP/1.1"',
  '"GET https://search.example.com:443/a b/prod_000_audio/ c HTTP/1.1"',
  '"GET https://search.example.com:443/x?y/prod_000_audio HTTP/1.1"',
  '"GET /prod_000_audio HTTP/1.1"',
  '"GET /indexes/prod_000_audio   "',
  '"GET https://search.example.com:443/prod_000_audio"',
  '"- - - "',
  '"-"',
  '"GET - HTTP/1.1"',
  '"GET  HTTP/1.1"',
  '"POST https://search.example.com:443/indexes/prod_001_images/search HTTP/1.1"',
  '"POST https://h:443/indexes/PROD_000_AUDIO/search HTTP/2.0"',
  '" /prod_000_audio HTTP/1.1"',
  '"GET https://h:443/indexes/prod_000_audio?q=1 HTTP/1.1"',
  '"GET https://h:443/indexes/prod_000_audio?q/x HTTP/1.1"',
  '"GET https://h:443/indexes/prod_000_aud HTTP/1.1"',
];

const SELECTORS: IndexSelector[] = [
  { index: 'prod_000_audio' },
  { index: 'prod_000_audio?q' },
  { index: 'prod_000_audio HTTP' },
  { index: 'prod_000_audio', match: '/indexes/prod_000_audio/' },
  { index: 'prod_000_audio', match: 'audio?q' },
  { index: 'prod_000_audio', match: 'search ' },
  { index: 'prod_000_audio', targetGroup: 'targetgroup/k8s-prod000audio/0123456789abcdef' },
  { index: 'prod_000_audio', targetGroup: 'targetgroup/other/0123456789abcdef' },
];

/** The line as a span of a longer text, as the reader sees it: other lines around it. */
function inText(line: string): { text: string; start: number; end: number } {
  const before = `${albLine(REQUESTS[13]!)}\n`;
  const text = `${before}${line}\n${albLine(REQUESTS[0]!)}\n`;
  return { text, start: before.length, end: before.length + line.length };
}

describe('urlSpan', () => {
  it('finds the URL parseLbLine gives for every shape of request field', () => {
    for (const request of REQUESTS) {
      // Prepare
      const line = albLine(request);
      const { text, start, end } = inText(line);
      const summary = summarizeLbLineAt(text, start, end, newLbLineSummary());
      const url = { start: 0, end: 0 };
      // Act
      const found = urlSpan(text, summary.requestStart, summary.requestEnd, url);
      // Assess
      const record = parseLbLine(line);
      expect(record.kind, request).toBe('alb');
      expect(found ? text.slice(url.start, url.end) : null, request).toBe(
        record.kind === 'alb' ? record.url : undefined,
      );
    }
  });
});

describe('createAlbSpanMatcher', () => {
  it('says what createIndexMatcher says for every selector, request and target group', () => {
    for (const selector of SELECTORS) {
      const matcher = createIndexMatcher(selector);
      const belongsAt = createAlbSpanMatcher(selector);
      for (const request of REQUESTS) {
        for (const arn of [
          ARN,
          'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/other/0123456789abcdef',
          '-',
        ]) {
          // Prepare
          const line = albLine(request, arn);
          const { text, start, end } = inText(line);
          const summary = summarizeLbLineAt(text, start, end, newLbLineSummary());
          const record = parseLbLine(line);
          if (record.kind !== 'alb') throw new Error(`not an ALB line: ${line}`);
          // Act
          const belongs = belongsAt(text, record.targetGroupArn, summary.requestStart, summary.requestEnd);
          // Assess
          expect(belongs, `${JSON.stringify(selector)} ${request} ${arn}`).toBe(
            matcher.albBelongs(record.targetGroupArn, record.url),
          );
        }
      }
    }
  });

  /** Valid ALB lines each corpus has at least (the repository fixtures hold 44). */
  const minimumChecked = (corpus: RealFormatCorpus) => (corpus === SHARED_CORPUS ? 300 : 40);

  for (const corpus of CORPORA) {
    it.skipIf(!corpus.present)(`says what createIndexMatcher says on every ALB line of ${corpus.name}`, () => {
      const lines = logFilesIn(corpus, 'alb').flatMap((file) => readCorpusLines(corpus, `alb/${file}`));
      let checked = 0;
      for (const line of lines) {
        const record = parseLbLine(line);
        if (record.kind !== 'alb') continue;
        const { text, start, end } = inText(line);
        const summary = summarizeLbLineAt(text, start, end, newLbLineSummary());
        const url = { start: 0, end: 0 };
        expect(
          urlSpan(text, summary.requestStart, summary.requestEnd, url) ? text.slice(url.start, url.end) : null,
          line,
        ).toBe(record.url);
        const segments = (record.url ?? '/').split('?')[0]!.split('/').filter(Boolean);
        for (const index of [...segments, 'no_such_index']) {
          const selector = { index };
          expect(
            createAlbSpanMatcher(selector)(text, record.targetGroupArn, summary.requestStart, summary.requestEnd),
            `${index} in ${line}`,
          ).toBe(createIndexMatcher(selector).albBelongs(record.targetGroupArn, record.url));
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(minimumChecked(corpus));
    });
  }
});

describe('ArnInterner', () => {
  it('gives the same string for the same target group wherever its line lies, and a different one for another', () => {
    // Prepare
    const interner = new ArnInterner();
    const other = ARN.replace('0123456789abcdef', '0123456789abcdee');
    const text = `x ${ARN} y ${other} z ${ARN} ${ARN.replace('audio', 'video')}`;
    const span = (from: number, value: string) =>
      [text.indexOf(value, from), text.indexOf(value, from) + value.length] as const;
    // Act
    const first = interner.intern(text, ...span(0, ARN));
    const second = interner.intern(text, ...span(0, other));
    const third = interner.intern(text, ...span(text.indexOf(' z ') + 1, ARN));
    // Assess
    expect([first, second, third]).toEqual([ARN, other, ARN]);
    expect(third).toBe(first);
  });

  it('tells apart target groups whose ARNs end alike and are as long, line after line', () => {
    // Prepare: the same id after names of the same length share the interner's key
    const interner = new ArnInterner();
    const audio = ARN;
    const video = ARN.replace('audio', 'video');
    const lines = [audio, video, audio, video, video, audio];
    const text = lines.map((arn) => `x ${arn} y`).join('\n');
    let from = 0;
    // Act
    const interned = lines.map((arn) => {
      const start = text.indexOf(arn, from);
      from = start + arn.length;
      return interner.intern(text, start, start + arn.length);
    });
    // Assess
    expect(interned).toEqual(lines);
    expect(interned[2]).toBe(interned[0]);
    expect(interned[4]).toBe(interned[1]);
  });
});

warnSharedAbsentOnce();
