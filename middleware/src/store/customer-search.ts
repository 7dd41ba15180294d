import type { Session } from './store.js';

/** What an agent looks for: a channel's customers whose id or name contains `text` (any case; empty: all). */
export interface CustomerSearch {
  channelType: string;
  text: string;
  limit: number;
}

/** One customer the kit has had a conversation with, as the search lists them. */
export interface CustomerMatch {
  customerId: string;
  /** The name of their latest session. */
  customerName: string;
  /** When they were last heard of: their latest session's start or close. */
  lastSeenAt: number;
  /** They have a conversation in progress (an agent starting one joins it). */
  hasOpenConversation: boolean;
}

/** Whether a session's customer matches the search text: id or name contains it, ignoring case. */
export function sessionMatches(session: Session, text: string): boolean {
  const wanted = text.toLowerCase();
  return session.customerId.toLowerCase().includes(wanted) || session.customerName.toLowerCase().includes(wanted);
}

/**
 * One row per customer of the channel among `sessions` that matches, most recently seen first
 * (ties by id, so pages are stable), at most `limit`. Engines that cannot filter themselves
 * pass every session of the channel; filtering again is harmless.
 */
export function customersOf(sessions: Iterable<Session>, search: CustomerSearch): CustomerMatch[] {
  const byCustomer = new Map<string, { latest: Session; lastSeenAt: number; open: boolean }>();
  for (const session of sessions) {
    if (session.channelType !== search.channelType || !sessionMatches(session, search.text)) continue;
    const seenAt = session.closedAt ?? session.createdAt;
    const known = byCustomer.get(session.customerId);
    const open = session.state !== 'closed';
    if (!known) {
      byCustomer.set(session.customerId, { latest: session, lastSeenAt: seenAt, open });
      continue;
    }
    if (session.createdAt > known.latest.createdAt) known.latest = session;
    known.lastSeenAt = Math.max(known.lastSeenAt, seenAt);
    known.open ||= open;
  }
  return [...byCustomer.values()]
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt || a.latest.customerId.localeCompare(b.latest.customerId))
    .slice(0, search.limit)
    .map(({ latest, lastSeenAt, open }) => ({ customerId: latest.customerId, customerName: latest.customerName, lastSeenAt, hasOpenConversation: open }));
}
