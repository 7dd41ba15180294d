import { errors as undiciErrors } from 'undici';

const TIMEOUTS = [undiciErrors.HeadersTimeoutError, undiciErrors.BodyTimeoutError, undiciErrors.ConnectTimeoutError];

/**
 * The network code of an undici failure in the vocabulary node's own client uses, which the
 * Failure reasons and the logs read: timeouts as ETIMEDOUT, a dropped connection as
 * ECONNRESET, a system error's own code (ECONNREFUSED) as it is.
 */
export function undiciErrorCode(error: unknown): string | undefined {
  if (TIMEOUTS.some((kind) => error instanceof kind)) return 'ETIMEDOUT';
  if (error instanceof undiciErrors.SocketError) return 'ECONNRESET';
  const own = (error as { code?: unknown } | undefined)?.code;
  return typeof own === 'string' ? own : undefined;
}
