import { FailureError, throttled } from '../outbox/failure.js';

export interface DownloadLimits {
  /** Attachments fetched at once, all hosts together (MEDIA_DOWNLOAD_CONCURRENCY). */
  total: number;
  /** Attachments fetched at once from one host (MEDIA_DOWNLOAD_CONCURRENCY_PER_HOST). */
  perHost: number;
  /** Attachments waiting for their turn (MEDIA_DOWNLOAD_QUEUE); one more goes back to the outbox for later. */
  waiting: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { total: 16, perHost: 4, waiting: 256 };

/** How soon an attachment turned away by a full queue is tried again: the queue drains at the pace of downloads. */
export const QUEUE_FULL_RETRY_MS = 5_000;

interface Waiter {
  host: string;
  start(): void;
}

/**
 * Turns for fetching attachments, apart from the outbox's slots for text: a slow or silent
 * media host holds at most `perHost` turns, so other hosts' attachments (and every text)
 * keep flowing. Waiters are served oldest first among those whose host has room.
 */
export function createDownloadPool(limits: DownloadLimits) {
  const activeByHost = new Map<string, number>();
  const queue: Waiter[] = [];
  let active = 0;

  const hasRoom = (host: string) => active < limits.total && (activeByHost.get(host) ?? 0) < limits.perHost;
  const take = (host: string) => {
    active += 1;
    activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
  };
  const give = (host: string) => {
    active -= 1;
    const left = (activeByHost.get(host) ?? 1) - 1;
    if (left === 0) activeByHost.delete(host);
    else activeByHost.set(host, left);
    for (let index = 0; index < queue.length && active < limits.total;) {
      const waiter = queue[index]!;
      if (!hasRoom(waiter.host)) {
        index += 1;
        continue;
      }
      queue.splice(index, 1);
      take(waiter.host);
      waiter.start();
    }
  };

  const turn = (host: string, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(new FailureError(throttled('the worker is stopping')));
    if (hasRoom(host)) {
      take(host);
      return Promise.resolve();
    }
    if (queue.length >= limits.waiting)
      return Promise.reject(new FailureError(throttled('too many attachments are waiting to be fetched', QUEUE_FULL_RETRY_MS)));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        queue.splice(queue.indexOf(waiter), 1);
        reject(new FailureError(throttled('the worker is stopping')));
      };
      const waiter: Waiter = {
        host,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    /**
     * Runs `work` in a turn of `host`, waiting for one if needed. Throws a throttled
     * FailureError, without running it, when the queue is full or `signal` aborts first.
     */
    async run<T>(host: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      await turn(host, signal);
      try {
        return await work();
      } finally {
        give(host);
      }
    },
    /** Turns in use and waiters, for tests and metrics. */
    load: () => ({ active, waiting: queue.length }),
  };
}

export type DownloadPool = ReturnType<typeof createDownloadPool>;
