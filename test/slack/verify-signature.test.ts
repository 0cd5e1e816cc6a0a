import { describe, expect, it } from 'vitest';
import { verifySlackSignature } from '../../src/slack/verify-signature.js';
import { SIGNING_SECRET, signSlackBody } from './support/slack-requests.js';

const NOW_MS = Date.parse('2026-06-18T19:45:00Z');
const TS = String(NOW_MS / 1000);
const BODY = 'token=x&team_id=T0TEAM&command=%2Fwhy502&text=prod_000_audio+05%3A41+AEST';

const check = (fields: Partial<Parameters<typeof verifySlackSignature>[0]>) =>
  verifySlackSignature({
    signingSecret: SIGNING_SECRET,
    rawBody: BODY,
    timestamp: TS,
    signature: signSlackBody(BODY, Number(TS)),
    nowMs: NOW_MS,
    ...fields,
  });

describe('verifySlackSignature', () => {
  it('accepts a request signed with the secret over the raw body', () => {
    expect(check({})).toEqual({ ok: true });
  });

  it('accepts a timestamp up to five minutes either side of now', () => {
    expect([check({ nowMs: NOW_MS + 300_000 }), check({ nowMs: NOW_MS - 300_000 })]).toEqual([
      { ok: true },
      { ok: true },
    ]);
  });

  it.each([
    ['a different body', { rawBody: `${BODY}&extra=1` }, 'bad_signature'],
    ['another secret', { signingSecret: 'not-the-secret' }, 'bad_signature'],
    ['a truncated signature', { signature: 'v0=abc' }, 'bad_signature'],
    ['a timestamp over five minutes old', { nowMs: NOW_MS + 301_000 }, 'stale_timestamp'],
    ['a timestamp over five minutes ahead', { nowMs: NOW_MS - 301_000 }, 'stale_timestamp'],
    ['no signature', { signature: undefined }, 'missing_headers'],
    ['a timestamp that is not a number', { timestamp: '17502756xx' }, 'missing_headers'],
  ])('rejects %s', (_label, fields, reason) => {
    expect(check(fields)).toEqual({ ok: false, reason });
  });
});
