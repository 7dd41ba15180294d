import { DEFAULT_RETENTION, type RetentionPolicy } from '../../retention/retention-policy.js';
import {
  customerOrderingKey,
  OUTBOX_QUEUES,
  type DeadLetter,
  type ErasureCounts,
  type OutboxCounts,
  type OutboxItem,
  type OutboxQueue,
  type Session,
  type Store,
  type TombstonePolicy,
} from '../store.js';
import { POINTER_SCRIPTS, SCRIPTS, type PointerScriptName, type ScriptName } from './scripts.js';
import { parseStoredPayload } from '../stored-payload.js';
import { customerMatchOf, MostRecentCustomers } from '../customer-search.js';
import { claimAcross, CLUSTER_HOMES, Homes, SINGLE_NODE_HOMES } from './homes.js';
import type { RedisLocation } from '../database-url.js';
import { closeRedis, connectRedis, scanKeys, withTimeout } from './redis-connection.js';
import { SessionHomes } from './session-homes.js';
import { TouchedHomes } from './touched-homes.js';
import { SequenceBlocks } from './sequence-blocks.js';
import { ConversationTargets } from './conversation-targets.js';
import { redisUploadRecords } from './redis-uploads.js';
import { redisTranscripts } from './redis-transcripts.js';
import { redisSurveyRecords } from './redis-surveys.js';

export interface RedisStoreOptions {
  /** A single Redis or a Redis Cluster, as DATABASE_URL named it. */
  location: RedisLocation;
  /** Namespace of every key, so several deployments can share one Redis. */
  keyPrefix?: string;
  /** How many homes customers spread over (see homes.ts); by default 1 on a single Redis, 16 on a cluster. */
  homes?: number;
  /** Closed sessions and dedupe keys get TTLs from it; prune() applies the rest. */
  retention?: RetentionPolicy;
  now?: () => number;
  /** Connection problems; the client reconnects by itself. Without it they are ignored (readiness reports them). */
  onError?: (error: Error) => void;
  /** Erasures tombstone the dedupe keys they delete; without it they do not. */
  tombstones?: TombstonePolicy;
}

type Command = (...args: Array<string | number>) => Promise<unknown>;

const parseSession = (json: string) => JSON.parse(json) as Session;

const PING_TIMEOUT_MS = 1000;
/** Outbox numbers an instance takes from the shared sequence at once (several homes only). */
const SEQUENCE_BLOCK = 100;
/** An erasure lists the customer's dedupe keys, then erases unless one was written meanwhile: how often it tries. */
const ERASURE_ATTEMPTS = 5;

/**
 * The store for several instances: every piece of shared state in one Redis or Redis Cluster,
 * each change of more than one key made atomic by a Lua script running in one home (see
 * homes.ts and scripts.ts for the key layout).
 */
export function openRedisStore(options: RedisStoreOptions): Store {
  const now = options.now ?? Date.now;
  const tombstones = options.tombstones;
  const prefix = options.keyPrefix ?? 'custom-channels';
  const retention = options.retention ?? DEFAULT_RETENTION;
  const cluster = options.location.engine === 'redis-cluster';
  const homes = new Homes(prefix, options.homes ?? (cluster ? CLUSTER_HOMES : SINGLE_NODE_HOMES), { cluster });
  // No auto-pipelining: ioredis builds a pipeline per batch and copies every defined script onto
  // it, so at a steady rate (a command or two per batch) it cost the collector more than it saved.
  const redis = connectRedis(options.location, { maxRetriesPerRequest: 3, enableAutoPipelining: false });
  redis.on('error', (error: Error) => options.onError?.(error));
  for (const [name, lua] of Object.entries({ ...SCRIPTS, ...POINTER_SCRIPTS })) {
    redis.defineCommand(name, { numberOfKeys: 1, lua });
  }
  const commands = redis as unknown as Record<ScriptName | PointerScriptName, Command>;
  const run = (name: ScriptName, home: number, ...args: Array<string | number>) => commands[name](homes.base(home), homes.idSpread(home), ...args);
  const sequence = new SequenceBlocks((count) => redis.incrby(homes.sequence(), count), SEQUENCE_BLOCK);
  /** For scripts that queue an entry: with several homes, its sequence number comes from the shared sequence first. */
  const runQueuing = async (name: ScriptName, home: number, ...args: Array<string | number>) => {
    const seq = homes.count > 1 ? await sequence.take() : undefined;
    return commands[name](homes.base(home), homes.idSpread(home, seq), ...args);
  };
  const pointer = (name: PointerScriptName, key: string, ...args: Array<string | number>) => commands[name](key, ...args);
  const sessionHomes = new SessionHomes(redis, homes);
  const conversationTargets = new ConversationTargets(redis, homes);
  /** Pointers outside the home go after the home's script: a crash in between leaves at worst a pointer to nothing. */
  const dropConversation = async (home: number, sessionId: string, conversationSid: string) => {
    if (!conversationSid) return;
    conversationTargets.forget(conversationSid);
    await pointer('dropPointer', homes.conversationPointer(conversationSid), homes.conversationTarget(home, sessionId));
  };
  /** To-flex entries are ordered by customer, to-channel ones by session: either way they live in the customer's home. */
  const homeOfEntry = async (queue: OutboxQueue, orderingKey: string) =>
    (queue === 'to-channel' ? await sessionHomes.find(orderingKey) : undefined) ?? homes.ofKey(orderingKey);
  /** Each dedupe key followed by its tombstone hash ('' without tombstones), as the queuing scripts take them. */
  const keysWithHashes = (dedupeKeys: string[]) => dedupeKeys.flatMap((key) => [key, tombstones ? tombstones.hash(key) : '']);
  let claimStart = 0;
  const touched = new TouchedHomes();

  /** A session read from its home: its home is known from then on without asking. */
  const readSession = (raw: string, home: number): Session => {
    const session = JSON.parse(raw) as Session;
    sessionHomes.cache(session.id, home);
    return session;
  };

  const activeSession = async (channelType: string, customerId: string): Promise<Session | undefined> => {
    const home = homes.ofCustomer(channelType, customerId);
    const raw = (await run('sessionVia', home, `active:${channelType}:${customerId}`)) as string | null;
    return raw ? readSession(raw, home) : undefined;
  };

  const sessionAt = async (home: number, sessionId: string): Promise<Session | undefined> => {
    const raw = await redis.get(`${homes.base(home)}:session:${sessionId}`);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  };

  /** Redis scripts cannot compute an HMAC: the keys are listed, hashed here, and the erasure refuses to run if one was added since. */
  const eraseInHome = async (home: number, channelType: string, customerId: string, key: string): Promise<Array<number | string>> => {
    for (let attempt = 0; attempt < ERASURE_ATTEMPTS; attempt += 1) {
      const live = tombstones ? ((await run('customerDedupeKeys', home, channelType, customerId, key)) as string[]) : [];
      const hashed = live.flatMap((dedupeKey) => [dedupeKey, tombstones!.hash(dedupeKey)]);
      const ttlMs = tombstones?.ttlMsFor(channelType) ?? 0;
      const reply = (await run('eraseCustomer', home, channelType, customerId, key, ttlMs, ...hashed)) as Array<number | string>;
      if (Number(reply[0]) !== -1) return reply;
    }
    throw new Error(`the customer's messages kept arriving during ${ERASURE_ATTEMPTS} attempts to erase them; nothing was erased, try again`);
  };

  const { transcripts, close: closeTranscripts } = redisTranscripts({ redis, location: options.location, prefix, now, onError: options.onError });

  return {
    ...redisUploadRecords(redis, prefix, now),
    transcripts,
    surveys: redisSurveyRecords(redis, prefix),
    async ping() {
      // While disconnected, commands would wait in the offline queue: answer at once instead.
      if (redis.status !== 'ready') throw new Error(`redis connection is ${redis.status}`);
      await withTimeout(redis.ping(), PING_TIMEOUT_MS, 'redis did not answer PING');
    },
    async close() {
      await Promise.all([closeRedis(redis), closeTranscripts()]);
    },
    async findActiveSession(channelType, customerId) {
      return activeSession(channelType, customerId);
    },
    async findSessionByConversationSid(conversationSid) {
      if (!cluster && homes.count === 1) {
        const raw = (await pointer('sessionViaConversation', homes.conversationPointer(conversationSid), homes.base(0))) as string | null;
        return raw ? (JSON.parse(raw) as Session) : undefined;
      }
      const target = await conversationTargets.find(conversationSid);
      if (!target) return undefined;
      const { home, sessionId } = homes.parseConversationTarget(target);
      sessionHomes.cache(sessionId, home);
      return sessionAt(home, sessionId);
    },
    async insertSession(session) {
      const home = homes.ofCustomer(session.channelType, session.customerId);
      const inserted = (await run('insertSession', home, JSON.stringify(session), session.id, session.channelType, session.customerId)) === 1;
      if (!inserted) return false;
      // Should a crash come first, the session is still found through its customer, which tells its home.
      await sessionHomes.record(session.id, home);
      const conversationSid = session.resources.conversationSid;
      if (conversationSid) await conversationTargets.record(conversationSid, homes.conversationTarget(home, session.id));
      return true;
    },
    async recordSessionResources(sessionId, resources) {
      const home = await sessionHomes.find(sessionId);
      if (home === undefined) return;
      const conversationSid = (await run('recordResources', home, sessionId, JSON.stringify(resources))) as string | null;
      if (conversationSid) await conversationTargets.record(conversationSid, homes.conversationTarget(home, sessionId));
    },
    async markSessionOpen(sessionId) {
      const home = await sessionHomes.find(sessionId);
      if (home !== undefined) await run('markOpen', home, sessionId);
    },
    async deleteSession(sessionId) {
      const home = await sessionHomes.find(sessionId);
      if (home === undefined) return;
      const conversationSid = (await run('deleteSession', home, sessionId)) as string | null;
      if (conversationSid === null) return;
      await dropConversation(home, sessionId, conversationSid);
      await sessionHomes.forget([sessionId]);
    },
    async closeSession(sessionId, closedAt, followUp) {
      const home = await sessionHomes.find(sessionId);
      if (home === undefined) return false;
      const conversationSid = (await (followUp ? runQueuing : run)(
        'closeSession',
        home,
        sessionId,
        closedAt,
        now(),
        followUp?.queue ?? '',
        followUp?.orderingKey ?? '',
        followUp ? JSON.stringify(followUp.payload) : '',
        retention.closedSessionMs,
      )) as string | null;
      if (conversationSid === null) return false;
      if (followUp) touched.touch(followUp.queue, [home]);
      if (conversationSid) {
        await pointer('expirePointer', homes.conversationPointer(conversationSid), homes.conversationTarget(home, sessionId), retention.closedSessionMs);
      }
      await sessionHomes.expire(sessionId, retention.closedSessionMs);
      return true;
    },
    async enqueue(entry, dedupeKeys = [], options = {}) {
      const home = await homeOfEntry(entry.queue, entry.orderingKey);
      const keysAndHashes = keysWithHashes(dedupeKeys);
      const queued = await runQueuing(
        'enqueue',
        home,
        entry.queue,
        entry.orderingKey,
        JSON.stringify(entry.payload),
        now(),
        retention.dedupeMs,
        options.whileSessionStored ? '1' : '',
        ...keysAndHashes,
      );
      // Queued behind another entry, it is not due before that one is done: no claim needs to look for it.
      if (queued === 2) touched.touch(entry.queue, [home]);
      return queued !== 0;
    },
    async enqueueAndClaim(entry, dedupeKeys, at, leaseMs, options = {}) {
      const { sessionOf } = options;
      const home = await homeOfEntry(entry.queue, entry.orderingKey);
      const payload = JSON.stringify(entry.payload);
      const createdAt = now();
      const readsSession = sessionOf !== undefined && entry.orderingKey === customerOrderingKey(sessionOf.channelType, sessionOf.customerId);
      const reply = (await runQueuing(
        'enqueueAndClaim',
        home,
        entry.queue,
        entry.orderingKey,
        payload,
        createdAt,
        retention.dedupeMs,
        at + leaseMs,
        readsSession ? `active:${sessionOf.channelType}:${sessionOf.customerId}` : '',
        options.whileSessionStored ? '1' : '',
        ...keysWithHashes(dedupeKeys),
      )) as number | [number, string];
      // Claimed here, or queued behind another entry: either way no claim needs to look in this home for it.
      if (!Array.isArray(reply)) return { queued: reply === 0 };
      const [id, session] = reply;
      const { queue, orderingKey } = entry;
      const claimed: OutboxItem = { id: Number(id), queue, orderingKey, payload: parseStoredPayload(payload), attempts: 1, createdAt };
      if (readsSession) claimed.activeSession = session === '' ? null : readSession(session, home);
      return { queued: true, claimed };
    },
    async claimDue(queue, at, limit, leaseMs, scope = 'all') {
      const claimOne = async (home: number, share: number) => {
        const flat = (await run('claimDue', home, queue, at, share, leaseMs)) as string[];
        const items: OutboxItem[] = [];
        for (let i = 0; i < flat.length; i += 5) {
          items.push({
            id: Number(flat[i]),
            queue,
            orderingKey: String(flat[i + 1]),
            payload: parseStoredPayload(String(flat[i + 2])),
            attempts: Number(flat[i + 3]),
            createdAt: Number(flat[i + 4]),
          });
        }
        return items;
      };
      const candidates = scope === 'all' ? homes.all() : touched.take(queue);
      if (candidates.length === 0) return [];
      try {
        return await claimAcross(candidates, scope === 'all' ? claimStart++ : 0, limit, claimOne, (left) => touched.touch(queue, left));
      } catch (error) {
        touched.touch(queue, candidates);
        throw error;
      }
    },
    async complete(id) {
      const home = homes.ofEntry(id);
      const nextOfKey = (await run('complete', home, id)) as OutboxQueue | null;
      if (nextOfKey) touched.touch(nextOfKey, [home]);
    },
    async retryLater(id, notBefore, reason) {
      await run('retryLater', homes.ofEntry(id), id, notBefore, reason);
    },
    async renewLease(id, attempts, leaseUntil) {
      return (await run('renewLease', homes.ofEntry(id), id, attempts, leaseUntil)) === 1;
    },
    async markFailed(id, reason) {
      const home = homes.ofEntry(id);
      const nextOfKey = (await run('markFailed', home, id, reason, now())) as OutboxQueue | null;
      if (nextOfKey) touched.touch(nextOfKey, [home]);
    },
    async listDeadLetters(query = {}): Promise<DeadLetter[]> {
      const { afterId = 0, limit = 100, orderingKey } = query;
      const queues = query.queue ? [query.queue] : OUTBOX_QUEUES;
      const candidates =
        orderingKey === undefined
          ? queues.flatMap((queue) => homes.all().map((home) => redis.smembers(`${homes.base(home)}:outbox:${queue}:failed`)))
          : queues.map(async (queue) => (await run('deadLettersOfKey', await homeOfEntry(queue, orderingKey), queue, orderingKey, afterId, limit)) as number[]);
      const ids = (await Promise.all(candidates))
        .flat()
        .map(Number)
        .filter((id) => id > afterId)
        .sort((a, b) => a - b)
        .slice(0, limit);
      const items = await Promise.all(ids.map((id) => redis.hgetall(`${homes.base(homes.ofEntry(id))}:outbox:item:${id}`)));
      return items.flatMap((item, index): DeadLetter[] =>
        item.queue
          ? [
              {
                id: ids[index]!,
                queue: item.queue as OutboxQueue,
                orderingKey: item.key ?? '',
                payload: parseStoredPayload(item.payload ?? 'null'),
                attempts: Number(item.attempts ?? 0),
                createdAt: Number(item.createdAt ?? 0),
                reason: item.error ?? '',
                ...(item.failedAt ? { failedAt: Number(item.failedAt) } : {}),
              },
            ]
          : [],
      );
    },
    async retryDeadLetter(id) {
      const home = homes.ofEntry(id);
      const newId = Number(await runQueuing('retryDeadLetter', home, id, now()));
      if (newId <= 0) return undefined;
      for (const queue of OUTBOX_QUEUES) touched.touch(queue, [home]);
      return newId;
    },
    async countOutbox(): Promise<OutboxCounts[]> {
      const counts = await Promise.all(
        OUTBOX_QUEUES.map(async (queue) => {
          const perHome = await Promise.all(
            homes
              .all()
              .map((home) =>
                Promise.all([redis.get(`${homes.base(home)}:outbox:${queue}:pending`), redis.scard(`${homes.base(home)}:outbox:${queue}:failed`)]),
              ),
          );
          return {
            queue,
            pending: perHome.reduce((sum, [pending]) => sum + Number(pending ?? 0), 0),
            failed: perHome.reduce((sum, [, failed]) => sum + failed, 0),
          };
        }),
      );
      return counts.filter((count) => count.pending > 0 || count.failed > 0);
    },
    async oldestOutboxDue() {
      const perQueue = await Promise.all(
        OUTBOX_QUEUES.map(async (queue) => {
          // The heads are scored by when each may run: the lowest fell due first.
          const lowest = await Promise.all(homes.all().map((home) => redis.zrange(`${homes.base(home)}:outbox:${queue}:heads`, 0, 0, 'WITHSCORES')));
          const dues = lowest.flatMap((found) => (found[1] === undefined ? [] : [Number(found[1])]));
          return dues.length > 0 ? [[queue, Math.min(...dues)] as const] : [];
        }),
      );
      return Object.fromEntries(perQueue.flat());
    },
    async prune() {
      // Closed sessions and dedupe keys expire by TTL; sessions written before TTLs existed are given theirs here.
      const at = now();
      let closedSessions = 0;
      for await (const keys of scanKeys(redis, homes.sessionKeys())) {
        const found = keys.flatMap((key) => homes.sessionOfKey(key) ?? []);
        const adopted = await Promise.all(
          found.map(async ({ home, id }) => {
            const conversationSid = (await run('adoptSession', home, id, at, retention.closedSessionMs)) as string | null;
            if (conversationSid === null) return 0;
            await dropConversation(home, id, conversationSid);
            await sessionHomes.forget([id]);
            return 1;
          }),
        );
        closedSessions += adopted.reduce((sum: number, one) => sum + one, 0);
      }
      const deadLetters = await Promise.all(
        OUTBOX_QUEUES.flatMap((queue) => homes.all().map((home) => run('pruneDeadLetters', home, queue, at - retention.deadLetterMs))),
      );
      return {
        closedSessions,
        deadLetters: deadLetters.reduce((sum: number, one) => sum + Number(one), 0),
        dedupeKeys: 0,
        erasureTombstones: 0,
      };
    },
    async listCustomerSessions(channelType, customerId) {
      const [found] = (await run('sessionsOfCustomers', homes.ofCustomer(channelType, customerId), channelType, customerId)) as string[][];
      return found!.map(parseSession).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    // No index by channel: it walks every key (SCAN), holding one batch of customers' sessions and the rows it lists at a time.
    async searchCustomers(search) {
      const found = new MostRecentCustomers(search.limit);
      for await (const keys of scanKeys(redis, homes.customerIndexKeys(search.channelType))) {
        const byHome = new Map<number, string[]>();
        for (const customerId of keys.flatMap((key) => homes.customerOfIndexKey(key, search.channelType) ?? [])) {
          const home = homes.ofCustomer(search.channelType, customerId);
          const customers = byHome.get(home);
          if (customers) customers.push(customerId);
          else byHome.set(home, [customerId]);
        }
        await Promise.all(
          [...byHome].map(async ([home, customerIds]) => {
            const sessions = (await run('sessionsOfCustomers', home, search.channelType, ...customerIds)) as string[][];
            customerIds.forEach((customerId, index) => found.offer(customerMatchOf(customerId, sessions[index]!.map(parseSession), search)));
          }),
        );
      }
      return found.list();
    },
    async eraseCustomer(channelType, customerId): Promise<ErasureCounts> {
      const home = homes.ofCustomer(channelType, customerId);
      const key = customerOrderingKey(channelType, customerId);
      const reply = await eraseInHome(home, channelType, customerId, key);
      const [sessions, pendingEntries, deadLetters, dedupeKeys] = reply.slice(0, 4).map(Number);
      const elsewhere = await Promise.all(homes.all().flatMap((other) => (other === home ? [] : [run('eraseDeliveries', other, channelType, customerId)])));
      const erased: string[] = [];
      for (let i = 4; i < reply.length; i += 2) {
        erased.push(String(reply[i]));
        await dropConversation(home, String(reply[i]), String(reply[i + 1]));
      }
      await sessionHomes.forget(erased);
      return {
        sessions: sessions!,
        pendingEntries: pendingEntries!,
        deadLetters: deadLetters! + elsewhere.reduce((sum: number, one) => sum + Number(one), 0),
        dedupeKeys: dedupeKeys!,
      };
    },
  };
}
