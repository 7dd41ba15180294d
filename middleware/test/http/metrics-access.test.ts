/** /metrics is not public: it answers with the admin token only, and not at all while ADMIN_TOKEN is unset. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import pino from 'pino';
import { installErrorHandlers } from '../../src/http/errors.js';
import { operationsRoutes } from '../../src/http/operations-routes.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const ADMIN_TOKEN = 'admin-token-for-metrics-tests-0123456789';

async function appWith(adminToken: string | undefined) {
  const store = openSqliteStore({ path: ':memory:' });
  const app = Fastify();
  installErrorHandlers(app);
  await app.register(operationsRoutes, { store, metrics: createMetrics(store), logger: pino({ level: 'silent' }), isAccepting: () => true, adminToken });
  return app;
}

test('with ADMIN_TOKEN: 401 without the bearer token or with another, the metrics with it; health and readiness stay open', async () => {
  const app = await appWith(ADMIN_TOKEN);
  const metrics = (authorization?: string) => app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
  assert.equal((await metrics()).statusCode, 401);
  assert.equal((await metrics(`Bearer ${ADMIN_TOKEN}x`)).statusCode, 401);
  const granted = await metrics(`Bearer ${ADMIN_TOKEN}`);
  assert.equal(granted.statusCode, 200);
  assert.match(granted.body, /cc_inbound_requests_total/);
  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
});

test('without ADMIN_TOKEN /metrics is disabled (503, saying why), never open', async () => {
  const response = await (await appWith(undefined)).inject({ method: 'GET', url: '/metrics' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().error.code, 'admin_disabled');
});
