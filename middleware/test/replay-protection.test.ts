/**
 * Replays of signed inbound requests: a request captured before an erasure brings nothing back
 * (its id is tombstoned), a captured request goes stale after the tolerance, and the body-only
 * signature is taken only from a channel that opts in, with a warning at start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { inboundRoutes } from '../src/http/inbound-routes.js';
import type { InboundService } from '../src/inbound/inbound-service.js';
import { createMetrics } from '../src/observability/metrics.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { CHANNEL_SECRET, startHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';
import { signBody, signInboundRequest } from '../src/security/hub-signature.js';
import { customerOrderingKey } from '../src/store/store.js';
import { erasureTombstones, erasureTombstonesFromEnv } from '../src/retention/erasure-tombstones.js';

const ADMIN_TOKEN = 'admin-token-for-replay-tests-0123456789ab';

test('a signed request captured before an erasure and replayed after it stores nothing', async () => {
  const harness = await startHarness({ routing: 'interactions', env: { ADMIN_TOKEN } });
  try {
    const customer = { id: '+15550008888', name: 'Ann Replayed' };
    const raw = JSON.stringify({ id: 'replay-1', from: customer, text: 'my name is Ann' });
    const captured = signInboundRequest(CHANNEL_SECRET, raw);
    assert.equal((await harness.send(undefined, { rawBody: raw, headers: captured })).status, 202);
    const conversationSid = await activeConversationSid(harness, customer.id);
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 1, 'the message posted');
    await eventually(async () => (await harness.middleware.store.countOutbox()).every((count) => count.pending === 0), 'the outbox drained');

    const erased = await harness.middleware.app.http.inject({
      method: 'DELETE',
      url: `/admin/customers/chatapp/${encodeURIComponent(customer.id)}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(erased.statusCode, 200);
    assert.equal(erased.json().erased.dedupeKeys, 1);

    const requestsBefore = harness.twilioRequests.length;
    const replay = await harness.send(undefined, { rawBody: raw, headers: captured });
    assert.equal(replay.status, 200, 'answered like a duplicate');
    assert.deepEqual(replay.body, { status: 'duplicate', id: 'replay-1' });
    assert.deepEqual(await harness.middleware.store.listCustomerSessions('chatapp', customer.id), [], 'no session came back');
    assert.equal(await harness.middleware.store.eraseCustomer('chatapp', customer.id).then((counts) => counts.dedupeKeys), 0, 'no dedupe key came back');
    const pending = await harness.middleware.store.claimDue('to-flex', Date.now(), 100, 1);
    assert.ok(!pending.some((item) => item.orderingKey === customerOrderingKey('chatapp', customer.id)), 'nothing was queued');
    assert.equal(harness.twilioRequests.length, requestsBefore, 'nothing reached Twilio');

    const fresh = await harness.send({ id: 'replay-2', from: customer, text: 'hello again' });
    assert.equal(fresh.status, 202, 'the customer can still write, with new messages');
  } finally {
    await harness.stop();
  }
});

test('a captured request is refused once its timestamp is older than the tolerance, with a code that says so', async () => {
  const harness = await startHarness({ routing: 'interactions', env: { INBOUND_SIGNATURE_TOLERANCE_SECONDS: '60' } });
  try {
    const body = { id: 'stale-1', from: { id: 'stale-customer' }, text: 'hi' };
    const nowSeconds = Math.floor(Date.now() / 1000);
    const stale = await harness.send(body, { signedAt: nowSeconds - 120 });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.error?.code, 'stale_timestamp');
    const ahead = await harness.send(body, { signedAt: nowSeconds + 120 });
    assert.equal(ahead.body.error?.code, 'future_timestamp');
    assert.equal(harness.twilioRequests.length, 0);
    assert.equal((await harness.send(body, { signedAt: nowSeconds - 30 })).status, 202, 'within the tolerance');
  } finally {
    await harness.stop();
  }
});

test('the body-only signature is refused, unless the channel opts in; the opt-in is warned about at start', async () => {
  const body = { id: 'legacy-1', from: { id: 'legacy-customer' }, text: 'hi' };
  const legacy = { signature: signBody(CHANNEL_SECRET, JSON.stringify(body)) };

  const strict = await startHarness({ routing: 'interactions' });
  try {
    const refused = await strict.send(body, legacy);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error?.code, 'legacy_signature_refused');
    assert.ok(!strict.logLines.some((line) => line.includes('legacyBodySignature')));
  } finally {
    await strict.stop();
  }

  const migrating = await startHarness({
    routing: 'interactions',
    env: { CHANNELS_FILE: writeChannelsFile({}, {}, { legacyBodySignature: true }) },
  });
  try {
    const warnings = migrating.logLines
      .map((line) => JSON.parse(line) as { level: number; msg: string; channel?: string })
      .filter((line) => line.msg.includes('legacyBodySignature'));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.level, 40, 'a warning');
    assert.equal(warnings[0]!.channel, 'chatapp');
    assert.equal((await migrating.send(body, legacy)).status, 202);
    assert.equal((await migrating.send(body, { signature: `sha256=${'0'.repeat(64)}` })).body.error?.code, 'invalid_signature');
    assert.equal((await migrating.send({ ...body, id: 'legacy-2' })).status, 202, 'the timestamped signature works too');
  } finally {
    await migrating.stop();
  }
});

test('the route checks timestamps against its clock: the same captured request, 5 minutes later and one second more', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  let clockMs = 1_767_225_600_000;
  const accepted: string[] = [];
  const http = Fastify();
  await http.register(inboundRoutes, {
    channels: new Map([
      ['chatapp', { channelType: 'chatapp', displayName: 'Chat App', adapter: 'webhook' as const, maxMessageLength: 100, secret: CHANNEL_SECRET }],
    ]),
    inbound: { accept: async (_channel, message) => (accepted.push(message.id), 'accepted') } as InboundService,
    acceptRead: () => undefined,
    metrics: createMetrics(store),
    bodyLimitBytes: 65_536,
    now: () => clockMs,
  });
  try {
    const payload = JSON.stringify({ id: 'clock-1', from: { id: 'c' }, text: 'hi' });
    const headers = { 'content-type': 'application/json', ...signInboundRequest(CHANNEL_SECRET, payload, clockMs / 1000) };
    const post = () => http.inject({ method: 'POST', url: '/inbound/chatapp', headers, payload });
    assert.equal((await post()).statusCode, 202);
    clockMs += 300_000;
    assert.equal((await post()).statusCode, 202, 'at the tolerance, a redelivery (the store answers duplicate)');
    clockMs += 1000;
    const stale = await post();
    assert.equal(stale.statusCode, 401);
    assert.equal(stale.json().error.code, 'stale_timestamp');
    assert.deepEqual(accepted, ['clock-1', 'clock-1']);
  } finally {
    await http.close();
    await store.close();
  }
});

test('tombstones last the replay window, and on a channel still taking the body-only signature as long as its dedupe keys would have', () => {
  const minutes = 60_000;
  const tombstones = erasureTombstones({ identitySecret: 'identity-secret-0123456789', legacyChannels: ['oldapp'], dedupeMs: 7 * 24 * 60 * minutes });
  assert.equal(tombstones.ttlMsFor('chatapp'), 11 * minutes, 'twice the 5 minutes of tolerance, and a minute');
  assert.equal(tombstones.ttlMsFor('oldapp'), 7 * 24 * 60 * minutes);
  assert.equal(erasureTombstones({ identitySecret: 'identity-secret-0123456789', toleranceSeconds: 60 }).ttlMsFor('chatapp'), 3 * minutes);
  assert.match(tombstones.hash('inbound:chatapp:m1'), /^[0-9a-f]{64}$/);
  assert.notEqual(
    tombstones.hash('inbound:chatapp:m1'),
    erasureTombstones({ identitySecret: 'another-secret-0123456789' }).hash('inbound:chatapp:m1'),
    'keyed',
  );

  const fromEnv = erasureTombstonesFromEnv({
    CUSTOMER_IDENTITY_SECRET: 'identity-secret-0123456789',
    RETENTION_DEDUPE_DAYS: '2',
    CHANNELS_FILE: writeChannelsFile({}, {}, { legacyBodySignature: true }),
  });
  assert.equal(fromEnv.hash('k'), tombstones.hash('k'), 'the forget command line keys them as the middleware does');
  assert.equal(fromEnv.ttlMsFor('chatapp'), 2 * 24 * 60 * minutes);
  assert.equal(fromEnv.ttlMsFor('webchat'), 11 * minutes);
  assert.throws(
    () => erasureTombstonesFromEnv({ TWILIO_AUTH_TOKEN: 'token-token-token-token', INBOUND_SIGNATURE_TOLERANCE_SECONDS: '0300' }),
    /INBOUND_SIGNATURE_TOLERANCE_SECONDS is invalid/,
  );
});
