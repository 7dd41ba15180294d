import { createHash } from 'node:crypto';
import { HTTPFetchError } from '@line/bot-sdk';
import type { ChannelAdapter, DeliveryResult } from '../../delivery/channel-adapter.js';
import { failureOfStatus, parseRetryAfter, permanent, transient } from '../../outbox/failure.js';
import { messengerTextOf } from '../messenger-settings.js';
import type { LineClients } from './line-clients.js';
import { lineMessagesOf } from './line-media-messages.js';
import { lineRichMessages } from './line-rich.js';

const LINE_USER_ID = /^U[0-9a-f]{32}$/;

/**
 * The `line` adapter: a push message. The reply token of the customer's message expires
 * within a minute, long before an agent answers, so replies cannot use it. Each event has a
 * retry key of its own (X-Line-Retry-Key), so a push resent after a lost answer is not
 * delivered twice: LINE answers 409 to it.
 */
export function createLineAdapter(clientFor: LineClients): ChannelAdapter {
  return {
    kind: 'line',
    async deliver(channel, event): Promise<DeliveryResult> {
      if (!channel.accessToken) return permanent(`channel ${channel.channelType} has no channel access token`);
      if (!LINE_USER_ID.test(event.to.id)) return permanent('the recipient is not a LINE user id');
      const text = messengerTextOf(channel, event);
      if (text === undefined) return { ok: true };
      const messages =
        event.type === 'message' && event.rich
          ? lineRichMessages(event.rich)
          : event.type === 'message' && event.media?.length
            ? lineMessagesOf(text, event.media)
            : [{ type: 'text' as const, text }];
      try {
        await clientFor(channel).pushMessage({ to: event.to.id, messages }, retryKeyOf(channel.channelType, event.id));
        return { ok: true };
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}

/** A UUID made from the event, the same on every attempt. */
export function retryKeyOf(channelType: string, eventId: string): string {
  const hex = createHash('sha256').update(`${channelType}:${eventId}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function failureOf(error: unknown): DeliveryResult {
  if (!(error instanceof HTTPFetchError)) {
    const { name } = error as { name?: string };
    return transient(`LINE unreachable: ${name ?? 'error'}`);
  }
  const { status } = error;
  // The same retry key was accepted before: the message is already on its way.
  if (status === 409) return { ok: true };
  return failureOfStatus(status, `LINE answered ${status}: ${lineErrorMessage(error.body)}`, parseRetryAfter(error.headers.get('retry-after')));
}

function lineErrorMessage(body: string): string {
  try {
    const { message } = JSON.parse(body) as { message?: unknown };
    return typeof message === 'string' ? message.slice(0, 200) : 'no message';
  } catch {
    return 'no message';
  }
}
