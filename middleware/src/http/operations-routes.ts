import type { FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';
import { requireAdminToken } from './admin-routes.js';

export interface OperationsRoutesDeps {
  store: Store;
  metrics: Metrics;
  logger: Logger;
  /** False while starting or shutting down: load balancers should send nothing. */
  isAccepting: () => boolean;
  /** ADMIN_TOKEN: /metrics answers only with it (503 while it is unset). */
  adminToken: string | undefined;
}

type Readiness = { ready: true } | { ready: false; reason: string; error?: unknown };

/** Liveness and readiness, open to load balancers; Prometheus metrics, behind the admin token. */
export async function operationsRoutes(app: FastifyInstance, deps: OperationsRoutesDeps): Promise<void> {
  const report = readinessReporter(deps.logger);

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const readiness = await checkReadiness(deps);
    report(readiness);
    if (!readiness.ready) return reply.code(503).send({ status: 'unavailable', reason: readiness.reason });
    return { status: 'ready' };
  });

  // Counts by channel and outcome tell an outsider how busy and how healthy the service is.
  app.get('/metrics', { onRequest: requireAdminToken(deps.adminToken, deps.logger) }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}

/** Ready: accepting work, and the store answers. */
export async function checkReadiness(deps: Pick<OperationsRoutesDeps, 'isAccepting' | 'store'>): Promise<Readiness> {
  if (!deps.isAccepting()) return { ready: false, reason: 'not accepting work' };
  try {
    await deps.store.ping();
  } catch (error) {
    return { ready: false, reason: 'store does not answer', error };
  }
  return { ready: true };
}

/** Logs readiness when it changes, not on every probe (they come every few seconds): why it is not ready, and when it is again. */
function readinessReporter(logger: Logger): (readiness: Readiness) => void {
  let lastReason: string | undefined;
  return (readiness) => {
    const reason = readiness.ready ? undefined : readiness.reason;
    if (reason === lastReason) return;
    if (readiness.ready) logger.info('ready again');
    else if (readiness.error === undefined) logger.warn({ reason: readiness.reason }, 'not ready');
    else logger.warn({ err: readiness.error, reason: readiness.reason }, 'not ready');
    lastReason = reason;
  };
}
