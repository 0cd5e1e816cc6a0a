/**
 * Slack request signing (docs.slack.dev/authentication/verifying-requests-from-slack):
 * HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret, compared in constant
 * time, and a timestamp within five minutes of now in either direction (replay protection).
 * Pure: the clock reading is an argument.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export function verifySlackSignature(input: {
  signingSecret: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing_headers' };
  if (Math.abs(input.nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS)
    return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(
    `v0=${createHmac('sha256', input.signingSecret).update(`v0:${timestamp}:${input.rawBody}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}

/** Slack's ssl_check probe (slash commands): answered 200 without verification, as Bolt does. */
export function isSslCheckBody(rawBody: string): boolean {
  return new URLSearchParams(rawBody).get('ssl_check') === '1';
}
