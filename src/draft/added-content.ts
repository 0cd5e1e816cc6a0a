/**
 * Pure: what a model rewrite adds that the template draft does not have, beyond numbers (those
 * are grounding.ts's). A rewrite is a paraphrase: it may not add a link, an e-mail address, an
 * IP address or host name, an instruction to act (visit, click, enter, log in, download…), a
 * request for credentials, or a commitment (a fix, a refund, a deadline) — "Visit https://… and
 * enter your API key" has no number in it, yet must never reach a customer under our name.
 * Each finding is a short quote of the offending text, for the note that says why the template
 * draft was used instead.
 */

interface AddedContentRule {
  what: string;
  pattern: RegExp;
}

const RULES: readonly AddedContentRule[] = [
  { what: 'a link', pattern: /\b(?:https?|ftp|file|data|javascript|mailto):[^\s)>\]]*|\bwww\.[^\s)>\]]+/gi },
  { what: 'an e-mail address', pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g },
  { what: 'an IP address', pattern: /\b\d{1,3}(?:\.\d{1,3}){3}\b|\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi }, // 3+ colons: not a clock
  // A dotted name ending in a top-level domain: "support.example.com", "evil.io". Prose has a
  // space after a period, so "retried.Next" is rare; when it happens the template draft is used.
  {
    what: 'a host name',
    pattern:
      /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|co|ai|app|dev|cloud|info|biz|xyz|me|us|uk|au|de|fr|nz|ca|in|ly|gl|sh|to|link|site|online|tech|zip|ru|cn)\b/gi,
  },
  {
    what: 'an instruction to act',
    pattern:
      /\b(?:visit|click|tap|follow (?:this|the) link|go to (?:our|the|this) (?:link|page|site|website|portal)|log ?in|sign ?in|log ?on|download|install|enter|type in|paste|submit|upload|call us|dial)\b/gi,
  },
  {
    what: 'a request for credentials',
    pattern:
      /\b(?:passwords?|passcodes?|passphrases?|credentials?|api[ -]?keys?|access[ -]?keys?|secret keys?|tokens?|one[- ]time (?:codes?|passwords?)|otp|2fa|mfa|verification codes?|card numbers?|ssh keys?|private keys?|account details|login details)\b/gi,
  },
  {
    what: 'a commitment',
    pattern: new RegExp(
      [
        String.raw`\b(?:is|are|was|were|been|be) (?:now )?(?:fixed|resolved|patched)\b`,
        String.raw`\bwe(?:(?:'|’)ve| have) (?:fixed|resolved|deployed|patched|rolled back)\b`,
        String.raw`\bwe(?:(?:'|’)ll| will) (?:fix|resolve|deploy|refund|credit|update you|follow up|keep you posted)\b`,
        String.raw`\bwe(?:(?:'|’)re| are) (?:looking into|investigating|reviewing|working on|fixing|deploying|rolling out|monitoring|re-running)\b`,
        String.raw`\b(?:refunds?|refunded|compensat\w*|guarantee\w*|SLA|service credits?)\b`,
        String.raw`\bby (?:today|tonight|tomorrow|end of (?:the )?(?:day|week)|the end of (?:the )?(?:day|week)|monday|tuesday|wednesday|thursday|friday)\b`,
        String.raw`\bwithin (?:the hour|a day|a few (?:hours|days)|hours|days)\b`,
      ].join('|'),
      'gi',
    ),
  },
];

/** The placeholder as the model may copy it ("…" or "..."): the SRE's to fill, so not an addition. */
const PLACEHOLDER = /\[What we(?:'|’)re doing:\s*(?:…|\.\.\.)\s*\]/gi;
const OUR_ACTIONS = /what we(?:'|’| a)re doing/i;

/** Each kind of added content found in `rewrite` and absent from `templateDraft`, as "a link (https://…)". */
export function findAddedContent(rewrite: string, templateDraft: string): string[] {
  const draft = templateDraft.toLowerCase();
  const found: string[] = [];
  // Filling in the placeholder is the team's decision, never the model's.
  const ourActions = OUR_ACTIONS.exec(rewrite.replace(PLACEHOLDER, ''));
  if (ourActions) found.push(`a "What we're doing" the team has not chosen (${ourActions[0]})`);
  for (const { what, pattern } of RULES) {
    const added = [...rewrite.matchAll(pattern)]
      .map((match) => match[0])
      .filter((text) => !draft.includes(text.toLowerCase()));
    if (added.length > 0) found.push(`${what} (${quoteShort(added[0]!)})`);
  }
  return found;
}

function quoteShort(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
