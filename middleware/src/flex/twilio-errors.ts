import { redactMessage, safeErrorMessage } from '@custom-channels/logging';

/** What a failed Twilio call means for the caller. */
export interface TwilioFailure {
  retryable: boolean;
  notFound: boolean;
  /** Safe to log: status, Twilio error code and message, never request data. */
  reason: string;
  /** Twilio's Retry-After, when it sent one (see createTwilioClient). */
  retryAfterMs?: number;
  /** Twilio throttled the request (429, 20429): it was not carried out, and may be sent again soon. */
  throttled?: boolean;
}

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

/** 429 (Twilio's 20429 too), 5xx, timeouts and connection errors are worth retrying; other 4xx are not. */
export function classifyTwilioError(error: unknown): TwilioFailure {
  const { status, code, message, retryAfterMs } = (error ?? {}) as {
    status?: unknown;
    code?: unknown;
    message?: unknown;
    retryAfterMs?: unknown;
  };
  if (typeof status === 'number') {
    return {
      // 429 and Twilio's 20429 (too many requests) are always safe to retry, as are 5xx.
      retryable: status === 429 || code === 20429 || status >= 500,
      notFound: status === 404,
      reason: `Twilio answered ${status}${typeof code === 'number' ? ` (error ${code})` : ''}: ${redactMessage(String(message ?? ''))}`,
      ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
      ...(status === 429 || code === 20429 ? { throttled: true } : {}),
    };
  }
  const networkCode = typeof code === 'string' ? code : undefined;
  return {
    retryable: networkCode === undefined || NETWORK_ERROR_CODES.has(networkCode) || /timeout/i.test(String(message)),
    notFound: false,
    reason: `Twilio request failed: ${networkCode ?? safeErrorMessage(error)}`,
  };
}

/** Runs a clean-up call that may find its resource already gone. */
export async function ignoringNotFound(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!classifyTwilioError(error).notFound) throw error;
  }
}

/** The call's answer, or undefined when Twilio has no such resource. */
export async function unlessNotFound<Result>(call: () => Promise<Result>): Promise<Result | undefined> {
  try {
    return await call();
  } catch (error) {
    if (classifyTwilioError(error).notFound) return undefined;
    throw error;
  }
}
