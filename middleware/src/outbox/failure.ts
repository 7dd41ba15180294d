/**
 * Why an attempt did not go through, in the words the outbox acts on (see `nextStep`); both
 * directions, their adapters and the media steps speak it. Reasons are safe to log: never a
 * URL, a token or message text.
 */
export type Failure =
  /** Turned away for load (HTTP 429, a platform's rate limit, a full queue), not carried out: retried after the hint, without using up an attempt. */
  | { kind: 'throttled'; reason: string; retryAfterMs?: number }
  /** May heal by waiting (5xx, a timeout, a host down): retried with the doubling backoff. */
  | { kind: 'transient'; reason: string; retryAfterMs?: number }
  /** Will not heal by waiting: parked at once. */
  | { kind: 'permanent'; reason: string; retryAfterMs?: undefined };

export const throttled = (reason: string, retryAfterMs?: number): Failure => ({ kind: 'throttled', reason, ...hint(retryAfterMs) });
export const transient = (reason: string, retryAfterMs?: number): Failure => ({ kind: 'transient', reason, ...hint(retryAfterMs) });
export const permanent = (reason: string): Failure => ({ kind: 'permanent', reason });

const hint = (retryAfterMs: number | undefined) => (retryAfterMs === undefined ? {} : { retryAfterMs });

/** An HTTP answer that is not a success: 429 is throttling; 408, 425 and 5xx may heal; other statuses do not. */
export function failureOfStatus(status: number, reason: string, retryAfterMs?: number): Failure {
  if (status === 429) return throttled(reason, retryAfterMs);
  return status === 408 || status === 425 || status >= 500 ? transient(reason, retryAfterMs) : permanent(reason);
}

/** A Failure thrown through code that cannot return it (media steps, the calls inside a handler). */
export class FailureError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.reason);
    this.name = 'FailureError';
  }
}

/** Retry-After in seconds or as an HTTP date, as milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
