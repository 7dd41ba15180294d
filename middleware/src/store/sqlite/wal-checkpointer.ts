import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RetryPolicy } from '../../config/outbox-settings.js';
import { retryDelayMs } from '../../outbox/backoff.js';

/** How often the background thread copies the write-ahead log into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1_000;

/** Restarts of a failed thread: 1 s, doubling to a minute. The WAL only grows meanwhile. */
const RESTART_POLICY: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: Number.POSITIVE_INFINITY };

export interface WalCheckpointerOptions {
  intervalMs?: number;
  /** A failure of the thread, which is restarted after a backoff; without it failures go unreported. */
  onError?: (error: Error) => void;
  restartPolicy?: RetryPolicy;
}

export interface WalCheckpointer {
  stop(): Promise<void>;
}

// Plain JavaScript evaluated in the worker, so the thread needs no TypeScript loader and
// inherits none of the parent's --import hooks. Any other error ends the thread, and the
// parent restarts it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// The driver's own error class reaches the parent as a bare object without its message.
function plainError(error) {
  const plain = new Error(error instanceof Error ? error.message : 'a value that is not an Error was thrown');
  if (typeof error?.code === 'string') plain.code = error.code;
  return plain;
}
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
} catch (error) {
  throw plainError(error);
}
let reported = false;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    if (!reported) parentPort.postMessage('checkpointed');
    reported = true;
  } catch (error) {
    // Busy or locked: the next tick tries again; the WAL only grows meanwhile.
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw plainError(error);
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
 * elsewhere. PASSIVE checkpoints never block the main connection's writes. A thread that
 * fails is reported and started again, never taking the process down.
 */
export function startWalCheckpointer(path: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = { path, intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS, driver };
  const policy = options.restartPolicy ?? RESTART_POLICY;
  let stopped = false;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let worker: Worker | undefined;
  let exited = Promise.resolve();

  const restartLater = (cause: Error): void => {
    if (stopped) return;
    failures += 1;
    const delayMs = retryDelayMs(policy, failures);
    options.onError?.(new Error(`the WAL checkpoint thread failed; restarting it in ${delayMs} ms`, { cause }));
    restartTimer = setTimeout(start, delayMs);
    restartTimer.unref();
  };

  function start(): void {
    let failure: Error | undefined;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData });
    } catch (error) {
      // The thread could not even be created (e.g. out of resources): try again later too.
      restartLater(asError(error));
      return;
    }
    worker.unref();
    // Only a thread that got as far as a checkpoint resets the backoff.
    worker.once('message', () => (failures = 0));
    worker.on('error', (error: unknown) => (failure = asError(error)));
    exited = new Promise<void>((done) =>
      worker!.once('exit', (code) => {
        done();
        restartLater(failure ?? new Error(`the thread exited with code ${code}`));
      }),
    );
  }
  start();

  return {
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      // Unreferenced so that it never keeps the process alive, except while it finishes.
      worker?.ref();
      worker?.postMessage('stop');
      await exited;
    },
  };
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error('the thread threw a value that is not an Error');
}
