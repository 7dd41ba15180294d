import type { Logger } from '../observability/logger.js';
import type { Store } from './store.js';

/** How long a dedupe key (inbound id, Twilio idempotency token, message SID) is remembered. */
export const DEDUPE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Forgets old dedupe keys every hour, so the table stays small; returns a function that stops it. */
export function startDedupePruning(store: Store, logger: Logger, retentionMs = DEDUPE_RETENTION_MS): () => void {
  const prune = () => {
    store
      .pruneDedupeKeys(Date.now() - retentionMs)
      .then((removed) => removed > 0 && logger.info({ removed }, 'pruned old dedupe keys'))
      .catch((error: unknown) => logger.warn({ err: error }, 'pruning dedupe keys failed'));
  };
  prune();
  const timer = setInterval(prune, 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
