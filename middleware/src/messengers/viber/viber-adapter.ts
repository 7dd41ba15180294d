import type { ChannelRuntime } from '../../config/channels.js';
import type { ChannelAdapter, DeliveryResult } from '../../delivery/channel-adapter.js';
import { failureOfStatus, permanent, throttled, transient } from '../../outbox/failure.js';
import { messengerTextOf } from '../messenger-settings.js';
import type { SentTokens } from './sent-tokens.js';
import { createViberApi, type ViberAnswer, type ViberCall } from './viber-api.js';
import { viberRichContents, type ViberRichContent } from './viber-rich.js';
import { type ViberContent, viberContentsOf } from './viber-sends.js';

/** The longest sender name Viber shows. */
export const VIBER_SENDER_NAME_LIMIT = 28;

/** Statuses that do not heal by waiting: the token, the account, the receiver, the request. */
const UNREACHABLE = new Map([
  [5, 'the customer is not a Viber user any more'],
  [6, 'the customer unsubscribed from the bot'],
  [11, 'the customer has no device that takes the message'],
]);
const TOO_MANY_REQUESTS = 12;

/**
 * The `viber` adapter: send_message to the user, the sender's name and avatar from
 * channels.json. Viber has no idempotency key: an answer lost on the way back means the
 * outbox sends again.
 */
export function createViberAdapter(sentTokens: SentTokens): ChannelAdapter {
  const apis = new Map<string, ViberCall>();
  const apiFor = (channel: ChannelRuntime): ViberCall => {
    let api = apis.get(channel.channelType);
    if (!api) {
      api = createViberApi({ token: channel.accessToken ?? '', baseUrl: channel.apiBaseUrl });
      apis.set(channel.channelType, api);
    }
    return api;
  };
  return {
    kind: 'viber',
    async deliver(channel, event): Promise<DeliveryResult> {
      if (!channel.accessToken) return permanent(`channel ${channel.channelType} has no auth token`);
      const text = messengerTextOf(channel, event);
      const contents: Array<ViberContent | ViberRichContent> =
        event.type === 'message' && event.rich
          ? viberRichContents(event.rich)
          : event.type === 'message' && event.media?.length
            ? viberContentsOf(event.text, event.media)
            : text === undefined
              ? []
              : [{ type: 'text', text }];
      // One call after another: a failure retries the whole event, so a part already sent may be sent again.
      for (const content of contents) {
        const answer = await apiFor(channel)('send_message', { receiver: event.to.id, min_api_version: 1, sender: senderOf(channel), ...content });
        const result = toDeliveryResult(answer);
        if (!('ok' in result)) return result;
        if (answer.ok && typeof answer.body.message_token === 'string') sentTokens.note(answer.body.message_token, event.id);
      }
      return { ok: true };
    },
  };
}

/** The bot as the customer sees it: `sender` in channels.json, else the channel's display name. */
export function senderOf(channel: ChannelRuntime): { name: string; avatar?: string } {
  const name = (channel.sender?.name ?? channel.displayName).slice(0, VIBER_SENDER_NAME_LIMIT);
  return { name, ...(channel.sender?.avatar ? { avatar: channel.sender.avatar } : {}) };
}

export function toDeliveryResult(answer: ViberAnswer): DeliveryResult {
  if (answer.ok) return { ok: true };
  const reason = `Viber answered ${answer.status}: ${answer.statusMessage}`;
  if (answer.status === 'unreachable') return transient(reason);
  if (answer.httpStatus < 200 || answer.httpStatus >= 300) return failureOfStatus(answer.httpStatus, reason);
  if (answer.status === TOO_MANY_REQUESTS) return throttled(reason);
  const unreachable = UNREACHABLE.get(answer.status);
  if (unreachable) return permanent(`${reason} (${unreachable})`);
  // Statuses 1-13 name a cause that waiting does not cure; Viber's "general error" may be passing.
  return answer.status >= 1 && answer.status <= 13 ? permanent(reason) : transient(reason);
}
