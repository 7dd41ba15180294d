import type { ChannelRuntime } from '../../config/channels.js';
import { createBotApi } from './bot-api.js';

/** How many answered queries are remembered: Telegram redelivers an update within minutes, not after thousands of taps. */
const REMEMBERED_QUERIES = 2000;

/**
 * answerCallbackQuery for every tap, once: until it is answered, the customer's Telegram app
 * shows the button spinning. A query is answered whatever becomes of the tap (refused,
 * ignored, a redelivery), and a redelivered query is not answered again. A failed answer is
 * forgotten, so that Telegram's redelivery of the update tries again.
 */
export function createCallbackAnswers() {
  const answered = new Set<string>();
  return async (channel: ChannelRuntime, queryId: string): Promise<void> => {
    const key = `${channel.channelType}:${queryId}`;
    if (answered.has(key)) return;
    answered.add(key);
    // A Set keeps insertion order: the first is the oldest.
    if (answered.size > REMEMBERED_QUERIES) answered.delete(answered.values().next().value!);
    const api = createBotApi({ token: channel.accessToken ?? '', baseUrl: channel.apiBaseUrl });
    const answer = await api('answerCallbackQuery', { callback_query_id: queryId });
    if (!answer.ok) answered.delete(key);
  };
}

export type CallbackAnswers = ReturnType<typeof createCallbackAnswers>;
