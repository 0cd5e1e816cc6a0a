/**
 * What a follow-up question needs besides the thread's evidence: the config's verdict settings,
 * and, for free text, the model — the OpenAI SDK is loaded only when a key is set and only when a
 * follow-up first needs it (as the runner loads it for drafts), so neither Lambda function pays
 * for it at cold start.
 */
import type { FollowUpDeps } from '../ask/answer-follow-up.js';
import type { Config } from '../config.js';

export function createFollowUpDeps(config: Config, openaiApiKey: string | undefined): () => Promise<FollowUpDeps> {
  const settings = { idleTimeoutSeconds: config.idleTimeoutSeconds, slowRequestSeconds: config.slowRequestSeconds };
  let building: Promise<FollowUpDeps> | undefined;
  return () => {
    building ??= (async () => {
      if (!openaiApiKey) return { settings, openai: null };
      const { createOpenAiClient } = await import('../draft/openai-draft.js');
      const timeoutMs = config.openai.timeoutSeconds * 1000;
      const client = createOpenAiClient({ OPENAI_API_KEY: openaiApiKey }, { timeoutMs });
      return { settings, openai: client ? { client, model: config.openai.model, timeoutMs } : null };
    })();
    return building;
  };
}
