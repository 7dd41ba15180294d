/** /readyz says why it is not ready, and logs it once per change of state rather than once per probe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { operationsRoutes } from '../src/http/operations-routes.js';
import { createMetrics } from '../src/observability/metrics.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

test('/readyz: 503 with the reason while not accepting work or when the store is gone, one log line per change', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        callback();
      },
    }),
  );
  const store = openSqliteStore({ path: ':memory:' });
  let accepting = false;
  const app = Fastify();
  await app.register(operationsRoutes, { store, metrics: createMetrics(store), logger, isAccepting: () => accepting, adminToken: undefined });
  const probe = async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    return [response.statusCode, response.json<{ reason?: string }>().reason];
  };
  const logged = () => lines.map((line) => [line.msg, line.reason, (line.err as { message?: string } | undefined)?.message]);

  assert.deepEqual(
    [await probe(), await probe()],
    [
      [503, 'not accepting work'],
      [503, 'not accepting work'],
    ],
  );
  accepting = true;
  assert.deepEqual(
    [await probe(), await probe()],
    [
      [200, undefined],
      [200, undefined],
    ],
  );
  await store.close();
  assert.deepEqual([await probe(), await probe(), await probe()], Array(3).fill([503, 'store does not answer']));

  assert.deepEqual(logged(), [
    ['not ready', 'not accepting work', undefined],
    ['ready again', undefined, undefined],
    ['not ready', 'store does not answer', 'The database connection is not open'],
  ]);
  await app.close();
});
