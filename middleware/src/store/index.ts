import type { RetentionPolicy } from '../retention/retention-policy.js';
import type { DatabaseLocation } from './database-url.js';
import type { Store, TombstonePolicy } from './store.js';

export type { Store } from './store.js';

export interface OpenStoreOptions {
  /** What prune() removes and which TTLs Redis sets; the documented defaults when omitted. */
  retention?: RetentionPolicy;
  /** Problems the store recovers from by itself: Redis connection errors (it reconnects), a failed SQLite checkpoint thread (restarted). */
  onError?: (error: Error) => void;
  /** Erasures keep tombstones of the dedupe keys they delete (see TombstonePolicy); without it they keep none. */
  tombstones?: TombstonePolicy;
}

/** Opens the store where DATABASE_URL said. Only the chosen engine's driver is loaded (each costs 5-20 MB of memory). */
export async function openStore(location: DatabaseLocation, options: OpenStoreOptions = {}): Promise<Store> {
  if (location.engine === 'sqlite') {
    const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
    return openSqliteStore({ path: location.path, ...options });
  }
  const { openRedisStore } = await import('./redis/redis-store.js');
  return openRedisStore({ location, ...options });
}
