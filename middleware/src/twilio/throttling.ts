/**
 * Twilio throttling (HTTP 429, error 20429) means the request was not carried out, so it is
 * safe to send again. A short wait is spent in place; a longer Retry-After is left to the
 * outbox, which frees the worker's slot for other customers meanwhile and retries the entry
 * once it has passed (a half-made session resumes at the throttled step). Holding the slot
 * through a 1 s Retry-After one request in ten cut the fault report's throughput by a third.
 */
export interface ThrottlePolicy {
  /** Sends again at most this many times before the caller sees the 429. */
  maxRetries: number;
  /** First wait when Twilio names none; doubles with each further one, jittered. */
  baseDelayMs: number;
  /** Longest wait in place; a longer Retry-After is left to the caller (the outbox waits it out, slot freed). */
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 500 };

/** How long to wait before sending again, or undefined to give up in place. Retry-After wins when it asks for longer. */
export function throttleDelayMs(policy: ThrottlePolicy, retry: number, retryAfterMs: number | undefined, random = Math.random): number | undefined {
  if (retry >= policy.maxRetries) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) return undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(Math.max(retryAfterMs ?? 0, backoff / 2 + random() * (backoff / 2)));
}

/** Whether a Twilio answer is throttling: status 429, or Twilio's error code 20429 in the body. */
export function isThrottled(statusCode: number, body: unknown): boolean {
  if (statusCode === 429) return true;
  if (statusCode < 400) return false;
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  return (parsed as { code?: unknown } | undefined)?.code === 20429;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
