import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisLocation } from '../database-url.js';

/** A single Redis or a Redis Cluster: the commands the store and the web chat log use exist on both. */
export type RedisClient = Redis | Cluster;

/** Connects to what DATABASE_URL named: ioredis' cluster client for a cluster, the plain client otherwise. */
export function connectRedis(location: RedisLocation, options: RedisOptions): RedisClient {
  if (location.engine === 'redis') return new Redis(location.url, options);
  const { nodes, username, password, tls } = location;
  const { enableAutoPipelining, maxRetriesPerRequest } = options;
  return new Cluster(nodes, {
    enableAutoPipelining,
    redisOptions: { maxRetriesPerRequest, username, password, ...(tls ? { tls: {} } : {}) },
  });
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** QUIT when connected (pending replies arrive first); otherwise drop the connection and stop reconnecting. */
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await withTimeout(redis.quit(), 2000, 'redis QUIT timed out').catch(() => redis.disconnect());
}

/** Every key matching `match`, in batches: on a cluster, SCAN runs on each master. */
export async function* scanKeys(redis: RedisClient, match: string): AsyncIterable<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    for await (const keys of node.scanStream({ match, count: 500 }) as AsyncIterable<string[]>) yield keys;
  }
}
