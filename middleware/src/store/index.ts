import { resolve } from 'node:path';
import type { RetentionPolicy } from '../retention/retention-policy.js';
import type { Store, TombstonePolicy } from './store.js';

export type { Store } from './store.js';

export type StoreEngine = 'sqlite' | 'redis';

/** `redis://`, `rediss://` (TLS) and their `+cluster` forms select Redis; everything else is a SQLite location. */
export function storeEngine(databaseUrl: string): StoreEngine {
  return /^rediss?(\+cluster)?:\/\//i.test(databaseUrl) ? 'redis' : 'sqlite';
}

export interface OpenStoreOptions {
  /** What prune() removes and which TTLs Redis sets; the documented defaults when omitted. */
  retention?: RetentionPolicy;
  /** Problems the store recovers from by itself: Redis connection errors (it reconnects), a failed SQLite checkpoint thread (restarted). */
  onError?: (error: Error) => void;
  /** Erasures keep tombstones of the dedupe keys they delete (see TombstonePolicy); without it they keep none. */
  tombstones?: TombstonePolicy;
}

/**
 * Opens the store a DATABASE_URL names. Accepted: `redis://[user:password@]host[:port][/db]`
 * (also `rediss://`), `redis+cluster://[user:password@]host:port[,host:port...]` for a Redis
 * Cluster (also `rediss+cluster://`), `sqlite:<path>`, `file:<path>`, a bare path, or `sqlite::memory:`;
 * relative paths resolve against `baseDir`. Only the chosen engine's driver is loaded
 * (each costs 5-20 MB of memory).
 */
export async function openStore(databaseUrl: string, baseDir: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (storeEngine(databaseUrl) === 'redis') {
    const { openRedisStore } = await import('./redis/redis-store.js');
    return openRedisStore({ url: databaseUrl, onError: options.onError, retention: options.retention, tombstones: options.tombstones });
  }
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore({
    path: sqlitePath(databaseUrl, baseDir),
    retention: options.retention,
    onError: options.onError,
    tombstones: options.tombstones,
  });
}

export function sqlitePath(databaseUrl: string, baseDir: string): string {
  const path = databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
  return path === ':memory:' ? path : resolve(baseDir, path);
}
