/**
 * Outbox payloads carry a shape version, checked before a handler sees them: entries of the
 * previous (unversioned) shape are still handled, an entry this build cannot read is parked
 * at its first attempt with a reason that names the problem and quotes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pino from 'pino';
import { readDeliveryPayload } from '../src/delivery/channel-events.js';
import { loadConfig } from '../src/config/load-config.js';
import { readInboundPayload } from '../src/inbound/inbound-payload.js';
import { createInboundService } from '../src/inbound/inbound-service.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createLogHasher } from '../src/observability/log-hash.js';
import { OutboxWorker } from '../src/outbox/outbox-worker.js';
import { createPayloadReader, type PayloadReader } from '../src/outbox/payload-reader.js';
import { openRedisStore } from '../src/store/redis/redis-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { OutboxQueue, Store } from '../src/store/store.js';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { startRedisServer } from '@custom-channels/test-kit/redis-server';
import { eventually } from '@custom-channels/test-kit/poll';

const SECRET_TEXT = 'my card number is 4111';
const CUSTOMER_ID = '+15550001111';
const silent = pino({ level: 'silent' });
const retryPolicy = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 15 };

/** Drains one queue with the real reader; returns the payloads the handler was given. */
async function drain<Payload>(store: Store, queue: OutboxQueue, readPayload: PayloadReader<Payload>): Promise<Payload[]> {
  const handled: Payload[] = [];
  const worker = new OutboxWorker({
    store,
    queue,
    readPayload,
    retryPolicy,
    logger: silent,
    pollIntervalMs: 5,
    handle: async (item) => (handled.push(item.payload), { kind: 'done' }),
  });
  worker.start();
  await eventually(async () => (await store.countOutbox()).find((count) => count.queue === queue)?.pending === 0, `${queue} drained`);
  await worker.stop();
  return handled;
}

async function deadLetterReasons(store: Store): Promise<Array<[string, number]>> {
  return (await store.listDeadLetters()).map((letter) => [letter.reason, letter.attempts]);
}

test('to-flex: the previous shape and the current one are handled; another version or a broken shape is parked at once', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const config = loadConfig({
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'a'.repeat(32),
    PUBLIC_BASE_URL: 'https://middleware.example.com',
    TWILIO_WORKSPACE_SID: `WS${'0'.repeat(32)}`,
    TWILIO_WORKFLOW_SID: `WW${'0'.repeat(32)}`,
    CHANNELS_FILE: writeChannelsFile(),
    CHANNEL_CHATAPP_SECRET: 's'.repeat(32),
    CHANNEL_CHATAPP_DELIVERY_URL: 'http://127.0.0.1:9/deliveries',
    LOG_HASH_KEY: 'k'.repeat(32),
  });
  const inbound = createInboundService({
    logger: silent,
    hashForLog: createLogHasher(config.logHashKey),
    metrics: createMetrics(store),
    queueEntry: (entry, dedupeKeys) => store.enqueue(entry, dedupeKeys),
  });
  const customer = { id: CUSTOMER_ID, name: 'Ann' };
  const enqueue = (orderingKey: string, payload: unknown) => store.enqueue({ queue: 'to-flex', orderingKey, payload });

  await enqueue('written-before-versions', {
    channelType: 'chatapp',
    customer,
    message: { externalId: 'm-1', text: SECRET_TEXT },
  });
  await inbound.accept(config.channels[0]!, { id: 'm-2', from: customer, text: SECRET_TEXT });
  await enqueue('next-deploy', {
    version: 3,
    channelType: 'chatapp',
    customer,
    message: { externalId: 'm-3', text: SECRET_TEXT },
  });
  await enqueue('broken', {
    version: 2,
    channelType: 'chatapp',
    customer: { id: 42, name: SECRET_TEXT },
    message: { externalId: 'm-4', text: SECRET_TEXT },
  });

  const handled = await drain(store, 'to-flex', readInboundPayload);

  assert.deepEqual(
    handled.map((payload) => [payload.version, payload.message.externalId, payload.customer.id]),
    [
      [2, 'm-1', CUSTOMER_ID],
      [2, 'm-2', CUSTOMER_ID],
    ],
  );
  assert.deepEqual(await deadLetterReasons(store), [
    ['unreadable: payload has version 3; this build reads versions 1 and 2', 1],
    ['unreadable: payload (version 2) /customer/id must be string', 1],
  ]);
  await store.close();
});

test('to-channel: an unversioned event is delivered; an unknown event type or a message without text is parked at once', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const to = { id: CUSTOMER_ID };
  const enqueue = (orderingKey: string, payload: unknown) => store.enqueue({ queue: 'to-channel', orderingKey, payload });
  await enqueue('s1', {
    channelType: 'chatapp',
    event: { type: 'ended', id: 'CH1:ended', conversationSid: 'CH1', to },
  });
  await enqueue('s2', { channelType: 'chatapp', event: { type: 'typing', id: 'x', conversationSid: 'CH2', to } });
  await enqueue('s3', {
    version: 2,
    channelType: 'chatapp',
    event: { type: 'message', id: 'IM1', conversationSid: 'CH3', to, author: SECRET_TEXT },
  });
  await enqueue('s4', SECRET_TEXT);

  const handled = await drain(store, 'to-channel', readDeliveryPayload);

  assert.deepEqual(handled, [{ version: 2, channelType: 'chatapp', event: { type: 'ended', id: 'CH1:ended', conversationSid: 'CH1', to } }]);
  const reasons = await deadLetterReasons(store);
  assert.deepEqual(reasons, [
    ['unreadable: payload (version 1) /event value of tag "type" must be in oneOf', 1],
    ['unreadable: payload (version 2) /event/text is required', 1],
    ['unreadable: payload is not an object', 1],
  ]);
  assert.ok(reasons.every(([reason]) => !reason.includes(SECRET_TEXT) && !reason.includes(CUSTOMER_ID)));
  await store.close();
});

/** Queues an ended event under `good` and one under `damaged`, whose stored text `damage` then breaks. */
async function queueOneDamaged(store: Store, damage: (id: number) => Promise<void>): Promise<void> {
  const payload = (conversationSid: string) => ({
    version: 2,
    channelType: 'chatapp',
    event: { type: 'ended', id: `${conversationSid}:ended`, conversationSid, to: { id: CUSTOMER_ID } },
  });
  await store.enqueue({ queue: 'to-channel', orderingKey: 'damaged', payload: payload('CH1') });
  await store.enqueue({ queue: 'to-channel', orderingKey: 'good', payload: payload('CH2') });
  const [damaged] = await store.claimDue('to-channel', Date.now(), 1, 1);
  await damage(damaged!.id);
}

async function assertDamagedEntryParked(store: Store): Promise<void> {
  const handled = await drain(store, 'to-channel', readDeliveryPayload);
  assert.deepEqual(
    handled.map((payload) => payload.event.conversationSid),
    ['CH2'],
    'the other entries still flow',
  );
  assert.deepEqual(await deadLetterReasons(store), [['unreadable: payload is not JSON', 2]]);
  assert.deepEqual(JSON.parse(JSON.stringify((await store.listDeadLetters())[0]!.payload)), { unparseable: true });
}

test("a reader's payload type is its schema's (checked by tsc): required fields typed, optional ones possibly absent, others not there", () => {
  const readPair = createPayloadReader({
    type: 'object',
    required: ['version', 'left'],
    properties: { version: { const: 2 }, left: { type: 'string' }, right: { type: 'integer' } },
  } as const);
  const reading = readPair({ left: 'a', right: 1 });
  assert.ok(reading.ok);
  const typed: { version: 2; left: string; right?: number } = reading.payload;
  // @ts-expect-error the schema names no such field
  assert.equal(reading.payload.other, undefined);
  assert.deepEqual(typed, { version: 2, left: 'a', right: 1 });
  assert.deepEqual(readPair({ version: 2, right: 1 }), { ok: false, problem: 'payload (version 2) /left is required' });
});

test('a payload damaged in SQLite (not JSON) is parked; it does not stop its queue', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'cc-payloads-')), 'store.sqlite');
  const store = openSqliteStore({ path });
  await queueOneDamaged(store, async (id) => {
    const db = new Database(path);
    db.prepare('UPDATE outbox SET payload = ? WHERE id = ?').run('{"version": 2, "chann', id);
    db.close();
  });
  await assertDamagedEntryParked(store);
  await store.close();
});

test('a payload damaged in Redis (not JSON) is parked; it does not stop its queue', async () => {
  const server = await startRedisServer();
  const keyPrefix = 'payloads-test';
  const store = openRedisStore({ location: { engine: 'redis', url: server.url }, keyPrefix });
  const raw = new Redis(server.url);
  try {
    await queueOneDamaged(store, async (id) => void (await raw.hset(`${keyPrefix}:outbox:item:${id}`, 'payload', '{"version": 2, "chann')));
    await assertDamagedEntryParked(store);
  } finally {
    raw.disconnect();
    await store.close();
    await server.stop();
  }
});
