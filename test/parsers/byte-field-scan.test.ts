import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentEnd, FieldScan } from '../../src/parsers/alb-fields.js';
import {
  attachLineBytes,
  type LbLineSummary,
  newLbLineSummary,
  summarizeLbLineAt,
} from '../../src/parsers/alb-line.js';
import { type ByteFieldScan, loadByteFieldScan } from '../../src/parsers/byte-field-scan.js';
import {
  CORPORA,
  logFilesIn,
  type RealFormatCorpus,
  readCorpusLines,
} from '../fixtures/real-format/real-format-corpus.js';
import { warnSharedAbsentOnce } from '../support/shared-paths.js';

// @ts-expect-error: a plain .mjs build script, without types
const { compileFieldScanWat, fieldScanModuleSource, MODULE_PATH } = await import('../../scripts/build-wasm.mjs');

const bytes = loadByteFieldScan() as ByteFieldScan;
const ASCII = /^[\x20-\x7e]*$/;

/** What a scan found: the count, the quote mask, and the ends of the fields it kept. */
function found(count: number, quotedMask: number, ends: Int32Array) {
  const complete = count < 0 ? -count - 1 : count;
  return { count, quotedMask, ends: [...ends.subarray(0, Math.min(complete, ends.length))] };
}

/** Both scans of text[start, lineEnd) as summarizeLbLineAt sets them up (trailing spaces off). */
function bothScans(text: string, start: number, lineEnd: number) {
  const end = contentEnd(text, start, lineEnd);
  const js = new FieldScan(64);
  js.scan(text, end, start);
  expect(bytes.load(Buffer.from(text, 'latin1'))).toBe(true);
  const count = bytes.scan(start, end);
  return { byBytes: found(count, bytes.quotedMask, bytes.ends), byJs: found(js.count, js.quotedMask, js.ends) };
}

function realLines(corpus: RealFormatCorpus): string[] {
  return ['alb', 'elb-classic', 'nlb', 'haproxy'].flatMap((folder) =>
    logFilesIn(corpus, folder).flatMap((file) => readCorpusLines(corpus, `${folder}/${file}`)),
  );
}

const HAND_LINES = [
  'https 2026-06-18T19:41:00.186641Z app/k8s/0123 203.0.113.7:51234 10.0.2.15:8080 -1 -1 -1 502 - 412 293 "GET https://api.example.com:443/v1/search HTTP/1.1" "curl/8.5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/api/73e2d6bc24d8a067 "Root=1-66c5" "api.example.com" "arn:aws:acm:x" 3 2026-06-18T19:41:00.117000Z "forward" "-" "-" "10.0.2.15:8080" "-" "-" "-" TID_1',
  'a "b c" "d"e" f',
  'a "unclosed quote to the end',
  '"',
  '""',
  '" "',
  'a  b   c',
  ' leading space',
  'x "y"',
  '"quote"at"end"',
  'abcdefghijklmno "pqrstuvwxyz0123" 4567',
  Array.from({ length: 80 }, (_, i) => (i % 3 === 0 ? `"f ${i}"` : `f${i}`)).join(' '),
];

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A line damaged the ways logs are: quotes and spaces inserted or doubled, characters lost, cut short. */
function damaged(line: string, next: () => number): string {
  let out = line;
  const edits = 1 + Math.floor(next() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const edit = Math.floor(next() * 5);
    if (edit === 0) out = `${out.slice(0, at)}"${out.slice(at)}`;
    else if (edit === 1) out = `${out.slice(0, at)} ${out.slice(at)}`;
    else if (edit === 2) out = out.slice(0, at) + out.slice(at + 1);
    else if (edit === 3) out = out.slice(0, at);
    else out = `${out.slice(0, at)}" ${out.slice(at)}`;
  }
  return out;
}

describe('ByteFieldScan (the WebAssembly field scan)', () => {
  it('is what field-scan.wat compiles to (run `npm run build:wasm` after editing the .wat)', async () => {
    expect(readFileSync(MODULE_PATH, 'utf8')).toBe(fieldScanModuleSource(await compileFieldScanWat()));
  });

  it('loads on this Node (WebAssembly SIMD is on by default in Node 20 and 22, x64 and arm64)', () => {
    expect(bytes).not.toBeNull();
  });

  it('finds the fields FieldScan finds on hand-made edge cases, at every offset of a 16-byte block', () => {
    for (const line of HAND_LINES) {
      for (let offset = 0; offset < 17; offset++) {
        // Quotes and spaces right after the line: a 16-byte read past its end must not see them.
        const text = `${'p'.repeat(offset)}\n${line}\n" " "x`;
        const { byBytes, byJs } = bothScans(text, offset + 1, offset + 1 + line.length);
        expect(byBytes, `${JSON.stringify(line)} at ${offset}`).toEqual(byJs);
      }
    }
  });

  for (const corpus of CORPORA) {
    it.skipIf(!corpus.present)(`finds the fields FieldScan finds on every ASCII line of ${corpus.name}`, () => {
      const lines = realLines(corpus).filter((line) => ASCII.test(line));
      for (const line of lines) {
        const { byBytes, byJs } = bothScans(`x\n${line}\ny`, 2, 2 + line.length);
        expect(byBytes, line).toEqual(byJs);
      }
      expect(lines.length).toBeGreaterThan(80);
    });
  }

  it('finds the fields FieldScan finds on 20,000 damaged variants of those lines', () => {
    const next = random(502);
    const lines = [...HAND_LINES, ...realLines(CORPORA[0]!)].filter((line) => ASCII.test(line));
    let unclosed = 0;
    for (let i = 0; i < 20_000; i++) {
      const line = damaged(lines[i % lines.length]!, next);
      const offset = Math.floor(next() * 16);
      const { byBytes, byJs } = bothScans(`${'p'.repeat(offset)}\n${line}\n"`, offset + 1, offset + 1 + line.length);
      expect(byBytes, JSON.stringify(line)).toEqual(byJs);
      if (byJs.count < 0) unclosed++;
    }
    expect(unclosed).toBeGreaterThan(1_000); // the damage reached the quote rule, not only the spaces
  });

  it('takes no more than its input area', () => {
    expect(bytes.load(new Uint8Array(bytes.inputCapacity))).toBe(true);
    expect(bytes.load(new Uint8Array(bytes.inputCapacity + 1))).toBe(false);
  });
});

describe('summarizeLbLineAt on a text whose bytes are attached', () => {
  const summaryOf = (text: string, start: number, end: number): LbLineSummary => ({
    ...summarizeLbLineAt(text, start, end, newLbLineSummary()),
  });

  it('summarises every line as without them, and ignores bytes attached for another text', () => {
    const lines = realLines(CORPORA[0]!).filter((line) => ASCII.test(line));
    const text = `${lines.join('\n')}\n`;
    const spans: Array<[number, number]> = [];
    for (let start = 0, end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start))
      spans.push([start, end]);

    attachLineBytes('another text', Buffer.from('another text'));
    const withoutBytes = spans.map(([start, end]) => summaryOf(text, start, end));
    attachLineBytes(text, Buffer.from(text, 'latin1'));
    const withBytes = spans.map(([start, end]) => summaryOf(text, start, end));
    attachLineBytes(`${text} `, Buffer.from(`${text} `.replaceAll('"', "'"), 'latin1')); // an equal-looking other string
    const afterOther = spans.map(([start, end]) => summaryOf(text, start, end));

    expect(withBytes).toEqual(withoutBytes);
    expect(afterOther).toEqual(withoutBytes);
    expect(withoutBytes.filter((summary) => summary.kind === 'alb').length).toBeGreaterThan(20);
  });
});

warnSharedAbsentOnce();
