import type { MediaPolicy } from '@custom-channels/contract';
import type { MessengerWebhook } from '../messenger-webhook.js';
import { ignored, type Translation } from '../messenger-message.js';
import type { SentTokens } from './sent-tokens.js';
import { parseViberJson } from './viber-api.js';
import { parseViberCallback, translateViberMessage, type ViberCallback } from './viber-events.js';
import { VIBER_SIGNATURE_HEADER, viberSignatureMatches } from './viber-signature.js';

/** Viber's webhook: one callback per request, signed with the bot's auth token over the raw body. */
export function createViberWebhook(sentTokens: SentTokens): MessengerWebhook {
  return {
    adapter: 'viber',
    unverified: 'X-Viber-Content-Signature is missing or does not match the body and the auth token',
    verify(channel, headers, rawBody) {
      const signature = headers[VIBER_SIGNATURE_HEADER];
      return typeof signature === 'string' && channel.accessToken !== undefined && viberSignatureMatches(rawBody, channel.accessToken, signature);
    },
    parse: parseViberJson,
    async translate(channel, body) {
      const parsed = parseViberCallback(body);
      if (!parsed.ok) return parsed;
      return { ok: true, translations: translateCallback(parsed.callback, channel.maxMessageLength, channel.media, sentTokens) };
    },
  };
}

/**
 * A user's subscription changes with `subscribed` and `unsubscribed`, and `conversation_started`
 * reports it. A user's first message subscribes them without a callback: the rule for writing
 * first counts that from the message itself.
 */
function translateCallback(callback: ViberCallback, maxMessageLength: number, media: MediaPolicy | undefined, sentTokens: SentTokens): Translation[] {
  const subscription = (customerId: string, subscribed: boolean): Translation => ({ kind: 'subscription', customerId, subscribed, at: callback.timestamp });
  switch (callback.event) {
    case 'message':
      return [translateViberMessage(callback, maxMessageLength, media)];
    case 'seen': {
      const upTo = callback.message_token && sentTokens.messageOf(callback.message_token);
      if (!callback.user_id || !upTo) return [ignored('a seen receipt of a message this instance does not know')];
      return [{ kind: 'read', customerId: callback.user_id, upTo }];
    }
    case 'failed':
      if (!callback.user_id) return [ignored('a failed receipt without a user')];
      return [
        {
          kind: 'unreachable',
          customerId: callback.user_id,
          noticeId: `viber-failed:${callback.message_token ?? callback.timestamp}`,
          why: 'Viber could not deliver a message to the customer',
        },
      ];
    case 'subscribed':
      return [callback.user ? subscription(callback.user.id, true) : ignored('a subscribe without a user')];
    case 'conversation_started':
      return [
        callback.user && callback.subscribed !== undefined
          ? subscription(callback.user.id, callback.subscribed)
          : ignored('a conversation start without a subscription state'),
      ];
    case 'unsubscribed':
      if (!callback.user_id) return [ignored('an unsubscribe without a user')];
      return [
        subscription(callback.user_id, false),
        {
          kind: 'unreachable',
          customerId: callback.user_id,
          noticeId: `viber-unsubscribed:${callback.timestamp}`,
          why: 'The customer unsubscribed from the bot on Viber',
        },
      ];
    default:
      // webhook (the URL check), delivered: nothing for the agent to answer.
      return [ignored(`a ${callback.event} callback`)];
  }
}
