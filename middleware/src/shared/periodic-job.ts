import type { Logger } from '../observability/logger.js';

export interface PeriodicJob {
  /** Resolves with what it did, as counts. */
  run: () => Promise<object>;
  intervalMs: number;
  logger: Logger;
  /** Logged at info with the counts, when any is above zero. */
  doneMessage: string;
  /** Logged at warn with the error; the next run tries again. */
  failedMessage: string;
}

/**
 * Runs a housekeeping job now and every `intervalMs`, never two runs at once; returns a
 * function that stops it and resolves once a run in progress has finished, so nothing
 * runs after it (nor against a store being closed).
 */
export function startPeriodicJob(job: PeriodicJob): () => Promise<void> {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= job
      .run()
      .then((counts) => {
        if (Object.values(counts).some((count) => typeof count === 'number' && count > 0)) job.logger.info(counts, job.doneMessage);
      })
      .catch((error: unknown) => job.logger.warn({ err: error }, job.failedMessage))
      .finally(() => {
        running = undefined;
      });
  };
  run();
  const timer = setInterval(run, job.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
