/** What a failed Twilio call means for the caller. */
export interface TwilioFailure {
  retryable: boolean;
  notFound: boolean;
  /** Safe to log: status, Twilio error code and message, never request data. */
  reason: string;
}

const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** 429 (Twilio's 20429 too), 5xx, timeouts and connection errors are worth retrying; other 4xx are not. */
export function classifyTwilioError(error: unknown): TwilioFailure {
  const { status, code, message } = (error ?? {}) as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof status === 'number') {
    return {
      retryable: status === 429 || status >= 500,
      notFound: status === 404,
      reason: `Twilio answered ${status}${typeof code === 'number' ? ` (error ${code})` : ''}: ${String(message ?? '')}`,
    };
  }
  const networkCode = typeof code === 'string' ? code : undefined;
  return {
    retryable: networkCode === undefined || NETWORK_ERROR_CODES.has(networkCode) || /timeout/i.test(String(message)),
    notFound: false,
    reason: `Twilio request failed: ${networkCode ?? String(message ?? error)}`,
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
