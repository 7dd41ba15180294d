import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

/** The page size a new database file is created with; an existing one keeps its own. */
export const PAGE_SIZE_BYTES = 2048;

export interface OpenedDatabase {
  db: Database.Database;
  /** Stops the checkpoint thread, then closes the connection. */
  close(): Promise<void>;
}

/**
 * A connection as the middleware uses SQLite: WAL, synchronous=NORMAL (a power cut may lose
 * the last commits, never corrupts), waits up to 5 s for another connection's write lock,
 * and checkpoints from a background thread instead of inside commits (wal-checkpointer.ts).
 * `onError` hears of that thread's failures (it is restarted).
 */
export function openDatabase(path: string, onError?: (error: Error) => void, checkpointIntervalMs?: number): OpenedDatabase {
  const onDisk = path !== ':memory:';
  if (onDisk) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // Every commit writes each page it changed whole to the WAL, checksummed: a message's two
  // commits change about a dozen pages of the outbox, the dedupe keys and their indexes. Half
  // of SQLite's 4 KB default cut the store's CPU per message by about an eighth (8 KB doubled
  // it). Only a new database takes it; an existing one keeps its own.
  db.pragma(`page_size = ${PAGE_SIZE_BYTES}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  let checkpointer: WalCheckpointer | undefined;
  if (onDisk) {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = startWalCheckpointer(path, { onError, intervalMs: checkpointIntervalMs });
  }
  return {
    db,
    async close() {
      await checkpointer?.stop();
      db.close();
    },
  };
}
