/** A failed attachment step: whether trying again may help, and why (never the URL: it may carry a token). */
export class MediaStepError extends Error {
  constructor(
    readonly reason: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    /** Turned away for load (a full download queue), not failed: retried soon without using up an attempt. */
    readonly throttled = false,
  ) {
    super(reason);
    this.name = 'MediaStepError';
  }
}

export const permanent = (reason: string) => new MediaStepError(reason, false);
export const transient = (reason: string, retryAfterMs?: number) => new MediaStepError(reason, true, retryAfterMs);
export const throttled = (reason: string, retryAfterMs?: number) => new MediaStepError(reason, true, retryAfterMs, true);

/** Answers worth another attempt: 408, 425, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
