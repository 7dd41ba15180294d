import { resolve } from 'node:path';
import type { Store } from './store.js';
import { openRedisStore } from './redis/redis-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export type { Store } from './store.js';

export type StoreEngine = 'sqlite' | 'redis';

/** `redis://` and `rediss://` (TLS) select Redis; everything else is a SQLite location. */
export function storeEngine(databaseUrl: string): StoreEngine {
  return /^rediss?:\/\//i.test(databaseUrl) ? 'redis' : 'sqlite';
}

export interface OpenStoreOptions {
  /** Redis only: connection problems (the store reconnects by itself). */
  onError?: (error: Error) => void;
}

/**
 * Opens the store a DATABASE_URL names. Accepted: `redis://[user:password@]host[:port][/db]`
 * (also `rediss://`), `sqlite:<path>`, `file:<path>`, a bare path, or `sqlite::memory:`;
 * relative paths resolve against `baseDir`.
 */
export function openStore(databaseUrl: string, baseDir: string, options: OpenStoreOptions = {}): Store {
  if (storeEngine(databaseUrl) === 'redis') return openRedisStore({ url: databaseUrl, onError: options.onError });
  return openSqliteStore({ path: sqlitePath(databaseUrl, baseDir) });
}

export function sqlitePath(databaseUrl: string, baseDir: string): string {
  const path = databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
  return path === ':memory:' ? path : resolve(baseDir, path);
}
