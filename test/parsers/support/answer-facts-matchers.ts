import { expect } from 'vitest';
import type { AnswerFacts } from '../../../src/parsers/proxy-record.js';

/**
 * For whole-record assertions written before the normalised facts existed: any documented value
 * passes here, and each format's answered-by tests assert the real ones.
 */
export const ANY_ANSWER_FACTS: AnswerFacts = {
  answeredBy: expect.toBeOneOf([
    'server',
    'proxy-rule',
    'proxy-upstream-failure',
    'proxy-internal',
    'queue-timeout',
    'none',
  ]),
  upstreamFailure: expect.toBeOneOf([null, 'connect', 'reset_before_response', 'timeout', 'no_healthy', 'protocol']),
};
