import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { InboundService } from '../../src/inbound/inbound-service.js';
import { createLogHasher } from '../../src/observability/log-hash.js';
import { createLogger } from '../../src/observability/logger.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openWebchat } from '../../src/webchat/webchat.js';
import { webchatRoutes } from '../../src/webchat/webchat-routes.js';

async function webchatServer() {
  const store = openSqliteStore({ path: ':memory:' });
  const webchat = await openWebchat({ transcripts: store.transcripts, identitySecret: 'identity-secret-0123456789' });
  const app = Fastify();
  await app.register(async (instance) => {
    await webchatRoutes(instance, {
      webchat,
      channels: new Map(),
      inbound: {} as InboundService,
      acceptRead: () => undefined,
      hashForLog: createLogHasher('k'.repeat(32)),
      logger: createLogger('silent'),
    });
  });
  await app.ready();
  return { app, close: async () => (await app.close(), await store.close()) };
}

test('production serves the widget and a plain embedding example at /webchat/, not the demo shop', async () => {
  const { app, close } = await webchatServer();
  try {
    const page = await app.inject({ url: '/webchat/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.match(page.body, /<title>Web chat · embedding example<\/title>/);
    assert.match(page.body, /<script src="widget.js" data-channel="webchat" defer><\/script>/);
    assert.doesNotMatch(page.body, /Acme|Outdoor|shop/i);
    for (const file of ['widget.js', 'widget.css', 'favicon.svg', 'page.css']) {
      assert.equal((await app.inject({ url: `/webchat/${file}` })).statusCode, 200, file);
    }
    assert.equal((await app.inject({ url: '/webchat/demo-page.css' })).statusCode, 404);
  } finally {
    await close();
  }
});
