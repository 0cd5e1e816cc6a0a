import nock from 'nock';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDraft, createOpenAiClient, rewriteDraft } from '../../src/draft/openai-draft.js';
import { buildTemplateDraft, OUR_ACTION_NOTE } from '../../src/draft/template-draft.js';
import { fixedZoneFormatter, seedReport, THROTTLING_FINDING } from './draft-fixtures.js';

const API = 'https://api.openai.com';
const fmt = fixedZoneFormatter();
const report = seedReport();
const templateDraft = buildTemplateDraft(report, fmt);
const input = { report, templateDraft, tone: 'warmer' as const, fmt };

const GROUNDED_REWRITE = [
  'Hi team — thank you for flagging the errors you saw around 5:41 AM AEST on 19 June, and sorry for the trouble.',
  '',
  '- Our servers returned no 5xx errors in that period.',
  '- Between 5:29 and 5:40 AM your requests went above your rate limit and got HTTP 429 (Too Many Requests), peaking at 4,593 in the minute of 5:35 AM — about 3.2% of your requests over the period.',
  '- Separately, about 0.0065 % of requests across our platform get a 502 when a pooled connection closes as it is reused; a retry succeeds.',
].join('\n');

/** A Responses API answer as the API sends it: one assistant message with the given parts. */
function responseWith(content: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return {
    id: 'resp_test',
    object: 'response',
    created_at: 1781811660,
    status: 'completed',
    model: 'gpt-test',
    output: [{ type: 'message', id: 'msg_test', status: 'completed', role: 'assistant', content }],
    ...extra,
  };
}
const answer = (text: string) => responseWith([{ type: 'output_text', text, annotations: [] }]);

function deps(timeoutMs = 5_000) {
  return { client: new OpenAI({ apiKey: 'test', maxRetries: 0 }), model: 'gpt-test', timeoutMs };
}

// A developer's own OPENAI_BASE_URL must not send these tests anywhere but the nock host.
let savedBaseUrl: string | undefined;
beforeEach(() => {
  savedBaseUrl = process.env.OPENAI_BASE_URL;
  delete process.env.OPENAI_BASE_URL;
});
afterEach(() => {
  if (savedBaseUrl === undefined) delete process.env.OPENAI_BASE_URL;
  else process.env.OPENAI_BASE_URL = savedBaseUrl;
});

describe('rewriteDraft', () => {
  it('uses a rewrite whose numbers are all in the evidence', async () => {
    nock(API).post('/v1/responses').reply(200, answer(GROUNDED_REWRITE));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({ text: GROUNDED_REWRITE, generator: 'openai' });
  });

  it('falls back to the template draft, naming the numbers, when the rewrite invents some', async () => {
    nock(API)
      .post('/v1/responses')
      .reply(200, answer(`${GROUNDED_REWRITE}\nAbout 44,000 searches (7 %) were affected.`));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({
      text: templateDraft,
      generator: 'template',
      note: 'the rewrite had numbers not in the evidence: 44,000, 7 %',
    });
  });

  it('falls back when the rewrite names internal details such as a termination code', async () => {
    nock(API)
      .post('/v1/responses')
      .reply(200, answer(`${GROUNDED_REWRITE}\nThese were PR-- denials.`));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({
      text: templateDraft,
      generator: 'template',
      note: 'the rewrite named internal details: PR--',
    });
  });

  it('retries once after an HTTP 500 and uses the second answer', async () => {
    nock(API)
      .post('/v1/responses')
      .reply(500, { error: { message: 'boom', type: 'server_error' } });
    nock(API).post('/v1/responses').reply(200, answer(GROUNDED_REWRITE));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({ text: GROUNDED_REWRITE, generator: 'openai' });
  });

  it('falls back after two HTTP 500s', async () => {
    nock(API)
      .post('/v1/responses')
      .twice()
      .reply(500, { error: { message: 'boom', type: 'server_error' } });

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({
      text: templateDraft,
      generator: 'template',
      note: 'OpenAI answered HTTP 500 (after one retry)',
    });
  });

  it('does not retry a request the API rejected (HTTP 401)', async () => {
    nock(API)
      .post('/v1/responses')
      .once()
      .reply(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({ text: templateDraft, generator: 'template', note: 'OpenAI answered HTTP 401' });
  });

  it('falls back, without a retry, when the answer takes longer than the timeout', async () => {
    nock(API).post('/v1/responses').once().delay(1_000).reply(200, answer(GROUNDED_REWRITE));

    const startedMs = Date.now();
    const draft = await rewriteDraft(input, deps(50));

    expect(draft).toEqual({ text: templateDraft, generator: 'template', note: 'OpenAI did not answer within 50 ms' });
    expect(Date.now() - startedMs).toBeLessThan(900);
  });

  it('falls back when the model refuses', async () => {
    nock(API)
      .post('/v1/responses')
      .reply(200, responseWith([{ type: 'refusal', refusal: "I can't help with that." }]));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({
      text: templateDraft,
      generator: 'template',
      note: "the model declined to rewrite the draft: I can't help with that.",
    });
  });

  it('falls back when the answer is empty', async () => {
    nock(API).post('/v1/responses').reply(200, answer('  \n '));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({ text: templateDraft, generator: 'template', note: 'the model returned an empty answer' });
  });

  it('falls back when the answer was cut short', async () => {
    nock(API)
      .post('/v1/responses')
      .reply(200, {
        ...answer('Hi team — thank you'),
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
      });

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({
      text: templateDraft,
      generator: 'template',
      note: "the model's answer was cut short (max_output_tokens)",
    });
  });

  it('sends aggregates and the template draft only: no per-minute series, no log line, nothing stored', async () => {
    let sent: Record<string, unknown> = {};
    nock(API)
      .post('/v1/responses', (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(200, answer(GROUNDED_REWRITE));

    await rewriteDraft(input, deps());

    const inputText = String(sent.input);
    const evidence = JSON.parse(
      inputText.slice(inputText.indexOf('{'), inputText.indexOf('\n\nDraft to rewrite:')),
      // biome-ignore lint/suspicious/noExplicitAny: the evidence sent to the model is read by path in the assertions below.
    ) as Record<string, any>;
    expect(Object.keys(sent).sort()).toEqual(['input', 'instructions', 'model', 'store']);
    expect(sent.model).toBe('gpt-test');
    expect(sent.store).toBe(false);
    expect(inputText.endsWith(`Draft to rewrite:\n"""\n${templateDraft}\n"""`)).toBe(true);
    expect(evidence.signals.throttled_429).toEqual({
      status: 'ok',
      scope: 'index',
      window: 43930,
      atMinute: 0,
      peak: { minute: '2026-06-18T19:35:00Z', local: '05:35', count: 4593 },
    });
    expect(evidence.findings[0].localTimes).toEqual({
      burstStart: '05:29',
      burstEnd: '05:40',
      peakMinute: '05:35',
    });
    const wire = JSON.stringify(sent);
    expect(wire).not.toMatch(/perMinute|byTermination/);
    expect(longestNumberArray(evidence)).toBeLessThanOrEqual(1);
    // No ALB access-log line ("https 2026-06-18T19:41:…Z app/…") and no HAProxy httplog timers ("0/0/1/2/3 429").
    expect(wire).not.toMatch(/(?:^|\\n|")(?:http|https|h2|ws|wss) \d{4}-\d{2}-\d{2}T/);
    expect(wire).not.toMatch(/-?\d+\/-?\d+\/-?\d+\/-?\d+\/\d+ \d{3}/);
    expect(String(sent.instructions)).toContain('Copy every number, percentage, time and date exactly');
  });

  it('honours OPENAI_BASE_URL through the SDK itself', async () => {
    process.env.OPENAI_BASE_URL = 'http://llm-gateway.test/v1';
    nock('http://llm-gateway.test').post('/v1/responses').reply(200, answer(GROUNDED_REWRITE));

    const draft = await rewriteDraft(input, {
      client: createOpenAiClient({ OPENAI_API_KEY: 'test' })!,
      model: 'gpt-test',
      timeoutMs: 5_000,
    });

    expect(draft).toEqual({ text: GROUNDED_REWRITE, generator: 'openai' });
  });
});

describe('createDraft', () => {
  it('gives the template draft, in the asked tone, when no OpenAI client is configured', async () => {
    const draft = await createDraft(report, fmt, { tone: 'shorter', openai: null });

    expect(draft).toEqual({
      text: buildTemplateDraft(report, fmt, { tone: 'shorter' }),
      generator: 'template',
      note: OUR_ACTION_NOTE,
    });
  });

  it('rewrites the template draft when an OpenAI client is given', async () => {
    let sentInput = '';
    nock(API)
      .post('/v1/responses', (body: { input: string }) => {
        sentInput = body.input;
        return true;
      })
      .reply(200, answer(GROUNDED_REWRITE));

    const draft = await createDraft(report, fmt, { tone: 'technical', openai: deps() });

    expect(draft).toEqual({ text: GROUNDED_REWRITE, generator: 'openai' });
    expect(sentInput).toContain(buildTemplateDraft(report, fmt, { tone: 'technical' }));
  });
});

describe('createOpenAiClient', () => {
  it('returns null when OPENAI_API_KEY is unset or blank', () => {
    expect(createOpenAiClient({})).toBeNull();
    expect(createOpenAiClient({ OPENAI_API_KEY: '  ' })).toBeNull();
  });

  it('returns a client with the SDK retries off and the default base URL', () => {
    const client = createOpenAiClient({ OPENAI_API_KEY: 'sk-test' }, { timeoutMs: 1_234 });

    expect(client).toBeInstanceOf(OpenAI);
    expect({ maxRetries: client!.maxRetries, timeout: client!.timeout, baseURL: client!.baseURL }).toEqual({
      maxRetries: 0,
      timeout: 1_234,
      baseURL: 'https://api.openai.com/v1',
    });
  });
});

/** The length of the longest array of numbers anywhere in a JSON value. */
function longestNumberArray(value: unknown): number {
  if (Array.isArray(value)) {
    const own = value.every((item) => typeof item === 'number') ? value.length : 0;
    return Math.max(own, ...value.map(longestNumberArray));
  }
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestNumberArray));
  return 0;
}

describe('rewriteDraft on a hostile or careless model answer', () => {
  it('falls back when a rewrite with no numbers adds a link and asks for credentials', async () => {
    const phishing = `${GROUNDED_REWRITE}\nTo restore access, visit https://status-example.com/login and enter your API key.`;
    nock(API).post('/v1/responses').reply(200, answer(phishing));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({
      text: templateDraft,
      generator: 'template',
      note: 'the rewrite added what the draft does not say: a link (https://status-example.com/login), a host name (status-example.com), an instruction to act (visit)',
    });
  });

  it('falls back when the rewrite fills in what we are doing, or promises a fix', async () => {
    nock(API)
      .post('/v1/responses')
      .reply(200, answer(`${GROUNDED_REWRITE}\n\nWhat we're doing: we've deployed a fix and will follow up.`));

    const draft = await rewriteDraft(input, deps());

    expect(draft.generator).toBe('template');
    expect(draft.note).toBe(
      "the rewrite added what the draft does not say: a \"What we're doing\" the team has not chosen (What we're doing), a commitment (we've deployed)",
    );
  });

  it('falls back when the rewrite tells how many indexes share the platform', async () => {
    nock(API)
      .post('/v1/responses')
      .reply(200, answer(`${GROUNDED_REWRITE}\nThe 502s are spread across 20 indexes.`));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({
      text: templateDraft,
      generator: 'template',
      note: 'the rewrite named internal details: 20 indexes',
    });
  });

  it("drops control characters from the model's text: ESC c, a title change, NUL", async () => {
    nock(API)
      .post('/v1/responses')
      .reply(200, answer(`\u001bc\u001b]0;owned\u0007${GROUNDED_REWRITE.replace('Hi team', 'Hi\u0000 team')}\u009b2J`));

    const draft = await rewriteDraft(input, deps());

    expect(draft).toEqual({ text: `c]0;owned${GROUNDED_REWRITE}2J`, generator: 'openai' }); // inert text: the sequences' introducers are gone
  });

  it('keeps the placeholder the SRE fills in, copied unchanged, and notes it', async () => {
    const withPlaceholder = `${GROUNDED_REWRITE}\n\n[What we're doing: …]`;
    nock(API).post('/v1/responses').reply(200, answer(withPlaceholder));

    const draft = await createDraft(report, fmt, { tone: 'warmer', openai: deps() });

    expect(draft).toEqual({ text: withPlaceholder, generator: 'openai', note: OUR_ACTION_NOTE });
  });
});

describe('the request to the model', () => {
  /** The seed report as a run over 300 damaged downloads would leave it: paths, account and LB ids, internal IPs everywhere. */
  function reportWithDamagedFiles() {
    const damaged = Array.from(
      { length: 300 },
      (_, i) =>
        `/data/AWSLogs/123456789012/elasticloadbalancing/ap-southeast-2/2026/06/18/123456789012_elasticloadbalancing_ap-southeast-2_app.k8s-ingress.0123456789abcdef_20260618T19${String(i % 60).padStart(2, '0')}Z_10.0.2.${i % 250}_x${i}.log.gz is a corrupt or truncated .gz file (unexpected end of file)`,
    );
    const detail = `some ALB access logs were damaged; 300 files could not be read to the end: ${damaged.join('; ')}`;
    const seed = seedReport();
    const signals = Object.fromEntries(
      Object.entries(seed.signals).map(([name, signal]) => [
        name,
        {
          ...signal,
          status: 'partial' as const,
          reason: detail,
          source: 'ALB access logs (/data/AWSLogs/123456789012)',
        },
      ]),
    );
    const verdict = throttlingWithDetail(detail);
    return seedReport({
      sources: [
        { name: 'ALB access logs', status: 'partial', detail },
        {
          name: 'proxy logs (ip-10-0-2-17.ap-southeast-2.compute.internal)',
          status: 'complete',
          detail: 'arn:aws:logs:ap-southeast-2:123456789012:log-group:/prod/haproxy',
        },
      ],
      signals,
      verdict,
      findings: [
        verdict,
        {
          ...seed.findings[1]!,
          reasons: [detail],
          headline: `${seed.findings[1]!.headline} (targetgroup/k8s-prod/0123456789abcdef)`,
        },
      ],
    });
  }

  function throttlingWithDetail(detail: string) {
    return {
      ...THROTTLING_FINDING,
      headline: `${THROTTLING_FINDING.headline} Source: ${detail.slice(0, 400)}`,
      reasons: [...THROTTLING_FINDING.reasons, `Source ALB access logs: partial — ${detail}`],
    };
  }

  it('carries only aggregates, none of the paths, account ids, load balancer ids, IPs, hosts or ARNs in the report, and stays under 8,000 characters', async () => {
    const damagedReport = reportWithDamagedFiles();
    const damagedDraft = buildTemplateDraft(damagedReport, fmt);
    let body = '';
    let userTurn = '';
    nock(API)
      .post('/v1/responses', (sent: { input: string }) => {
        body = JSON.stringify(sent);
        userTurn = sent.input;
        return true;
      })
      .reply(200, answer(GROUNDED_REWRITE));

    await rewriteDraft({ report: damagedReport, templateDraft: damagedDraft, tone: 'neutral', fmt }, deps());

    expect(JSON.stringify(damagedReport).length).toBeGreaterThan(300_000);
    expect(body).not.toMatch(
      /123456789012|0123456789abcdef|10\.0\.2\.|ip-10-0-2-17|AWSLogs|\/data\/|\.gz|arn:|targetgroup|compute\.internal|tenantCount|prod_000_audio/,
    );
    expect(userTurn).not.toContain('PR--'); // the instructions name it, as what never to write
    expect(body.length).toBeLessThan(8_000);
  });

  it('sends no request at all when it would be larger than its bound', async () => {
    const hugeDraft = `${templateDraft}\n${'Separately, more text. '.repeat(1000)}`;

    const draft = await rewriteDraft({ ...input, templateDraft: hugeDraft }, deps());

    expect(draft.generator).toBe('template');
    expect(draft.note).toMatch(/^the request to the model would be \d+ characters, over the 16000 allowed$/);
  });
});
