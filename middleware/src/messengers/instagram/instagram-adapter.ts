import type { ChannelAdapter, DeliveryResult } from '../../delivery/channel-adapter.js';
import { permanent, throttled, transient, type Failure } from '../../outbox/failure.js';
import { messengerTextOf } from '../messenger-settings.js';
import { type GraphAnswer, type GraphCall, graphApiFor } from './graph-api.js';
import { HUMAN_AGENT_OPTION } from './instagram-options.js';
import { instagramRichMessages } from './instagram-rich.js';
import { instagramMessagesOf, type InstagramMessage } from './instagram-sends.js';
import type { SentMessages } from './sent-messages.js';

/** Meta's rate-limit codes: application, user, page and Instagram account limits. */
const THROTTLING_CODES = new Set([4, 17, 32, 613, 80002]);
/** An unknown error and a temporary outage, as Meta names them: retry. */
const TRANSIENT_CODES = new Set([1, 2]);
/**
 * Code 10 with one of these subcodes: the message is outside the window Meta allows (2018278 as
 * the Messenger Platform answers, 2534022 as Instagram's own API has been seen to).
 */
const OUTSIDE_WINDOW_SUBCODES = new Set([2018278, 2534022]);

export const outsideWindow = (answer: GraphAnswer<unknown>) =>
  !answer.ok && answer.code === 10 && 'subcode' in answer && answer.subcode !== undefined && OUTSIDE_WINDOW_SUBCODES.has(answer.subcode);

/**
 * The `instagram` adapter: the Send API to the customer's Instagram-scoped id. A reply is sent
 * as a response, which Meta takes for 24 hours after the customer's last message; an agent's
 * message after that goes with the HUMAN_AGENT tag (up to 7 days) when the channel enables it,
 * else it is refused for good: a dead letter, and the agent is told why. The agent's read is sent as `mark_seen`.
 * The Send API has no idempotency key: an answer lost on the way back means the outbox sends again.
 */
export function createInstagramAdapter(sent: SentMessages): ChannelAdapter {
  return {
    kind: 'instagram',
    async deliver(channel, event): Promise<DeliveryResult> {
      if (!channel.accessToken) return permanent(`channel ${channel.channelType} has no Page access token`);
      const call = graphApiFor(channel);
      const recipient = { id: event.to.id };
      if (event.type === 'read') {
        const answer = await call('POST', '/me/messages', { recipient, sender_action: 'mark_seen' });
        // Outside the window the customer cannot be shown the read; nothing is lost.
        return answer.ok || outsideWindow(answer) ? { ok: true } : failureOf(answer);
      }
      const text = messengerTextOf(channel, event);
      if (text === undefined) return { ok: true };
      const byAgent = event.type === 'message';
      const humanAgent = byAgent && channel.options?.[HUMAN_AGENT_OPTION] === 'true';
      // One call after another: a failure retries the whole event, so a part already sent may be sent again.
      const messages = byAgent && event.rich ? instagramRichMessages(event.rich) : instagramMessagesOf(text, byAgent ? event.media : undefined);
      for (const message of messages) {
        const result = await send(call, recipient, message, humanAgent);
        if (!('ok' in result)) return result;
        if (result.messageId) sent.remember(channel.channelType, result.messageId, event.id);
      }
      return { ok: true };
    },
  };
}

type Sent = { ok: true; messageId?: string } | Failure;
type SendAnswer = GraphAnswer<{ message_id?: unknown }>;

const sentOf = (answer: Extract<SendAnswer, { ok: true }>): Sent =>
  typeof answer.result.message_id === 'string' ? { ok: true, messageId: answer.result.message_id } : { ok: true };

async function send(call: GraphCall, recipient: { id: string }, message: InstagramMessage, humanAgent: boolean): Promise<Sent> {
  const answer: SendAnswer = await call('POST', '/me/messages', { recipient, messaging_type: 'RESPONSE', message });
  if (answer.ok) return sentOf(answer);
  if (!outsideWindow(answer)) return failureOf(answer);
  if (!humanAgent) {
    return permanent('Instagram takes replies for 24 hours after the customer last wrote, and this channel does not use the HUMAN_AGENT tag');
  }
  const tagged: SendAnswer = await call('POST', '/me/messages', { recipient, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message });
  if (tagged.ok) return sentOf(tagged);
  if (outsideWindow(tagged)) return permanent('Instagram takes human agent replies for 7 days after the customer last wrote');
  return failureOf(tagged);
}

export function failureOf(answer: Exclude<GraphAnswer<unknown>, { ok: true }>): Failure {
  const subcode = 'subcode' in answer && answer.subcode !== undefined ? `/${answer.subcode}` : '';
  const reason = `Instagram answered ${answer.code || 'nothing'}${subcode}: ${answer.message}`;
  if (answer.status === 0) return transient(reason);
  const retryAfterMs = 'retryAfterMs' in answer ? answer.retryAfterMs : undefined;
  if (answer.status === 429 || THROTTLING_CODES.has(answer.code)) return throttled(reason, retryAfterMs);
  if (answer.status >= 500 || TRANSIENT_CODES.has(answer.code)) return transient(reason, retryAfterMs);
  return permanent(reason);
}
