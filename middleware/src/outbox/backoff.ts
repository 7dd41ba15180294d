export interface RetryPolicy {
  /** Delay before the second attempt; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all, the first included, before an entry is parked as failed. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 300_000, maxAttempts: 15 };

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so that many entries
 * failing together do not retry together. A server's Retry-After wins when it asks for longer.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, retryAfterMs?: number, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxDelayMs)));
}
