/**
 * A channel's rate limit (HTTP 429 with its retry hint) on the way to the customer is handled
 * as on the way to Flex: retried after the hint, without using up an attempt or doubling the
 * backoff. Each entry here is throttled more times than the policy has attempts.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import twilio from 'twilio';
import { lineUserId } from '@custom-channels/test-kit/messengers/line-standin';
import { LINE_TEST, startMessengerStandIns, TELEGRAM_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { eventually } from '@custom-channels/test-kit/poll';
import { startReceiver } from '@custom-channels/test-kit/receiver';
import { resolveChannels, type ChannelRuntime } from '../../src/config/channels.js';
import { createAdapterRegistry, type ChannelAdapter } from '../../src/delivery/channel-adapter.js';
import { readDeliveryPayload, type DeliveryPayload } from '../../src/delivery/channel-events.js';
import { createDeliveryHandler } from '../../src/delivery/delivery-handler.js';
import { createWebhookAdapter } from '../../src/delivery/webhook-adapter.js';
import { createLineAdapter } from '../../src/messengers/line/line-adapter.js';
import { createLineClients } from '../../src/messengers/line/line-clients.js';
import { createTelegramAdapter } from '../../src/messengers/telegram/telegram-adapter.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { OutboxWorker, type WorkerTimers } from '../../src/outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../../src/outbox/payload-reader.js';
import type { ReadHorizons } from '../../src/receipts/read-horizons.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const ICON = '<svg viewBox="0 0 1 1"></svg>';
/** Three attempts, doubling from 1 s: a fourth 429 counted as a failure would park the entry, a doubled delay would show. */
const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 3 };
const THROTTLED_TIMES = policy.maxAttempts + 1;
const silent = pino({ level: 'silent' });
const noReads: ReadHorizons = {
  customerMessageUpTo: () => Promise.reject(new Error('no read receipts here')),
  markReadByCustomer: () => Promise.reject(new Error('no read receipts here')),
};

/**
 * Runs one entry through a `to-channel` worker on a hand-moved clock, firing each wake-up as
 * soon as it is armed: the delays it was armed for, and whether the entry was parked.
 */
async function deliverThroughOutbox(channel: ChannelRuntime, adapter: ChannelAdapter, event: DeliveryPayload['event'], readHorizons: ReadHorizons = noReads) {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const armed: Array<{ delayMs: number; fire: () => void }> = [];
  const timers: WorkerTimers = { once: (delayMs, fire) => void armed.push({ delayMs, fire }), every: () => () => undefined };
  const now = () => clock.now;
  const store = openSqliteStore({ path: ':memory:', now });
  const handle = createDeliveryHandler({
    channels: new Map([[channel.channelType, channel]]),
    adapters: createAdapterRegistry([adapter]),
    metrics: createMetrics(store),
    notifyTooLong: () => Promise.reject(new Error('not too long')),
    readHorizons,
  });
  const worker = new OutboxWorker({ store, queue: 'to-channel', readPayload: readDeliveryPayload, handle, retryPolicy: policy, logger: silent, now, timers });
  const payload: DeliveryPayload = { version: OUTBOX_PAYLOAD_VERSION, channelType: channel.channelType, event };
  await store.enqueue({ queue: 'to-channel', orderingKey: event.to.id, payload });
  worker.start();
  const wakeUps: number[] = [];
  for (;;) {
    const next = await eventually(async () => armed.shift() ?? ((await store.countOutbox()).length === 0 && 'settled'), 'a wake-up armed or the entry settled');
    if (next === 'settled') break;
    wakeUps.push(next.delayMs);
    clock.now += next.delayMs;
    next.fire();
  }
  await worker.stop();
  const parked = await store.listDeadLetters();
  await store.close();
  return { wakeUps, parked: parked.map((letter) => letter.reason) };
}

const message = (to: string): DeliveryPayload['event'] => ({
  type: 'message',
  id: `IM${to.slice(-8)}`,
  conversationSid: 'CH1',
  to: { id: to },
  author: 'agent',
  text: 'hello',
});

describe("a channel's 429 with a retry hint is retried after it, without using up attempts or doubling the backoff", async () => {
  const messengers = await startMessengerStandIns();
  after(() => messengers.close());
  const { channels } = resolveChannels(
    [
      { channelType: TELEGRAM_TEST.channelType, displayName: 'Telegram', color: '#229ED9', icon: ICON, adapter: 'telegram' },
      { channelType: LINE_TEST.channelType, displayName: 'LINE', color: '#06C755', icon: ICON, adapter: 'line' },
    ],
    messengers.env,
  );
  const [telegramChannel, lineChannel] = channels as [ChannelRuntime, ChannelRuntime];

  test('the webhook adapter: 429 with Retry-After in seconds', async () => {
    const receiver = await startReceiver('receiver-secret-0123456789');
    after(() => receiver.close());
    const channel: ChannelRuntime = {
      channelType: 'chatapp',
      displayName: 'Chat App',
      maxMessageLength: 32_768,
      adapter: 'webhook',
      secret: 'receiver-secret-0123456789',
      deliveryUrl: receiver.url,
    };
    receiver.failNext(THROTTLED_TIMES, 429, '2');
    const { wakeUps, parked } = await deliverThroughOutbox(channel, createWebhookAdapter(), message('customer-1'));
    assert.deepEqual(parked, []);
    assert.deepEqual(wakeUps, Array(THROTTLED_TIMES).fill(2000), 'each retry after the 2 s asked for');
    assert.equal(receiver.received.length, 1, 'delivered once the limit lifted');
  });

  test('Telegram: error_code 429 with parameters.retry_after', async () => {
    const user = { id: 4440101, first_name: 'Ann' };
    messengers.telegram.knows(user);
    messengers.telegram.throttle(THROTTLED_TIMES, 3);
    const { wakeUps, parked } = await deliverThroughOutbox(telegramChannel, createTelegramAdapter(), message(String(user.id)));
    assert.deepEqual(parked, []);
    assert.deepEqual(wakeUps, Array(THROTTLED_TIMES).fill(3000), 'each retry after the retry_after');
    assert.equal(messengers.telegram.sent.filter((sent) => sent.chat_id === String(user.id)).length, 1);
  });

  test("LINE: 429 with Retry-After, and 429 without one (LINE's usual), retried about the base delay apart", async () => {
    const user = { userId: lineUserId(), displayName: 'Bo' };
    messengers.line.textCallback(user, 'so the stand-in knows the user');
    messengers.line.throttle(THROTTLED_TIMES, 2);
    const hinted = await deliverThroughOutbox(lineChannel, createLineAdapter(createLineClients()), message(user.userId));
    assert.deepEqual(hinted.parked, []);
    assert.deepEqual(hinted.wakeUps, Array(THROTTLED_TIMES).fill(2000));

    messengers.line.throttle(THROTTLED_TIMES);
    const bare = await deliverThroughOutbox(lineChannel, createLineAdapter(createLineClients()), { ...message(user.userId), id: 'IMsecond' });
    assert.deepEqual(bare.parked, []);
    assert.equal(bare.wakeUps.length, THROTTLED_TIMES);
    assert.ok(
      bare.wakeUps.every((delayMs) => delayMs <= policy.baseDelayMs),
      `no doubling: ${bare.wakeUps.join(', ')}`,
    );
    assert.equal(messengers.line.pushed.filter((pushed) => pushed.to === user.userId).length, 2);
  });
});

test("Twilio's 429 while resolving an agent's read is retried after its Retry-After, without using up attempts", async () => {
  let lookups = 0;
  const readHorizons: ReadHorizons = {
    ...noReads,
    customerMessageUpTo: async () => {
      lookups += 1;
      if (lookups > THROTTLED_TIMES) return 'm-1';
      // What the kit's Twilio client throws for a 429 whose Retry-After is longer than it waits in place.
      const response = { statusCode: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 }, headers: {} };
      throw Object.assign(new twilio.RestException(response), { retryAfterMs: 4000 });
    },
  };
  const delivered: unknown[] = [];
  const adapter: ChannelAdapter = { kind: 'webhook', deliver: async (_channel, event) => (delivered.push(event), { ok: true }) };
  const channel: ChannelRuntime = { channelType: 'chatapp', displayName: 'Chat App', maxMessageLength: 1000, adapter: 'webhook' };
  const read = { type: 'agent_read' as const, id: 'read-1', conversationSid: 'CH1', to: { id: 'customer-1' }, customerIdentity: 'cust', upToIndex: 3 };
  const { wakeUps, parked } = await deliverThroughOutbox(channel, adapter, read, readHorizons);
  assert.deepEqual(parked, []);
  assert.deepEqual(wakeUps, Array(THROTTLED_TIMES).fill(4000));
  assert.deepEqual(delivered, [{ type: 'read', id: 'read-1', conversationSid: 'CH1', to: { id: 'customer-1' }, upTo: 'm-1' }]);
});
