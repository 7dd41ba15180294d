export interface RetryPolicy {
  /** Delay before the second attempt; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all, the first included, before an entry is parked as failed. */
  maxAttempts: number;
  /**
   * Throttled attempts (429, a platform's rate limit) retried without using up one of
   * `maxAttempts`; past these they count like other failures. DEFAULT_MAX_THROTTLED_RETRIES when unset.
   */
  maxThrottledRetries?: number;
}

export const DEFAULT_MAX_THROTTLED_RETRIES = 100;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 250, maxDelayMs: 300_000, maxAttempts: 17 };

export const DEFAULT_LEASE_MS = 10_000;
/**
 * Entries in flight per queue and instance. Each waits on one Twilio (or channel) request,
 * so throughput is about this divided by that request's time: 64 at Twilio's usual
 * 100-200 ms is 300-600 messages/s.
 */
export const DEFAULT_CONCURRENCY = 64;
