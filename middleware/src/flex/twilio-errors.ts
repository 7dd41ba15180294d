import { redactMessage, safeErrorMessage } from '@custom-channels/logging';
import { FailureError, failureOfStatus, permanent, throttled, transient, type Failure } from '../outbox/failure.js';

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * What a failed call inside a handler means: a thrown Failure as it is; Twilio's 429 (and its
 * 20429) is throttling, 5xx, timeouts and connection errors may heal, other 4xx do not.
 */
export function failureOf(error: unknown): Failure {
  if (error instanceof FailureError) return error.failure;
  const { status, code, message, retryAfterMs } = (error ?? {}) as { status?: unknown; code?: unknown; message?: unknown; retryAfterMs?: unknown };
  if (typeof status === 'number') {
    const reason = `Twilio answered ${status}${typeof code === 'number' ? ` (error ${code})` : ''}: ${redactMessage(String(message ?? ''))}`;
    const hint = typeof retryAfterMs === 'number' ? retryAfterMs : undefined;
    return code === 20429 ? throttled(reason, hint) : failureOfStatus(status, reason, hint);
  }
  const networkCode = typeof code === 'string' ? code : undefined;
  const reason = `Twilio request failed: ${networkCode ?? safeErrorMessage(error)}`;
  const mayHeal = networkCode === undefined || NETWORK_ERROR_CODES.has(networkCode) || /timeout/i.test(String(message));
  return mayHeal ? transient(reason) : permanent(reason);
}

const isNotFound = (error: unknown) => (error as { status?: unknown } | undefined)?.status === 404;

/** Runs a clean-up call that may find its resource already gone. */
export async function ignoringNotFound(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** The call's answer, or undefined when Twilio has no such resource. */
export async function unlessNotFound<Result>(call: () => Promise<Result>): Promise<Result | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
