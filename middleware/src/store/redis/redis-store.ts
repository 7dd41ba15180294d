import { Redis } from 'ioredis';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../../retention/retention-policy.js';
import {
  customerOrderingKey,
  type DeadLetter,
  type ErasureCounts,
  type OutboxCounts,
  type OutboxItem,
  type OutboxQueue,
  type Session,
  type Store,
} from '../store.js';
import { SCRIPTS, type ScriptName } from './scripts.js';
import { parseStoredPayload } from '../stored-payload.js';

const QUEUES: readonly OutboxQueue[] = ['to-flex', 'to-channel'];

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` */
  url: string;
  /** Namespace of every key, so several deployments can share one Redis. */
  keyPrefix?: string;
  /** Closed sessions and dedupe keys get TTLs from it; prune() applies the rest. */
  retention?: RetentionPolicy;
  now?: () => number;
  /** Connection problems; the client reconnects by itself. Without it they are ignored (readiness reports them). */
  onError?: (error: Error) => void;
}

type ScriptRunner = (name: ScriptName, ...args: Array<string | number>) => Promise<unknown>;

const PING_TIMEOUT_MS = 1000;

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** QUIT when connected (pending replies arrive first); otherwise drop the connection and stop reconnecting. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await withTimeout(redis.quit(), 2000, 'redis QUIT timed out').catch(() => redis.disconnect());
}

/**
 * The store for several instances: every piece of shared state in one Redis, each change
 * of more than one key made atomic by a Lua script (see scripts.ts for the key layout).
 */
export function openRedisStore(options: RedisStoreOptions): Store {
  const now = options.now ?? Date.now;
  const prefix = options.keyPrefix ?? 'custom-channels';
  const retention = options.retention ?? DEFAULT_RETENTION;
  const redis = new Redis(options.url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  redis.on('error', (error: Error) => options.onError?.(error));
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    redis.defineCommand(name, { numberOfKeys: 0, lua });
  }
  const run: ScriptRunner = (name, ...args) =>
    (redis as unknown as Record<ScriptName, (...a: Array<string | number>) => Promise<unknown>>)[name](prefix, ...args);

  const sessionVia = async (pointer: string): Promise<Session | undefined> => {
    const raw = (await run('sessionVia', pointer)) as string | null;
    return raw ? (JSON.parse(raw) as Session) : undefined;
  };

  return {
    async ping() {
      // While disconnected, commands would wait in the offline queue: answer at once instead.
      if (redis.status !== 'ready') throw new Error(`redis connection is ${redis.status}`);
      await withTimeout(redis.ping(), PING_TIMEOUT_MS, 'redis did not answer PING');
    },
    async close() {
      await closeRedis(redis);
    },
    async findActiveSession(channelType, customerId) {
      return sessionVia(`active:${channelType}:${customerId}`);
    },
    async findSessionByConversationSid(conversationSid) {
      return sessionVia(`conversation:${conversationSid}`);
    },
    async insertSession(session) {
      const inserted = await run(
        'insertSession',
        JSON.stringify(session),
        session.id,
        session.channelType,
        session.customerId,
        session.resources.conversationSid ?? '',
      );
      return inserted === 1;
    },
    async recordSessionResources(sessionId, resources) {
      await run('recordResources', sessionId, JSON.stringify(resources));
    },
    async markSessionOpen(sessionId) {
      await run('markOpen', sessionId);
    },
    async deleteSession(sessionId) {
      await run('deleteSession', sessionId);
    },
    async closeSession(sessionId, closedAt, followUp) {
      const closed = await run(
        'closeSession',
        sessionId,
        closedAt,
        now(),
        followUp?.queue ?? '',
        followUp?.orderingKey ?? '',
        followUp ? JSON.stringify(followUp.payload) : '',
        retention.closedSessionMs,
      );
      return closed === 1;
    },
    async enqueue(entry, dedupeKeys = []) {
      const queued = await run('enqueue', entry.queue, entry.orderingKey, JSON.stringify(entry.payload), now(), retention.dedupeMs, ...dedupeKeys);
      return queued === 1;
    },
    async claimDue(queue, at, limit, leaseMs) {
      const flat = (await run('claimDue', queue, at, limit, leaseMs)) as string[];
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
    },
    async complete(id) {
      await run('complete', id);
    },
    async retryLater(id, notBefore, reason) {
      await run('retryLater', id, notBefore, reason);
    },
    async renewLease(id, attempts, leaseUntil) {
      return (await run('renewLease', id, attempts, leaseUntil)) === 1;
    },
    async markFailed(id, reason) {
      await run('markFailed', id, reason, now());
    },
    async listDeadLetters(query = {}): Promise<DeadLetter[]> {
      const queues = query.queue ? [query.queue] : QUEUES;
      const ids = (await Promise.all(queues.map((queue) => redis.smembers(`${prefix}:outbox:${queue}:failed`))))
        .flat()
        .map(Number)
        .filter((id) => id > (query.afterId ?? 0))
        .sort((a, b) => a - b)
        .slice(0, query.limit ?? 100);
      const items = await Promise.all(ids.map((id) => redis.hgetall(`${prefix}:outbox:item:${id}`)));
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
      const newId = Number(await run('retryDeadLetter', id, now()));
      return newId > 0 ? newId : undefined;
    },
    async countOutbox(): Promise<OutboxCounts[]> {
      const counts = await Promise.all(
        QUEUES.map(async (queue) => {
          const [pending, failed] = await Promise.all([redis.get(`${prefix}:outbox:${queue}:pending`), redis.scard(`${prefix}:outbox:${queue}:failed`)]);
          return { queue, pending: Number(pending ?? 0), failed };
        }),
      );
      return counts.filter((count) => count.pending > 0 || count.failed > 0);
    },
    async prune() {
      // Closed sessions and dedupe keys expire by TTL; sessions written before TTLs existed are given theirs here.
      const at = now();
      let closedSessions = 0;
      for await (const keys of redis.scanStream({ match: `${prefix}:session:*`, count: 500 }) as AsyncIterable<string[]>) {
        const ids = keys.map((key) => key.slice(`${prefix}:session:`.length));
        const adopted = await Promise.all(ids.map((id) => run('adoptSession', id, at, retention.closedSessionMs)));
        closedSessions += adopted.reduce((sum: number, one) => sum + Number(one), 0);
      }
      const deadLetters = await Promise.all(QUEUES.map((queue) => run('pruneDeadLetters', queue, at - retention.deadLetterMs)));
      return {
        closedSessions,
        deadLetters: deadLetters.reduce((sum: number, one) => sum + Number(one), 0),
        dedupeKeys: 0,
      };
    },
    async listCustomerSessions(channelType, customerId) {
      const ids = await redis.smembers(`${prefix}:customer:${channelType}:${customerId}`);
      const raw = ids.length > 0 ? await redis.mget(ids.map((id) => `${prefix}:session:${id}`)) : [];
      return raw.flatMap((json) => (json ? [JSON.parse(json) as Session] : [])).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    async eraseCustomer(channelType, customerId): Promise<ErasureCounts> {
      const key = customerOrderingKey(channelType, customerId);
      const [sessions, pendingEntries, deadLetters, dedupeKeys] = (await run('eraseCustomer', channelType, customerId, key)) as number[];
      return {
        sessions: sessions!,
        pendingEntries: pendingEntries!,
        deadLetters: deadLetters!,
        dedupeKeys: dedupeKeys!,
      };
    },
  };
}
