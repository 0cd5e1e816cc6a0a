/** The prefix of a tally key written from parsed facts rather than a proxy's own code. */
export const ANSWER_KEY_PREFIX = 'answered-by:';
