import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background thread copies the write-ahead log into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1_000;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

// Plain JavaScript evaluated in the worker, so the thread needs no TypeScript loader and
// inherits none of the parent's --import hooks.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again; the WAL only grows meanwhile.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints a WAL database from a worker thread with its own connection. SQLite's
 * automatic checkpoint runs inside whichever commit crosses the threshold and fsyncs the
 * database file there, which stalls this process's event loop for tens to hundreds of
 * milliseconds (better-sqlite3 is synchronous); the caller turns it off and this runs it
 * elsewhere. PASSIVE checkpoints never block the main connection's writes.
 */
export function startWalCheckpointer(path: string, intervalMs = CHECKPOINT_INTERVAL_MS): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { path, intervalMs, driver } });
  worker.unref();
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  return {
    async stop() {
      // Unreferenced so that it never keeps the process alive, except while it finishes.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
