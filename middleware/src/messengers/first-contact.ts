import type { ChannelRuntime } from '../config/channels.js';
import type { CustomerRecord } from '../store/customer-search.js';

/** Why the kit cannot write first to a customer now: a code the plugin may read, and the sentence the agent reads. */
export type FirstContactRefusal = { reachable: false; reason: 'customer_not_reachable' | 'outside_messaging_window' | 'not_subscribed'; message: string };

/** Whether the kit may write first to a customer now, and what the agent should know of it. */
export type FirstContact = { reachable: true; notice?: string } | FirstContactRefusal;

/**
 * A platform's rule for a business writing first: from what the kit knows of the customer
 * (undefined: it never talked with them on this channel) and the time, whether it may now.
 */
export type FirstContactRule = (customer: CustomerRecord | undefined, context: { channel: ChannelRuntime; now: number }) => FirstContact;

/** The refusal for a customer the kit never talked with, in the platform's words. */
export function neverContacted(message: string): FirstContactRefusal {
  return { reachable: false, reason: 'customer_not_reachable', message };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration as an agent reads it, rounded down: days from two days on, then hours, then minutes ("3 days", "26 hours", "1 minute"). */
export function durationText(ms: number): string {
  const [amount, unit] =
    ms >= 2 * DAY ? [Math.floor(ms / DAY), 'day'] : ms >= HOUR ? [Math.floor(ms / HOUR), 'hour'] : [Math.max(0, Math.floor(ms / MINUTE)), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
