import { messageLength } from '../inbound/inbound-message.js';
import type { InboundMessage } from '../inbound/inbound-message.js';

/** What one platform event becomes: a customer message for Flex, a receipt, a notice for the agent, or nothing, with the reason. */
export type Translation =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'ignored'; reason: string }
  /** The customer has seen the agent's messages up to this one (the Twilio message SID the adapter was given). */
  | { kind: 'read'; customerId: string; upTo: string }
  /** The platform can no longer reach the customer: the agent is told in the open conversation, once per `noticeId`. */
  | { kind: 'unreachable'; customerId: string; noticeId: string; why: string }
  /** The customer subscribed to the account or left it, at the platform's time: some platforms let a bot write to subscribers only. */
  | { kind: 'subscription'; customerId: string; subscribed: boolean; at: number };

export const ignored = (reason: string): Translation => ({ kind: 'ignored', reason });

/**
 * The platforms have their own limits and the channel may have a lower one: a longer text is
 * cut, not refused, since a refused webhook is redelivered again and again.
 */
export function fitText(text: string, maxMessageLength: number): string {
  if (messageLength(text) <= maxMessageLength) return text;
  const marker = ' […]';
  return Array.from(text)
    .slice(0, Math.max(0, maxMessageLength - marker.length))
    .join('')
    .concat(marker);
}

/** A placeholder the agent can read for content the channel does not carry yet (attachments, stickers, places). */
export function placeholder(what: string, caption?: string): string {
  return caption ? `[${what}] ${caption}` : `[${what}]`;
}
