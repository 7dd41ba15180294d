import type { CustomerMatch, CustomerSearch } from './customer-search.js';
/**
 * Everything the middleware must remember lives behind this interface, so that a
 * second engine (Redis, for several instances) is one more implementation. Every
 * method is async for that reason, even though SQLite answers synchronously.
 */

import type { SurveyRecords } from './surveys.js';
import type { Transcripts } from './transcripts.js';
import type { UploadRecords } from './uploads.js';

/** `creating` until every Twilio resource exists; a `creating` row found later is a failed creation to roll back. */
export type SessionState = 'creating' | 'open' | 'closed';

/**
 * The Twilio resources behind one session, recorded as soon as each exists so a failed creation
 * can be undone, and what the platform told of the customer during it (merged in the same way).
 */
export interface SessionResources {
  /**
   * The Conversation's SID. A session stored by the removed flex-flow mode has a Chat channel's
   * here: Conversations does not know it, so the session ends at its next message and a new one opens.
   */
  conversationSid?: string;
  interactionSid?: string;
  interactionChannelSid?: string;
  taskSid?: string;
  /** The conversation's scoped webhooks, so a resumed creation does not add them twice. */
  webhookSid?: string;
  studioWebhookSid?: string;
  /** The agent's outbound request that opened the session, so its retry after a crash knows the session is its own. */
  agentStartId?: string;
  /** When the customer last wrote during the session, for platforms that let a business write only for a while after that. */
  lastInboundAt?: number;
  /** The customer's subscription as the platform last reported it, for platforms that let a bot write to subscribers only. */
  subscription?: CustomerSubscription;
  /** When an agent first joined the conversation: one no agent joined (left waiting in the queue) gets no post-chat survey. */
  agentJoinedAt?: number;
}

/** A platform's report that a customer subscribed to the account or left it, and when (the platform's time). */
export interface CustomerSubscription {
  subscribed: boolean;
  at: number;
}

/** One customer's conversation with Flex on one channel. */
export interface Session {
  id: string;
  channelType: string;
  customerId: string;
  customerName: string;
  /** The opaque identity the customer has inside Twilio. */
  identity: string;
  state: SessionState;
  resources: SessionResources;
  createdAt: number;
  closedAt?: number;
}

export type OutboxQueue = 'to-flex' | 'to-channel';
export const OUTBOX_QUEUES: readonly OutboxQueue[] = ['to-flex', 'to-channel'];

/** Where a claim looks: everywhere, or only where the store's own writes made entries due (see `claimDue`). */
export type ClaimScope = 'all' | 'touched';

export interface OutboxEntry<Payload = unknown> {
  queue: OutboxQueue;
  /** Entries sharing a key are handled one at a time, oldest first. */
  orderingKey: string;
  payload: Payload;
}

export interface OutboxItem<Payload = unknown> extends OutboxEntry<Payload> {
  id: number;
  attempts: number;
  createdAt: number;
  /**
   * The customer's active session as the write that claimed the entry found it (null: none),
   * when the claim was asked to read it (`QueueOptions.sessionOf`). The entry's key was
   * leased from that write on, so nothing ordered with it changed the session since.
   */
  activeSession?: Session | null;
}

/** The customer whose active session `enqueueAndClaim` reads along with a claim. */
export interface SessionOwner {
  channelType: string;
  customerId: string;
}

/** What `enqueue` and `enqueueAndClaim` do besides queuing. */
export interface QueueOptions {
  /**
   * The customer whose key (`customerOrderingKey`) orders the entry, ignored otherwise:
   * `enqueueAndClaim`'s claimed item carries their active session, read in the same write, so
   * its handler's first lookup costs no round trip.
   */
  sessionOf?: SessionOwner;
  /**
   * The entry's ordering key is a session's id (deliveries are ordered by session): queue it
   * only while that session is stored. A producer may then build the entry from what it
   * remembers of the session instead of reading it first, and nothing is queued for a session
   * erased or pruned since. Refused, nothing is written, and the entry reads as not queued.
   */
  whileSessionStored?: boolean;
}

/** What `enqueueAndClaim` did: whether it queued the entry, and the entry as leased when it was the head of its key. */
export interface QueuedEntry {
  queued: boolean;
  claimed?: OutboxItem;
}

/** A failed (dead-letter) entry as the store keeps it. Listings for people redact it (src/reliability/dead-letters.ts). */
export interface DeadLetter<Payload = unknown> extends OutboxItem<Payload> {
  /** Why it failed, as recorded by markFailed. */
  reason: string;
  /** When it was parked; absent for entries parked before this was recorded. */
  failedAt?: number;
}

export interface DeadLetterQuery {
  queue?: OutboxQueue;
  /** Only entries of this ordering key: a store finds them without reading every dead letter. */
  orderingKey?: string;
  /** Only entries with a larger id (paging). */
  afterId?: number;
  /** Default 100. */
  limit?: number;
}

export interface OutboxCounts {
  queue: OutboxQueue;
  pending: number;
  failed: number;
}

/** Entries of one customer on one channel are posted to Flex one at a time, in the order they were accepted. */
export function customerOrderingKey(channelType: string, customerId: string): string {
  return JSON.stringify([channelType, customerId]);
}

/** What one retention run removed. Redis expires closed sessions, dedupe keys and tombstones by TTL; those are not counted. */
export interface PruneCounts {
  closedSessions: number;
  deadLetters: number;
  dedupeKeys: number;
  erasureTombstones: number;
}

/**
 * An erasure deletes a customer's dedupe keys, which would let a replayed request in again:
 * it keeps a keyed hash of each (a tombstone, which names no id) for a while, and a
 * tombstoned key counts as seen.
 */
export interface TombstonePolicy {
  /** A keyed hash of a dedupe key, the same on every instance. */
  hash: (dedupeKey: string) => string;
  /** How long the tombstones of an erasure on that channel are kept. */
  ttlMsFor: (channelType: string) => number;
}

/** What the store deleted about one customer of one channel. */
export interface ErasureCounts {
  sessions: number;
  pendingEntries: number;
  deadLetters: number;
  dedupeKeys: number;
}

export interface Store extends UploadRecords {
  /** The web chat visitors' transcripts. */
  readonly transcripts: Transcripts;
  /** The post-chat surveys. */
  readonly surveys: SurveyRecords;
  /** Whether the engine answers. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** The customer's `creating` or `open` session on that channel, if any. */
  findActiveSession(channelType: string, customerId: string): Promise<Session | undefined>;
  findSessionByConversationSid(conversationSid: string): Promise<Session | undefined>;
  /** Inserts a `creating` session; false when the customer already has an active one. */
  insertSession(session: Session): Promise<boolean>;
  recordSessionResources(sessionId: string, resources: SessionResources): Promise<void>;
  markSessionOpen(sessionId: string): Promise<void>;
  deleteSession(sessionId: string): Promise<void>;
  /**
   * Closes an open session and, in the same step, queues what must follow (the
   * `ended` event). False, and nothing queued, when it was not open.
   */
  closeSession(sessionId: string, closedAt: number, followUp?: OutboxEntry): Promise<boolean>;

  /**
   * Queues an entry unless one of `dedupeKeys` was seen before with an entry of the same
   * ordering key (a Redis Cluster keeps them with the key's entries); remembers every key
   * either way. A key an erasure tombstoned counts as seen, and then nothing is remembered.
   * Returns whether the entry was queued.
   */
  enqueue(entry: OutboxEntry, dedupeKeys?: string[], options?: Pick<QueueOptions, 'whileSessionStored'>): Promise<boolean>;
  /**
   * Queues like `enqueue` and, when the entry is the head of its ordering key (nothing of that
   * key pending before it), leases it in the same atomic write as `claimDue` would (until
   * `now + leaseMs`, attempts 1): a worker with a free slot takes what it queues without a
   * claim of its own. Not the head: queued only, nothing claimed.
   */
  enqueueAndClaim(entry: OutboxEntry, dedupeKeys: string[], now: number, leaseMs: number, options?: QueueOptions): Promise<QueuedEntry>;
  /**
   * Leases up to `limit` due entries of a queue, each the oldest pending entry of its
   * ordering key and not leased by anyone else. With `scope` `'touched'` a store may look only
   * where its own writes made an entry due since it last looked there (a new head queued, a
   * head completed with another behind it): what a nudge after such a write needs, without
   * searching everywhere; entries due for other reasons (retries, expired leases, other
   * instances' writes) wait for an `'all'` claim (the default).
   */
  claimDue(queue: OutboxQueue, now: number, limit: number, leaseMs: number, scope?: ClaimScope): Promise<OutboxItem[]>;
  /**
   * Extends the lease of an entry still held under the claim that handed it out with
   * `attempts` (each claim counts one attempt, so the pair names one claim). False when
   * that claim is over: completed, released, parked, or expired and claimed again.
   */
  renewLease(id: number, attempts: number, leaseUntil: number): Promise<boolean>;
  /** Removes a handled entry. */
  complete(id: number): Promise<void>;
  /** Releases the lease and schedules the next attempt. */
  retryLater(id: number, notBefore: number, reason: string): Promise<void>;
  /** Parks an entry that can never succeed; it stops blocking its ordering key and is kept with its reason. */
  markFailed(id: number, reason: string): Promise<void>;
  countOutbox(): Promise<OutboxCounts[]>;
  /** Per queue, when its longest-waiting head of an ordering key fell due (its due time, or the end of its lease); queues with nothing pending are absent. */
  oldestOutboxDue(): Promise<Partial<Record<OutboxQueue, number>>>;
  /** Failed entries, oldest first. */
  listDeadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]>;
  /**
   * Puts a failed entry back in its queue, due now, attempts from zero, behind whatever
   * its ordering key has pending (so a key never has two entries in flight). It gets a new
   * id, returned; undefined when `id` is not a failed entry.
   */
  retryDeadLetter(id: number): Promise<number | undefined>;
  /**
   * Forgets what is past the retention the store was opened with: closed sessions, dead
   * letters and dedupe keys (SQLite deletes them; Redis sets TTLs when writing and prunes
   * here only what a TTL cannot express).
   */
  prune(): Promise<PruneCounts>;
  /** Every session of the customer on that channel, any state, oldest first. */
  listCustomerSessions(channelType: string, customerId: string): Promise<Session[]>;
  /** The channel's customers whose id or name contains the text, most recently seen first (src/store/customer-search.ts). */
  searchCustomers(search: CustomerSearch): Promise<CustomerMatch[]>;
  /**
   * Deletes everything held about the customer on that channel: their sessions, the pending
   * and dead-lettered entries of their ordering key and of their sessions, and the dedupe
   * keys those entries wrote, each replaced by a tombstone when the store has a TombstonePolicy.
   */
  eraseCustomer(channelType: string, customerId: string): Promise<ErasureCounts>;
}
