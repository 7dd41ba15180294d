import type { Session } from '../store/store.js';

/** What queuing a delivery needs of a conversation's session: none of it changes for the conversation's life. */
export type DeliveryRoute = Pick<Session, 'id' | 'channelType' | 'customerId' | 'identity'>;

export interface DeliveryRoutesOptions {
  /** How many conversations are remembered at most. */
  limit?: number;
  /** How long a route is kept after it was read from the store: it holds the customer's id. */
  maxAgeMs?: number;
  now?: () => number;
}

const ROUTES_REMEMBERED = 10_000;
const ROUTE_MAX_AGE_MS = 10 * 60_000;

/**
 * The sessions behind the conversations this instance queued deliveries for lately, so the
 * next message an agent writes is queued without reading its session first. Safe because a
 * conversation belongs to one session for its whole life and the write that queues checks the
 * session is still stored (`QueueOptions.whileSessionStored`); the age limit keeps customers'
 * ids in memory for minutes only. Kept in the order they were read, so the expired ones leave
 * from the front whenever the routes are used.
 */
export class DeliveryRoutes {
  private readonly routes = new Map<string, { route: DeliveryRoute; readAt: number }>();
  private readonly limit: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: DeliveryRoutesOptions = {}) {
    this.limit = options.limit ?? ROUTES_REMEMBERED;
    this.maxAgeMs = options.maxAgeMs ?? ROUTE_MAX_AGE_MS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.routes.size;
  }

  find(conversationSid: string): DeliveryRoute | undefined {
    this.dropExpired();
    return this.routes.get(conversationSid)?.route;
  }

  remember(conversationSid: string, session: Session): void {
    const { id, channelType, customerId, identity } = session;
    this.routes.delete(conversationSid);
    this.routes.set(conversationSid, { route: { id, channelType, customerId, identity }, readAt: this.now() });
    if (this.routes.size > this.limit) this.routes.delete(this.routes.keys().next().value as string);
    this.dropExpired();
  }

  forget(conversationSid: string): void {
    this.routes.delete(conversationSid);
  }

  private dropExpired(): void {
    const oldestKept = this.now() - this.maxAgeMs;
    for (const [conversationSid, { readAt }] of this.routes) {
      if (readAt > oldestKept) return;
      this.routes.delete(conversationSid);
    }
  }
}
