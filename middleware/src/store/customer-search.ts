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
 * One customer's row, from their sessions of the search's channel (any order), or undefined
 * when none matches. Only matching sessions count, for the name as for when they were seen.
 */
export function customerMatchOf(customerId: string, sessions: readonly Session[], search: CustomerSearch): CustomerMatch | undefined {
  const matching = sessions.filter(
    (session) => session.channelType === search.channelType && session.customerId === customerId && sessionMatches(session, search.text),
  );
  const record = customerRecordOf(matching);
  if (!record) return undefined;
  const lastSeenAt = matching.reduce((latest, session) => Math.max(latest, session.closedAt ?? session.createdAt), 0);
  return { customerId, ...record, lastSeenAt, hasOpenConversation: matching.some((session) => session.state !== 'closed') };
}

/** The search's order: most recently seen first, ties by id, so pages are stable. */
function listedBefore(a: CustomerMatch, b: CustomerMatch): boolean {
  return a.lastSeenAt > b.lastSeenAt || (a.lastSeenAt === b.lastSeenAt && a.customerId < b.customerId);
}

/**
 * Keeps the first `limit` customers in the search's order among those offered, one at a time:
 * a search walks any number of customers holding only this many.
 */
export class MostRecentCustomers {
  private readonly kept: CustomerMatch[] = [];

  constructor(private readonly limit: number) {}

  offer(match: CustomerMatch | undefined): void {
    if (!match || this.limit <= 0) return;
    const at = this.kept.findIndex((kept) => listedBefore(match, kept));
    if (at === -1) {
      if (this.kept.length < this.limit) this.kept.push(match);
      return;
    }
    this.kept.splice(at, 0, match);
    if (this.kept.length > this.limit) this.kept.pop();
  }

  list(): CustomerMatch[] {
    return [...this.kept];
  }
}
