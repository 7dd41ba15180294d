import type { ChannelRuntime } from '../config/channels.js';
import { type FirstContactRefusal, type FirstContactRule, neverContacted } from '../messengers/first-contact.js';
import { messengerPlatformOf } from '../messengers/registry.js';
import { type CustomerRecord, customerRecordOf } from '../store/customer-search.js';
import type { Store } from '../store/store.js';

/** Whether the kit can write first to this customer on this channel now, and what the agent should know. */
export type Reachability = { reachable: true; customerName: string; notice?: string } | FirstContactRefusal;

/**
 * Whom the kit may write to first. Messengers let a business write only to people who contacted
 * it, each under its own rule (its platform's `reachability`), from what the kit knows of the
 * customer. Web chat: the visitor's browser holds its id. A `webhook` channel is asked by its
 * delivery: it answers for its own customers.
 */
export async function reachabilityOf(
  channel: ChannelRuntime,
  customerId: string,
  store: Pick<Store, 'listCustomerSessions'>,
  now: number,
): Promise<Reachability> {
  return reachabilityOfKnown(channel, customerRecordOf(await store.listCustomerSessions(channel.channelType, customerId)), now);
}

/** The same rule for a customer already looked up: `known` is what the kit knows of them, if anything. */
export function reachabilityOfKnown(channel: ChannelRuntime, known: CustomerRecord | undefined, now: number): Reachability {
  if (channel.adapter === 'webhook') {
    return {
      reachable: true,
      customerName: known?.customerName ?? `${channel.displayName} customer`,
      notice: 'the channel delivers it to its customer, or refuses it',
    };
  }
  const verdict = firstContactRuleOf(channel.adapter)(known, { channel, now });
  if (!verdict.reachable) return verdict;
  return { reachable: true, customerName: known?.customerName ?? `${channel.displayName} customer`, ...(verdict.notice ? { notice: verdict.notice } : {}) };
}

function firstContactRuleOf(adapter: string): FirstContactRule {
  if (adapter === 'webchat') return WEB_CHAT;
  return messengerPlatformOf(adapter)?.reachability ?? UNKNOWN_PLATFORM_RULE;
}

const WEB_CHAT: FirstContactRule = (customer) =>
  customer
    ? { reachable: true, notice: 'delivered at once if the visitor is on the site, otherwise shown on their next visit' }
    : neverContacted('no web chat visitor with this id: a visitor is reachable once they have chatted');

const UNKNOWN_PLATFORM_RULE: FirstContactRule = (customer) =>
  customer
    ? { reachable: true }
    : neverContacted('the kit has never had a conversation with this customer on this channel, so the platform does not let it write first');
