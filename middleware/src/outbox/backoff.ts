import { DEFAULT_MAX_THROTTLED_RETRIES, type RetryPolicy } from '../config/outbox-settings.js';
import type { Failure } from './failure.js';

/** What the outbox does after a failed attempt: try again in `retryInMs`, or park the entry with the reason. */
export type NextStep = { retryInMs: number; throttled: boolean; giveUp?: undefined } | { giveUp: string; retryInMs?: undefined };

/**
 * The one place a Failure becomes an outbox outcome, for every queue. Throttling says nothing
 * about the entry: it neither uses up an attempt nor doubles the backoff, up to the policy's
 * `maxThrottledRetries`; past that, a throttled attempt counts like any other failure, so
 * `maxAttempts` still ends an entry that is turned away for ever.
 */
export function nextStep(failure: Failure, history: { attempts: number; throttled: number }, policy: RetryPolicy, random = Math.random): NextStep {
  if (failure.kind === 'permanent') return { giveUp: failure.reason };
  if (failure.kind === 'throttled' && history.throttled < (policy.maxThrottledRetries ?? DEFAULT_MAX_THROTTLED_RETRIES)) {
    return { retryInMs: throttledRetryDelayMs(policy, failure.retryAfterMs, random), throttled: true };
  }
  const failures = Math.max(1, history.attempts - history.throttled);
  if (failures >= policy.maxAttempts) return { giveUp: `gave up after ${history.attempts} attempts: ${failure.reason}` };
  return { retryInMs: retryDelayMs(policy, failures, failure.retryAfterMs, random), throttled: false };
}

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
