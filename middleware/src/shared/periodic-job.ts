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

/** Runs a housekeeping job now and every `intervalMs`; returns a function that stops it. */
export function startPeriodicJob(job: PeriodicJob): () => void {
  const run = () => {
    job
      .run()
      .then((counts) => Object.values(counts).some((count) => typeof count === 'number' && count > 0) && job.logger.info(counts, job.doneMessage))
      .catch((error: unknown) => job.logger.warn({ err: error }, job.failedMessage));
  };
  run();
  const timer = setInterval(run, job.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
