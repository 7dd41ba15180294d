import { DEFAULT_RETENTION, type RetentionPolicy } from '../../retention/retention-policy.js';
import {
  customerOrderingKey,
  OUTBOX_QUEUES,
  type DeadLetter,
  type ErasureCounts,
  type OutboxCounts,
  type OutboxEntry,
  type OutboxItem,
  type OutboxQueue,
  type PruneCounts,
  type QueuedEntry,
  type QueueOptions,
  type Session,
  type SessionResources,
  type Store,
  type TombstonePolicy,
} from '../store.js';
import { groupCommit } from './group-commit.js';
import { migrate } from './migrations.js';
import { openDatabase } from './open-database.js';
import { parseStoredPayload } from '../stored-payload.js';
import { customerMatchOf, MostRecentCustomers } from '../customer-search.js';
import { sqliteUploadRecords } from './sqlite-uploads.js';
import { sqliteTranscripts } from './sqlite-transcripts.js';
import { sqliteSurveyRecords } from './sqlite-surveys.js';

interface EntryKey {
  queue: OutboxQueue;
  ordering_key: string;
}

interface SessionRow {
  id: string;
  channel_type: string;
  customer_id: string;
  customer_name: string;
  identity: string;
  state: Session['state'];
  resources: string;
  created_at: number;
  closed_at: number | null;
}

interface OutboxRow {
  id: number;
  queue: OutboxQueue;
  ordering_key: string;
  payload: string;
  attempts: number;
  created_at: number;
}

interface DeadLetterRow extends OutboxRow {
  last_error: string | null;
  failed_at: number | null;
}

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. */
  path: string;
  retention?: RetentionPolicy;
  now?: () => number;
  /** Problems it recovers from by itself: a failed checkpoint thread, restarted. */
  onError?: (error: Error) => void;
  /** How often the background thread checkpoints the write-ahead log (tests set it). */
  checkpointIntervalMs?: number;
  /** Erasures tombstone the dedupe keys they delete; without it they do not. */
  tombstones?: TombstonePolicy;
}

/** The default store: one SQLite file in WAL mode, schema kept current by migrations. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const now = options.now ?? Date.now;
  const retention = options.retention ?? DEFAULT_RETENTION;
  const tombstones = options.tombstones;
  const { db, close } = openDatabase(options.path, options.onError, options.checkpointIntervalMs);
  try {
    migrate(db);
  } catch (error) {
    void close();
    throw error;
  }

  const statements = {
    findActive: db.prepare<[string, string], SessionRow>(`SELECT * FROM sessions WHERE channel_type = ? AND customer_id = ? AND state IN ('creating', 'open')`),
    sessionStored: db.prepare<[string], { found: number }>(`SELECT 1 AS found FROM sessions WHERE id = ?`),
    findByConversation: db.prepare<[string], SessionRow>(`SELECT * FROM sessions WHERE conversation_sid = ? ORDER BY created_at DESC LIMIT 1`),
    // Every session is a Conversation: the mode column stays only for databases written before.
    insertSession: db.prepare(
      `INSERT OR IGNORE INTO sessions
         (id, channel_type, customer_id, customer_name, identity, mode, state, conversation_sid, resources, created_at)
       VALUES (@id, @channelType, @customerId, @customerName, @identity, 'conversations', @state, @conversationSid, @resources, @createdAt)`,
    ),
    readResources: db.prepare<[string], { resources: string }>(`SELECT resources FROM sessions WHERE id = ?`),
    writeResources: db.prepare(`UPDATE sessions SET resources = ?, conversation_sid = ? WHERE id = ?`),
    markOpen: db.prepare(`UPDATE sessions SET state = 'open' WHERE id = ? AND state = 'creating'`),
    deleteSession: db.prepare(`DELETE FROM sessions WHERE id = ?`),
    closeSession: db.prepare(`UPDATE sessions SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'`),
    rememberKey: db.prepare(`INSERT OR IGNORE INTO dedupe_keys (key, first_seen_at, owner) VALUES (?, ?, ?)`),
    // An entry is its key's head when nothing of its key is pending before it.
    insertOutbox: db.prepare(
      `INSERT INTO outbox (queue, ordering_key, payload, next_attempt_at, created_at, head)
       VALUES (@queue, @key, @payload, @at, @at, NOT EXISTS (SELECT 1 FROM outbox WHERE queue = @queue AND state = 'pending' AND ordering_key = @key))`,
    ),
    dueHeads: db.prepare<[OutboxQueue, number, number, number], OutboxRow>(
      // Named, so that the claim's cost (the heads, never the backlog behind them) cannot change with the planner's guess.
      `SELECT id, queue, ordering_key, payload, attempts, created_at
         FROM outbox INDEXED BY outbox_due_heads
        WHERE queue = ? AND state = 'pending' AND head = 1
          AND next_attempt_at <= ?
          AND (lease_until IS NULL OR lease_until <= ?)
        ORDER BY id
        LIMIT ?`,
    ),
    lease: db.prepare(`UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE id = ?`),
    leaseIfHead: db.prepare<[number, number], { attempts: number; created_at: number }>(
      `UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE id = ? AND head = 1 RETURNING attempts, created_at`,
    ),
    complete: db.prepare<[number], EntryKey>(`DELETE FROM outbox WHERE id = ? RETURNING queue, ordering_key`),
    promoteHead: db.prepare(
      `UPDATE outbox SET head = 1
        WHERE id = (SELECT MIN(id) FROM outbox WHERE queue = ? AND state = 'pending' AND ordering_key = ?) AND head = 0`,
    ),
    retryLater: db.prepare(`UPDATE outbox SET lease_until = NULL, next_attempt_at = ?, last_error = ? WHERE id = ?`),
    renewLease: db.prepare(`UPDATE outbox SET lease_until = ? WHERE id = ? AND attempts = ? AND state = 'pending' AND lease_until IS NOT NULL`),
    markFailed: db.prepare<[string, number, number], EntryKey>(
      `UPDATE outbox SET state = 'failed', head = 0, lease_until = NULL, last_error = ?, failed_at = ? WHERE id = ? RETURNING queue, ordering_key`,
    ),
    deadLetters: db.prepare<[number, string | null, string | null, number], DeadLetterRow>(
      `SELECT id, queue, ordering_key, payload, attempts, created_at, last_error, failed_at FROM outbox
        WHERE state = 'failed' AND id > ? AND (? IS NULL OR queue = ?) ORDER BY id LIMIT ?`,
    ),
    // Its equalities come first so that the (queue, state, ordering_key, id) index answers it.
    deadLettersOfKey: db.prepare<[string, string, number, number], DeadLetterRow>(
      `SELECT id, queue, ordering_key, payload, attempts, created_at, last_error, failed_at FROM outbox
        WHERE queue = ? AND state = 'failed' AND ordering_key = ? AND id > ? ORDER BY id LIMIT ?`,
    ),
    requeueFailed: db.prepare(
      `INSERT INTO outbox (queue, ordering_key, payload, next_attempt_at, created_at, last_error, head)
       SELECT queue, ordering_key, payload, ?, created_at, last_error,
              NOT EXISTS (SELECT 1 FROM outbox p WHERE p.queue = f.queue AND p.state = 'pending' AND p.ordering_key = f.ordering_key)
         FROM outbox f WHERE id = ? AND state = 'failed'`,
    ),
    counts: db.prepare<[], { queue: OutboxQueue; pending: number; failed: number }>(
      `SELECT queue, SUM(state = 'pending') AS pending, SUM(state = 'failed') AS failed FROM outbox GROUP BY queue`,
    ),
    // Heads only: the entries behind a head are due as soon as they are queued, but wait their turn.
    oldestDue: db.prepare<[], { queue: OutboxQueue; oldest_due: number }>(
      `SELECT queue, MIN(MAX(next_attempt_at, COALESCE(lease_until, 0))) AS oldest_due FROM outbox
       WHERE id IN (SELECT MIN(id) FROM outbox WHERE state = 'pending' GROUP BY queue, ordering_key) GROUP BY queue`,
    ),
    pruneKeys: db.prepare(`DELETE FROM dedupe_keys WHERE first_seen_at < ?`),
    isTombstoned: db.prepare<[string, number], { found: number }>(`SELECT 1 AS found FROM erasure_tombstones WHERE hash = ? AND expires_at > ?`),
    addTombstone: db.prepare(
      `INSERT INTO erasure_tombstones (hash, expires_at) VALUES (?, ?) ON CONFLICT (hash) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)`,
    ),
    pruneTombstones: db.prepare(`DELETE FROM erasure_tombstones WHERE expires_at <= ?`),
    ownedKeys: db.prepare<[string], { key: string }>(`SELECT key FROM dedupe_keys WHERE owner = ?`),
    pruneSessions: db.prepare(`DELETE FROM sessions WHERE state = 'closed' AND closed_at < ?`),
    pruneDeadLetters: db.prepare(`DELETE FROM outbox WHERE state = 'failed' AND COALESCE(failed_at, created_at) < ?`),
    customerSessions: db.prepare<[string, string], SessionRow>(`SELECT * FROM sessions WHERE channel_type = ? AND customer_id = ? ORDER BY created_at, id`),
    // The search's order and limit in SQL: only the customers listed are read whole, however many match.
    mostRecentCustomersMatching: db.prepare<[string, string, string, number], { customer_id: string }>(
      `SELECT customer_id FROM sessions
       WHERE channel_type = ? AND (instr(lower(customer_id), ?) > 0 OR instr(lower(customer_name), ?) > 0)
       GROUP BY customer_id ORDER BY max(COALESCE(closed_at, created_at)) DESC, customer_id LIMIT ?`,
    ),
    deleteCustomerSessions: db.prepare(`DELETE FROM sessions WHERE channel_type = ? AND customer_id = ?`),
    deleteEntries: db.prepare(`DELETE FROM outbox WHERE queue = ? AND ordering_key = ? AND state = ?`),
    deleteOwnedKeys: db.prepare(`DELETE FROM dedupe_keys WHERE owner = ?`),
    // A dead letter may outlive its session: find it by its recipient (a DeliveryPayload) too.
    deleteDeliveriesTo: db.prepare(
      `DELETE FROM outbox WHERE queue = 'to-channel' AND state = 'failed'
          AND json_extract(payload, '$.channelType') = ? AND json_extract(payload, '$.event.to.id') = ?`,
    ),
  };

  /** An entry leaves the pending ones (handled, or parked): the next of its key becomes the head. */
  const removeFromPending = db.transaction((remove: () => EntryKey | undefined) => {
    const removed = remove();
    if (removed) statements.promoteHead.run(removed.queue, removed.ordering_key);
  });

  /** Returns the new entry's id and its payload as stored. */
  const insertEntry = (entry: OutboxEntry): { id: number; payload: string } => {
    const at = now();
    const payload = JSON.stringify(entry.payload);
    const inserted = statements.insertOutbox.run({ queue: entry.queue, key: entry.orderingKey, payload, at });
    return { id: Number(inserted.lastInsertRowid), payload };
  };

  /** The new entry when it was queued, undefined for a duplicate. */
  const enqueue = db.transaction((entry: OutboxEntry, dedupeKeys: string[], whileSessionStored = false) => {
    if (whileSessionStored && !statements.sessionStored.get(entry.orderingKey)) return undefined;
    const at = now();
    if (tombstones && dedupeKeys.some((key) => statements.isTombstoned.get(tombstones.hash(key), at))) return undefined;
    let seenBefore = false;
    for (const key of dedupeKeys) {
      if (statements.rememberKey.run(key, at, entry.orderingKey).changes === 0) seenBefore = true;
    }
    if (seenBefore) return undefined;
    return insertEntry(entry);
  });

  const enqueueAndClaim = db.transaction((entry: OutboxEntry, dedupeKeys: string[], at: number, leaseMs: number, options: QueueOptions): QueuedEntry => {
    const inserted = enqueue(entry, dedupeKeys, options.whileSessionStored);
    if (!inserted) return { queued: false };
    const leased = statements.leaseIfHead.get(at + leaseMs, inserted.id);
    if (!leased) return { queued: true };
    const { queue, orderingKey } = entry;
    const claimed: OutboxItem = {
      id: inserted.id,
      queue,
      orderingKey,
      payload: parseStoredPayload(inserted.payload),
      attempts: leased.attempts,
      createdAt: leased.created_at,
    };
    const { sessionOf } = options;
    if (sessionOf && orderingKey === customerOrderingKey(sessionOf.channelType, sessionOf.customerId)) {
      const row = statements.findActive.get(sessionOf.channelType, sessionOf.customerId);
      claimed.activeSession = row ? toSession(row) : null;
    }
    return { queued: true, claimed };
  });

  const claimDue = db.transaction((queue: OutboxQueue, at: number, limit: number, leaseMs: number) => {
    const rows = statements.dueHeads.all(queue, at, at, limit);
    for (const row of rows) statements.lease.run(at + leaseMs, row.id);
    return rows.map((row): OutboxItem => ({
      id: row.id,
      queue: row.queue,
      orderingKey: row.ordering_key,
      payload: parseStoredPayload(row.payload),
      attempts: row.attempts + 1,
      createdAt: row.created_at,
    }));
  });

  const retryDeadLetter = db.transaction((id: number): number | undefined => {
    const inserted = statements.requeueFailed.run(now(), id);
    if (inserted.changes === 0) return undefined;
    statements.complete.get(id);
    return Number(inserted.lastInsertRowid);
  });

  const recordResources = db.transaction((sessionId: string, resources: SessionResources) => {
    const current = statements.readResources.get(sessionId);
    if (!current) return;
    const merged: SessionResources = { ...(JSON.parse(current.resources) as SessionResources), ...resources };
    statements.writeResources.run(JSON.stringify(merged), merged.conversationSid ?? null, sessionId);
  });

  const closeSession = db.transaction((sessionId: string, closedAt: number, followUp?: OutboxEntry) => {
    if (statements.closeSession.run(closedAt, sessionId).changes === 0) return false;
    if (followUp) insertEntry(followUp);
    return true;
  });

  const prune = db.transaction((at: number): PruneCounts => ({
    closedSessions: statements.pruneSessions.run(at - retention.closedSessionMs).changes,
    deadLetters: statements.pruneDeadLetters.run(at - retention.deadLetterMs).changes,
    dedupeKeys: statements.pruneKeys.run(at - retention.dedupeMs).changes,
    erasureTombstones: statements.pruneTombstones.run(at).changes,
  }));

  const eraseCustomer = db.transaction((channelType: string, customerId: string): ErasureCounts => {
    const sessionIds = statements.customerSessions.all(channelType, customerId).map((row) => row.id);
    // Messages to Flex are keyed by customer, deliveries to the channel by session.
    const owners: Array<[OutboxQueue, string]> = [
      ['to-flex', customerOrderingKey(channelType, customerId)],
      ...sessionIds.map((id): [OutboxQueue, string] => ['to-channel', id]),
    ];
    const sessions = statements.deleteCustomerSessions.run(channelType, customerId).changes;
    const counts: ErasureCounts = { sessions, pendingEntries: 0, deadLetters: 0, dedupeKeys: 0 };
    const tombstonesUntil = tombstones ? now() + tombstones.ttlMsFor(channelType) : 0;
    for (const [queue, key] of owners) {
      if (tombstones) {
        for (const { key: dedupeKey } of statements.ownedKeys.all(key)) statements.addTombstone.run(tombstones.hash(dedupeKey), tombstonesUntil);
      }
      counts.pendingEntries += statements.deleteEntries.run(queue, key, 'pending').changes;
      counts.deadLetters += statements.deleteEntries.run(queue, key, 'failed').changes;
      counts.dedupeKeys += statements.deleteOwnedKeys.run(key).changes;
    }
    counts.deadLetters += statements.deleteDeliveriesTo.run(channelType, customerId).changes;
    return counts;
  });

  // Writes go through one group commit per event-loop turn, which takes the write lock up front.
  const group = groupCommit(db);

  return {
    ...sqliteUploadRecords(db, now),
    transcripts: sqliteTranscripts(db, now),
    surveys: sqliteSurveyRecords(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      group.flush();
      await close();
    },
    async findActiveSession(channelType, customerId) {
      const row = statements.findActive.get(channelType, customerId);
      return row && toSession(row);
    },
    async findSessionByConversationSid(conversationSid) {
      const row = statements.findByConversation.get(conversationSid);
      return row && toSession(row);
    },
    insertSession(session) {
      const row = { ...session, conversationSid: session.resources.conversationSid ?? null, resources: JSON.stringify(session.resources) };
      return group.write(() => statements.insertSession.run(row).changes === 1);
    },
    async recordSessionResources(sessionId, resources) {
      await group.write(() => recordResources(sessionId, resources));
    },
    async markSessionOpen(sessionId) {
      await group.write(() => statements.markOpen.run(sessionId));
    },
    async deleteSession(sessionId) {
      await group.write(() => statements.deleteSession.run(sessionId));
    },
    closeSession(sessionId, closedAt, followUp) {
      return group.write(() => closeSession(sessionId, closedAt, followUp));
    },
    enqueue(entry, dedupeKeys = [], options = {}) {
      return group.write(() => enqueue(entry, dedupeKeys, options.whileSessionStored) !== undefined);
    },
    enqueueAndClaim(entry, dedupeKeys, at, leaseMs, options = {}) {
      return group.write(() => enqueueAndClaim(entry, dedupeKeys, at, leaseMs, options));
    },
    claimDue(queue, at, limit, leaseMs) {
      return group.write(() => claimDue(queue, at, limit, leaseMs));
    },
    async complete(id) {
      await group.write(() => removeFromPending(() => statements.complete.get(id)));
    },
    async retryLater(id, notBefore, reason) {
      await group.write(() => statements.retryLater.run(notBefore, reason, id));
    },
    renewLease(id, attempts, leaseUntil) {
      return group.write(() => statements.renewLease.run(leaseUntil, id, attempts).changes === 1);
    },
    async markFailed(id, reason) {
      await group.write(() => removeFromPending(() => statements.markFailed.get(reason, now(), id)));
    },
    async listDeadLetters(query = {}): Promise<DeadLetter[]> {
      const { afterId = 0, limit = 100, orderingKey } = query;
      const queue = query.queue ?? null;
      const rows =
        orderingKey === undefined
          ? statements.deadLetters.all(afterId, queue, queue, limit)
          : (queue ? [queue] : OUTBOX_QUEUES)
              .flatMap((each) => statements.deadLettersOfKey.all(each, orderingKey, afterId, limit))
              .sort((a, b) => a.id - b.id)
              .slice(0, limit);
      return rows.map((row) => ({
        id: row.id,
        queue: row.queue,
        orderingKey: row.ordering_key,
        payload: parseStoredPayload(row.payload),
        attempts: row.attempts,
        createdAt: row.created_at,
        reason: row.last_error ?? '',
        ...(row.failed_at !== null ? { failedAt: row.failed_at } : {}),
      }));
    },
    retryDeadLetter(id) {
      return group.write(() => retryDeadLetter(id));
    },
    async countOutbox(): Promise<OutboxCounts[]> {
      return statements.counts.all().map((row) => ({ queue: row.queue, pending: row.pending ?? 0, failed: row.failed ?? 0 }));
    },
    async oldestOutboxDue() {
      return Object.fromEntries(statements.oldestDue.all().map((row) => [row.queue, row.oldest_due]));
    },
    prune() {
      return group.write(() => prune(now()));
    },
    async listCustomerSessions(channelType, customerId) {
      return statements.customerSessions.all(channelType, customerId).map(toSession);
    },
    async searchCustomers(search) {
      const text = search.text.toLowerCase();
      const found = new MostRecentCustomers(search.limit);
      for (const { customer_id: customerId } of statements.mostRecentCustomersMatching.all(search.channelType, text, text, search.limit)) {
        found.offer(customerMatchOf(customerId, statements.customerSessions.all(search.channelType, customerId).map(toSession), search));
      }
      return found.list();
    },
    eraseCustomer(channelType, customerId) {
      return group.write(() => eraseCustomer(channelType, customerId));
    },
  };
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    channelType: row.channel_type,
    customerId: row.customer_id,
    customerName: row.customer_name,
    identity: row.identity,
    state: row.state,
    resources: JSON.parse(row.resources) as SessionResources,
    createdAt: row.created_at,
    ...(row.closed_at !== null ? { closedAt: row.closed_at } : {}),
  };
}
