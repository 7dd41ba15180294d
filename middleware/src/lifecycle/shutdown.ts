import type { FastifyInstance } from 'fastify';

/** SHUTDOWN_*: how a stop (SIGTERM, SIGINT) proceeds. */
export interface ShutdownSettings {
  /** SHUTDOWN_READINESS_DELAY_MS: /readyz answers 503 for this long, while requests are still served, before the listener closes. */
  readinessDelayMs: number;
  /**
   * SHUTDOWN_GRACE_MS: from the signal, how long the requests and outbox entries in hand may
   * take; entries still in hand then are released to other instances, connections still open
   * are closed.
   */
  graceMs: number;
}

export const DEFAULT_SHUTDOWN: ShutdownSettings = { readinessDelayMs: 0, graceMs: 20_000 };

/**
 * What the process may take beyond the grace to release entries and close the store; past it,
 * `main` exits anyway. An orchestrator's kill deadline should be at least the grace plus this.
 */
export const SHUTDOWN_MARGIN_MS = 5_000;

/** Resolves when `signal` aborts (at once when it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** A timer that does not keep the process alive. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Stops listening and waits for the requests in hand; at `deadline`, cuts the connections still open. */
export async function closeHttpBy(http: FastifyInstance, deadline: AbortSignal): Promise<void> {
  const cut = () => http.server.closeAllConnections();
  deadline.addEventListener('abort', cut, { once: true });
  try {
    await http.close();
  } finally {
    deadline.removeEventListener('abort', cut);
  }
}
