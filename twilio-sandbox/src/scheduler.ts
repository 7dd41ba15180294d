import { setMaxListeners } from 'node:events';

/**
 * Every timer and background job of the stand-in goes through one scheduler, so that
 * `close()` can stop them all and leave no dangling handles.
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private readonly jobs = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor() {
    // The stand-in's parts and the Studio widgets' requests in flight listen to the signal.
    setMaxListeners(0, this.abort.signal);
  }

  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  /** Aborted when the stand-in closes (outgoing webhook requests listen to it). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  setTimeout(fn: () => void, ms: number): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const handle = setTimeout(
      () => {
        this.timers.delete(handle);
        fn();
      },
      Math.max(0, Math.min(ms, 2 ** 31 - 1)),
    );
    this.timers.add(handle);
    return handle;
  }

  clearTimeout(handle: NodeJS.Timeout | undefined): void {
    if (!handle) return;
    clearTimeout(handle);
    this.timers.delete(handle);
  }

  /** Resolves after `ms`, or at once when the stand-in closes. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.sleepers.delete(done);
        this.clearTimeout(handle);
        resolve();
      };
      const handle = this.setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** Runs a background job (errors are the job's business); `close()` waits for it. */
  run(job: () => Promise<unknown>): void {
    if (this.closed) return;
    const p: Promise<unknown> = Promise.resolve()
      .then(job)
      .catch(() => undefined)
      .finally(() => this.jobs.delete(p));
    this.jobs.add(p);
  }

  /** Waits until no background job is running (tests use it to settle). */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
  }

  async close(): Promise<void> {
    this.abort.abort();
    for (const handle of this.timers) clearTimeout(handle);
    this.timers.clear();
    for (const wake of [...this.sleepers]) wake();
    await Promise.allSettled([...this.jobs]);
  }
}
