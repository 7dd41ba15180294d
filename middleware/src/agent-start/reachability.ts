import type { ChannelRuntime } from '../config/channels.js';
import type { MessengerPlatform } from '../messengers/messenger-platform.js';
import { messengerPlatformOf } from '../messengers/registry.js';
import type { Store } from '../store/store.js';

/** Whether the kit can write first to this customer on this channel, and what the agent should know. */
export type Reachability = { reachable: true; customerName: string; notice?: string } | { reachable: false; reason: 'customer_not_reachable'; message: string };

/** A rule for a first message from the business: the messenger platforms' shape, which web chat shares. */
type FirstContactRule = NonNullable<MessengerPlatform['reachability']>;

/**
 * Whom the kit may write to first. Messengers let a business write only to people who contacted
 * it: a customer the kit has had a session with, by each platform's rule (its `reachability`).
 * Web chat: the visitor's browser holds its id. A `webhook` channel is asked by its delivery: it
 * answers for its own customers.
 */
export async function reachabilityOf(channel: ChannelRuntime, customerId: string, store: Pick<Store, 'listCustomerSessions'>): Promise<Reachability> {
  const sessions = await store.listCustomerSessions(channel.channelType, customerId);
  return reachabilityOfKnown(channel, sessions.at(-1));
}

/** The same rule for a customer already looked up: `known` is their latest session, if any. */
export function reachabilityOfKnown(channel: ChannelRuntime, known: { customerName: string } | undefined): Reachability {
  if (channel.adapter === 'webhook') {
    return {
      reachable: true,
      customerName: known?.customerName ?? `${channel.displayName} customer`,
      notice: 'the channel delivers it to its customer, or refuses it',
    };
  }
  const rule = firstContactRuleOf(channel.adapter);
  if (!known) return { reachable: false, reason: 'customer_not_reachable', message: rule.unknownCustomer };
  return { reachable: true, customerName: known.customerName, ...(rule.notice ? { notice: rule.notice } : {}) };
}

function firstContactRuleOf(adapter: string): FirstContactRule {
  if (adapter === 'webchat') return WEB_CHAT;
  return messengerPlatformOf(adapter)?.reachability ?? UNKNOWN_PLATFORM_RULE;
}

const WEB_CHAT: FirstContactRule = {
  unknownCustomer: 'no web chat visitor with this id: a visitor is reachable once they have chatted',
  notice: 'delivered at once if the visitor is on the site, otherwise shown on their next visit',
};

const UNKNOWN_PLATFORM_RULE: FirstContactRule = {
  unknownCustomer: 'the kit has never had a conversation with this customer on this channel, so the platform does not let it write first',
};
