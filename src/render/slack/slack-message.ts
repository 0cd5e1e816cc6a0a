/** A message as the Slack edge posts it: blocks plus the plain `text` fallback that says the same. */
import type { KnownBlock } from './block-kit.js';

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, string | number | boolean>;
}

export interface SlackMessage {
  /** Fallback for notifications, screen readers and clients without Block Kit. */
  text: string;
  blocks: KnownBlock[];
  metadata?: MessageMetadata;
}
