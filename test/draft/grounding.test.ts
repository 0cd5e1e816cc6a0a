import { describe, expect, it } from 'vitest';
import { findUngroundedNumbers } from '../../src/draft/grounding.js';
import { findInternalDetails } from '../../src/draft/internal-details.js';
import { buildTemplateDraft, DRAFT_TONES } from '../../src/draft/template-draft.js';
import { fixedZoneFormatter, seedReport } from './draft-fixtures.js';

const fmt = fixedZoneFormatter();
const report = seedReport();
/** Checks against the report alone (an empty template draft), so only the evidence can back a number. */
const againstEvidence = (text: string) => findUngroundedNumbers(text, { templateDraft: '', report, fmt });

/** The customer draft of shared/examples/model-reply.md, word for word. */
const MODEL_REPLY_DRAFT = `Hi team — thanks for flagging the errors you saw around 5:41 AM AEST on 19 June. We checked
our load balancer and origin records for your index from 4:11 to 7:11 AM:

- Our servers returned no 5xx errors for your requests in that period.
- Between 5:29 and 5:40 AM your requests went above your plan's rate limit, and those
  requests were answered with HTTP 429 (Too Many Requests) — about 3.2 % of your searches in
  that window, peaking at 4,593 in the minute of 5:35 AM. These are the errors your dashboard
  shows near 5:41.
- Separately, a very small number of requests across our platform (about 0.0065 %) get a
  502 when a pooled connection is reused just as it closes; these succeed when retried.

What helps: retry 429 and 502 responses on searches with exponential backoff and jitter.
If your traffic needs larger bursts, we're happy to talk about your rate limit.`;

describe('findUngroundedNumbers', () => {
  it.each(DRAFT_TONES)('finds every number of the %s template draft in the evidence itself', (tone) => {
    const draft = buildTemplateDraft(report, fmt, { tone });

    expect(againstEvidence(draft)).toEqual([]);
  });

  it('accepts the model reply\'s draft: 12-hour times, "19 June", "3.2 %" and "4,593"', () => {
    expect(againstEvidence(MODEL_REPLY_DRAFT)).toEqual([]);
  });

  it('accepts the same figures written the other ways we write them', () => {
    const rewrite = [
      '43930 or 43,930 or 43\u202f930 requests; 3.2% or 3.2 % or 3.2 percent; 0.0065%.',
      'From 05:29 to 05:40, 5:29am–5:40am, 5:29 a.m., 19:29 UTC, 19:29Z, around 5 AM.',
      'On 19 Jun, 19th June, June 19, 19 June 2026, 2026-06-18T19:41Z, 19/06; in UTC that was 18 June.',
      '1.38M requests, about 1.4 million, 44k rate-limited; 4,593/min at the peak, ~6/min, 13 at most.',
      'The 12-minute burst ended 1 minute before; the 3h window (180 minutes); 60-second idle timeout; 20 indexes.',
      'UTC+10, +10:00; HTTP 429, 502s, no 503 or 504; 1,031 in all.',
    ].join('\n');

    expect(againstEvidence(rewrite)).toEqual([]);
  });

  it('reports invented counts, rounded counts, percentages, times, dates and years, each once', () => {
    const rewrite = [
      'About 44,000 requests (7 %) failed at 5:52 PM on 20 June 2025, about 1 in 15,000.',
      'The 44,000 failures peaked at 10am; 1.5M requests in all, 4.7% errors, 6/20, UTC+11.',
    ].join('\n');

    expect(againstEvidence(rewrite)).toEqual([
      '44,000',
      '7 %',
      '5:52 PM',
      '20 June 2025',
      '15,000',
      '10am',
      '1.5M',
      '4.7%',
      '6/20',
      'UTC+11',
    ]);
  });

  it('catches an afternoon reading of a morning time', () => {
    expect(againstEvidence('The burst ran from 5:29 PM to 5:40 PM AEST.')).toEqual(['5:29 PM', '5:40 PM']);
  });

  it('accepts a number that only the template draft has', () => {
    const rewrite = 'We saw 77 of them.';

    expect(findUngroundedNumbers(rewrite, { templateDraft: 'There were 77 of them.', report, fmt })).toEqual([]);
    expect(againstEvidence(rewrite)).toEqual(['77']);
  });

  it('ignores list numbering, status classes, identifiers, HTTP versions, the index name and small number words', () => {
    const rewrite = [
      '1. Your index prod_000_audio returned no 5xx or 4xx errors over HTTP/1.1 or HTTP/2.',
      '2) One retry, two retries or twelve at most; k8s and ELB_502 stay internal.',
    ].join('\n');

    expect(againstEvidence(rewrite)).toEqual([]);
  });

  it('reports spelled-out quantities above twelve, which it cannot check', () => {
    expect(againstEvidence('Twenty tenants saw hundreds of errors, thousands in all.')).toEqual([
      'Twenty',
      'hundreds',
      'thousands',
    ]);
  });

  it('reads "may" as a word and "May" as a month', () => {
    expect(againstEvidence('Retrying 1 may help; it began on 3 May.')).toEqual(['3 May']);
  });
});

describe('findInternalDetails', () => {
  it('finds termination codes, IPs, ARNs, load balancer ids, internal hosts, pod names and log fields', () => {
    const text = [
      'Denied with PR-- by the proxy at 10.0.2.15:8080 for',
      'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/k8s-prod000audio/0123456789abcdef',
      'on app/k8s-ingress/0123456789abcdef via ip-10-0-2-15.ap-southeast-2.compute.internal;',
      'elb_status_code 502 with target_status_code "-", HTTPCode_ELB_502_Count up.',
    ].join(' ');

    expect(findInternalDetails(text)).toEqual([
      'PR--',
      '10.0.2.15:8080',
      'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/k8s-prod000audio/0123456789abcdef',
      'targetgroup/k8s-prod000audio/0123456789abcdef',
      'app/k8s-ingress/0123456789abcdef',
      'ip-10-0-2-15.ap-southeast-2.compute.internal',
      'k8s-prod000audio',
      'k8s-ingress',
      'elb_status_code',
      'target_status_code',
      'HTTPCode_ELB_502_Count',
    ]);
  });

  it('finds nothing in plain customer wording with dashes and keep-alive', () => {
    expect(
      findInternalDetails("Our load balancer -- and our servers — use keep-alive; it's a so-called race."),
    ).toEqual([]);
  });
});
