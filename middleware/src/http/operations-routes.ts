import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';

export interface OperationsRoutesDeps {
  store: Store;
  metrics: Metrics;
  /** False while starting or shutting down: load balancers should send nothing. */
  isAccepting: () => boolean;
}

/** Liveness, readiness and Prometheus metrics. */
export async function operationsRoutes(app: FastifyInstance, deps: OperationsRoutesDeps): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (!deps.isAccepting()) return reply.code(503).send({ status: 'unavailable', reason: 'not accepting work' });
    try {
      await deps.store.ping();
    } catch {
      return reply.code(503).send({ status: 'unavailable', reason: 'store does not answer' });
    }
    return { status: 'ready' };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
