import { resolve } from 'node:path';
import type { Store } from './store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export type { Store } from './store.js';

/**
 * Opens the store a DATABASE_URL names. Accepted: `sqlite:<path>`, `file:<path>`, a bare
 * path, or `sqlite::memory:`; relative paths resolve against `baseDir`.
 */
export function openStore(databaseUrl: string, baseDir: string): Store {
  return openSqliteStore({ path: sqlitePath(databaseUrl, baseDir) });
}

export function sqlitePath(databaseUrl: string, baseDir: string): string {
  const path = databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
  return path === ':memory:' ? path : resolve(baseDir, path);
}
