import type { MessengerParts } from '../messenger-platform.js';
import { createSentTokens } from './sent-tokens.js';
import { createViberAdapter } from './viber-adapter.js';
import { createViberWebhook } from './viber-webhook.js';

/** Viber's adapter and webhook. The adapter notes the tokens of what it sends; the webhook reads them for `seen`. */
export function createViberParts(): MessengerParts {
  const sentTokens = createSentTokens();
  return { adapter: createViberAdapter(sentTokens), webhook: createViberWebhook(sentTokens) };
}
