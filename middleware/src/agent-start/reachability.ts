import type { ChannelRuntime } from '../config/channels.js';
import type { Store } from '../store/store.js';

/** Whether the kit can write first to this customer on this channel, and what the agent should know. */
export type Reachability = { reachable: true; customerName: string; notice?: string } | { reachable: false; reason: 'customer_not_reachable'; message: string };

/**
 * Each platform's rule for a first message from the business. Messengers let a business write
 * only to people who contacted it: a customer the kit has had a session with (Telegram: the
 * chat started the bot; LINE: the user added the account; web chat: the visitor's browser holds
 * its id). A `webhook` channel is asked by its delivery: it answers for its own customers.
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
  if (!known) return { reachable: false, reason: 'customer_not_reachable', message: UNKNOWN_CUSTOMER[channel.adapter] ?? UNKNOWN_CUSTOMER.default! };
  return { reachable: true, customerName: known.customerName, ...(NOTICES[channel.adapter] ? { notice: NOTICES[channel.adapter] } : {}) };
}

const UNKNOWN_CUSTOMER: Record<string, string> = {
  telegram: 'this Telegram chat has never written to the bot: Telegram lets a bot write only to chats that started it',
  line: 'this LINE user has never written to the account: LINE push messages reach only users who added (follow) it',
  webchat: 'no web chat visitor with this id: a visitor is reachable once they have chatted',
  default: 'the kit has never had a conversation with this customer on this channel, so the platform does not let it write first',
};

const NOTICES: Record<string, string> = {
  line: "sent as a LINE push message: it counts against the account's monthly message quota",
  webchat: 'delivered at once if the visitor is on the site, otherwise shown on their next visit',
};
