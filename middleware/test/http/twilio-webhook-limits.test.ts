/**
 * /twilio/*: what can be refused cheaply is refused before the body is parsed or a signature
 * computed: a missing or malformed X-Twilio-Signature (403), a body over the limit (413), a
 * form with too many parameters (400).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { installErrorHandlers } from '../../src/http/errors.js';
import { twilioRoutes } from '../../src/http/twilio-routes.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { WebhookParams } from '../../src/twilio/webhook-form.js';

const WELL_FORMED_SIGNATURE = `${'A'.repeat(27)}=`;
const LIMITS = { bodyBytes: 2048, params: 10 };

async function webhookApp() {
  const verified: WebhookParams[] = [];
  const app = Fastify();
  installErrorHandlers(app);
  await app.register(twilioRoutes, {
    path: '/twilio/conversations',
    kind: 'conversations',
    verify: (_path, _signature, params) => {
      verified.push(params);
      return true;
    },
    parse: () => ({ ok: false, message: 'reached the event parser', field: 'EventType' }),
    handle: async () => 'queued' as const,
    metrics: createMetrics(openSqliteStore({ path: ':memory:' })),
    limits: LIMITS,
  });
  const post = (payload: string, signature?: string) =>
    app.inject({
      method: 'POST',
      url: '/twilio/conversations',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) },
      payload,
    });
  return { app, verified, post };
}

test('a missing or malformed signature is refused (403) before the form is parsed or checked', async () => {
  const { verified, post } = await webhookApp();
  // More parameters than allowed: parsing it would answer 400, not 403.
  const tooManyParams = Array.from({ length: 50 }, (_, index) => `p${index}=x`).join('&');
  for (const signature of [undefined, '', 'not-base64!', `${'A'.repeat(27)}`, `${'A'.repeat(28)}=`, `${WELL_FORMED_SIGNATURE} trailing`]) {
    const response = await post(tooManyParams, signature);
    assert.equal(response.statusCode, 403, String(signature));
    assert.equal(response.json().error.code, 'invalid_twilio_signature');
  }
  assert.equal(verified.length, 0, 'no signature was computed');
});

test('a body over the limit is 413 and a form with too many parameters 400, before any signature check', async () => {
  const { verified, post } = await webhookApp();
  const oversize = await post(`Body=${'x'.repeat(LIMITS.bodyBytes)}`, WELL_FORMED_SIGNATURE);
  assert.equal(oversize.statusCode, 413);
  assert.equal(oversize.json().error.code, 'body_too_large');

  const tooMany = await post(Array.from({ length: LIMITS.params + 1 }, (_, index) => `p${index}=x`).join('&'), WELL_FORMED_SIGNATURE);
  assert.equal(tooMany.statusCode, 400);
  assert.match(tooMany.json().error.message, /more than 10 parameters/);
  assert.equal(verified.length, 0, 'no signature was computed');

  const atTheLimit = await post(Array.from({ length: LIMITS.params }, (_, index) => `p${index}=x`).join('&'), WELL_FORMED_SIGNATURE);
  assert.equal(atTheLimit.json().error.message, 'reached the event parser', 'a form within the limits is checked and parsed');
  assert.equal(verified.length, 1);
});
