import { createHash, timingSafeEqual } from 'node:crypto';
import type { MessengerWebhook } from '../messenger-webhook.js';
import { createCallbackAnswers } from './callback-answers.js';
import { parseTelegramUpdate, translateTelegramUpdate } from './telegram-update.js';

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Equal strings of any length, in constant time: both sides are hashed to the same length first. */
function sameSecret(expected: string, received: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(received));
}

/**
 * Telegram's webhook: one Update per request, sent with the secret token given to setWebhook.
 * A tap on a button is answered to Telegram beside its translation, without holding up the
 * webhook's answer.
 */
export function createTelegramWebhook(): MessengerWebhook {
  const answerCallback = createCallbackAnswers();
  return {
    adapter: 'telegram',
    unverified: 'X-Telegram-Bot-Api-Secret-Token is missing or is not the secret token of this channel',
    verify(channel, headers) {
      const received = headers[TELEGRAM_SECRET_HEADER];
      return typeof received === 'string' && channel.secret !== undefined && sameSecret(channel.secret, received);
    },
    async translate(channel, body) {
      const parsed = parseTelegramUpdate(body);
      if (!parsed.ok) return parsed;
      const query = parsed.update.callback_query;
      if (query) void answerCallback(channel, query.id);
      return { ok: true, translations: [translateTelegramUpdate(parsed.update, channel.maxMessageLength, channel.media)] };
    },
  };
}
