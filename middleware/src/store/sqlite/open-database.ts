import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

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
