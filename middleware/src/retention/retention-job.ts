import type { Logger } from '../observability/logger.js';
import { startPeriodicJob } from '../shared/periodic-job.js';
import type { Store } from '../store/store.js';
import type { Transcripts } from '../store/transcripts.js';
import type { RetentionPolicy } from './retention-policy.js';

export interface RetentionJobDeps {
  store: Store;
  /** The web chat transcripts, when a channel uses the web chat. */
  transcripts?: Transcripts;
  policy: RetentionPolicy;
  logger: Logger;
  intervalMs?: number;
  now?: () => number;
}

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** One pass: the store's retention, then the transcripts'. Returns what was removed. */
export async function runRetention(deps: RetentionJobDeps): Promise<Record<string, number>> {
  const now = deps.now ?? Date.now;
  const pruned = await deps.store.prune();
  const transcriptEvents = deps.transcripts ? await deps.transcripts.prune(now() - deps.policy.transcriptMs) : 0;
  return { ...pruned, transcriptEvents };
}

/** Runs the retention now and every hour; returns a function that stops it. */
export function startRetentionJob(deps: RetentionJobDeps): () => Promise<void> {
  return startPeriodicJob({
    run: () => runRetention(deps),
    intervalMs: deps.intervalMs ?? RETENTION_INTERVAL_MS,
    logger: deps.logger,
    doneMessage: 'retention: removed expired personal data',
    failedMessage: 'retention run failed',
  });
}
