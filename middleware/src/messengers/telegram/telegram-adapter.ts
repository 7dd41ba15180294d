import type { ChannelRuntime } from '../../config/channels.js';
import type { ChannelAdapter, DeliveryResult } from '../../delivery/channel-adapter.js';
import { failureOfStatus, permanent, transient } from '../../outbox/failure.js';
import { messengerTextOf } from '../messenger-settings.js';
import { type BotApiAnswer, type BotApiCall, createBotApi } from './bot-api.js';
import { telegramSendsOf } from './telegram-media-sends.js';
import { telegramRichSends } from './telegram-rich.js';

/**
 * The `telegram` adapter: sendMessage to the customer's private chat (its id is the user id),
 * sendPhoto and sendDocument for the agent's files, a Content template as telegram-rich.ts renders it.
 * Telegram has no idempotency key: an answer lost on the way back means the outbox sends again.
 */
export function createTelegramAdapter(): ChannelAdapter {
  const apis = new Map<string, BotApiCall>();
  const apiFor = (channel: ChannelRuntime): BotApiCall => {
    let api = apis.get(channel.channelType);
    if (!api) {
      api = createBotApi({ token: channel.accessToken ?? '', baseUrl: channel.apiBaseUrl });
      apis.set(channel.channelType, api);
    }
    return api;
  };
  return {
    kind: 'telegram',
    async deliver(channel, event): Promise<DeliveryResult> {
      if (!channel.accessToken) return permanent(`channel ${channel.channelType} has no bot token`);
      const sends =
        event.type !== 'message'
          ? undefined
          : event.rich
            ? telegramRichSends(event.to.id, event.rich)
            : event.media?.length
              ? telegramSendsOf(event.to.id, event.text, event.media)
              : undefined;
      if (sends) {
        // One call after another: a failure retries the whole event, so a file already sent may be sent again.
        for (const send of sends) {
          const result = toDeliveryResult(await apiFor(channel)(send.method, send.params));
          if (!('ok' in result)) return result;
        }
        return { ok: true };
      }
      const text = messengerTextOf(channel, event);
      if (text === undefined) return { ok: true };
      const answer = await apiFor(channel)('sendMessage', { chat_id: event.to.id, text });
      return toDeliveryResult(answer);
    },
  };
}

export function toDeliveryResult(answer: BotApiAnswer<unknown>): DeliveryResult {
  if (answer.ok) return { ok: true };
  const reason = `Telegram answered ${answer.errorCode || 'nothing'}: ${answer.description}`;
  if (answer.status === 0) return transient(reason);
  // 400 (chat not found), 401 (token revoked), 403 (the user blocked the bot) do not heal by waiting.
  const retryAfterMs = 'retryAfterSeconds' in answer && answer.retryAfterSeconds !== undefined ? answer.retryAfterSeconds * 1000 : undefined;
  return failureOfStatus(answer.errorCode === 429 ? 429 : answer.status, reason, retryAfterMs);
}
