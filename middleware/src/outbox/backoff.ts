import type { RetryPolicy } from '../config/outbox-settings.js';

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so that many entries
 * failing together do not retry together. A server's Retry-After wins when it asks for longer.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, retryAfterMs?: number, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxDelayMs)));
}

/** A throttled attempt waits what the server asks, or about the base delay: throttling says nothing about the entry, so no doubling. */
export function throttledRetryDelayMs(policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  const jittered = policy.baseDelayMs / 2 + random() * (policy.baseDelayMs / 2);
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
}
