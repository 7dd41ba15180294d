import type { CustomerSubscription, Session } from './store.js';

/** What an agent looks for: a channel's customers whose id or name contains `text` (any case; empty: all). */
export interface CustomerSearch {
  channelType: string;
  text: string;
  limit: number;
}

/** What the kit knows of one customer on one channel, from their sessions: what a platform's rule for writing first reads. */
export interface CustomerRecord {
  /** The name of their latest session. */
  customerName: string;
  /** When they last wrote, if any session has it on record. */
  lastInboundAt?: number;
  /** Their subscription as the platform last reported it, if it did. */
  subscription?: CustomerSubscription;
}

/** One customer the kit has had a conversation with, as the search lists them. */
export interface CustomerMatch extends CustomerRecord {
  customerId: string;
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
 * When the customer last wrote during a session, as far as it is recorded: a session a customer's
 * message opened started with one.
 */
export function lastInboundOf(session: Session): number | undefined {
  return session.resources.lastInboundAt ?? (session.resources.agentStartId === undefined ? session.createdAt : undefined);
}

/** The record of one customer from their sessions (any order): the latest name, the latest message, the latest subscription report. */
export function customerRecordOf(sessions: readonly Session[]): CustomerRecord | undefined {
  const latest = sessions.reduce<Session | undefined>((found, session) => (!found || session.createdAt > found.createdAt ? session : found), undefined);
  if (!latest) return undefined;
  const record: CustomerRecord = { customerName: latest.customerName };
  for (const session of sessions) {
    const inboundAt = lastInboundOf(session);
    const { subscription } = session.resources;
    if (inboundAt !== undefined && (record.lastInboundAt === undefined || inboundAt > record.lastInboundAt)) record.lastInboundAt = inboundAt;
    if (subscription && (!record.subscription || subscription.at > record.subscription.at)) record.subscription = subscription;
  }
  return record;
}

/**
 * One row per customer of the channel among `sessions` that matches, most recently seen first
 * (ties by id, so pages are stable), at most `limit`. Engines that cannot filter themselves
 * pass every session of the channel; filtering again is harmless.
 */
export function customersOf(sessions: Iterable<Session>, search: CustomerSearch): CustomerMatch[] {
  const byCustomer = new Map<string, { sessions: Session[]; lastSeenAt: number; open: boolean }>();
  for (const session of sessions) {
    if (session.channelType !== search.channelType || !sessionMatches(session, search.text)) continue;
    const seenAt = session.closedAt ?? session.createdAt;
    const known = byCustomer.get(session.customerId);
    const open = session.state !== 'closed';
    if (!known) {
      byCustomer.set(session.customerId, { sessions: [session], lastSeenAt: seenAt, open });
      continue;
    }
    known.sessions.push(session);
    known.lastSeenAt = Math.max(known.lastSeenAt, seenAt);
    known.open ||= open;
  }
  return [...byCustomer.entries()]
    .sort(([idA, a], [idB, b]) => b.lastSeenAt - a.lastSeenAt || idA.localeCompare(idB))
    .slice(0, search.limit)
    .map(([customerId, { sessions, lastSeenAt, open }]) => ({ customerId, ...customerRecordOf(sessions)!, lastSeenAt, hasOpenConversation: open }));
}
