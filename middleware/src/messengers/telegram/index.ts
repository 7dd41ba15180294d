import type { MessengerParts } from '../messenger-platform.js';
import { createTelegramAdapter } from './telegram-adapter.js';
import { createTelegramWebhook } from './telegram-webhook.js';

/** Telegram's adapter and webhook, with the Bot API client they load. */
export function createTelegramParts(): MessengerParts {
  return { adapter: createTelegramAdapter(), webhook: createTelegramWebhook() };
}
