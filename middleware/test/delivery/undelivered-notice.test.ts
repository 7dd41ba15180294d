/** The agent is told when their message has not reached the customer: refused for good, or held for a web chat visitor who is away. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelRuntime } from '../../src/config/channels.js';
import { createAdapterRegistry, type ChannelAdapter, type DeliveryResult } from '../../src/delivery/channel-adapter.js';
import { createDeliveryHandler } from '../../src/delivery/delivery-handler.js';
import type { DeliveryPayload } from '../../src/delivery/channel-events.js';
import type { UndeliveredNotifier } from '../../src/delivery/undelivered-notice.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { OUTBOX_PAYLOAD_VERSION } from '../../src/outbox/payload-reader.js';
import type { OutboxItem, Store } from '../../src/store/store.js';
import { createWebchatAdapter } from '../../src/webchat/webchat-adapter.js';
import type { Transcripts } from '../../src/store/transcripts.js';
import type { ReadHorizons } from '../../src/receipts/read-horizons.js';

const VISITOR = 'v_0123456789abcdefABCDEF';
const webchat = { channelType: 'webchat', displayName: 'Web Chat', adapter: 'webchat', maxMessageLength: 4096 } as ChannelRuntime;
const message = {
  type: 'message' as const,
  id: 'IM00000000000000000000000000000001',
  conversationSid: 'CH1',
  to: { id: VISITOR },
  author: 'alice',
  text: 'Hello',
};

function webchatAdapter(isConnected?: (channelType: string, visitorId: string) => boolean): ChannelAdapter {
  const log = { append: async () => ({ seq: 1 }) } as unknown as Transcripts;
  return createWebchatAdapter({ log, publish: () => undefined, ...(isConnected ? { isConnected } : {}) });
}

test('the web chat holds a message for a visitor with no socket open, and says so only when it can know', async () => {
  assert.deepEqual(await webchatAdapter(() => false).deliver(webchat, message), { ok: true, held: true });
  assert.deepEqual(await webchatAdapter(() => true).deliver(webchat, message), { ok: true });
  assert.deepEqual(await webchatAdapter().deliver(webchat, message), { ok: true });
});

function handlerWith(result: DeliveryResult, told: string[]) {
  const adapter: ChannelAdapter = { kind: 'webchat', deliver: async () => result };
  const notifyUndelivered: UndeliveredNotifier = {
    refused: async (_channel, event, reason) => void told.push(`refused ${event.id} ${reason}`),
    held: async (_channel, event) => void told.push(`held ${event.id}`),
  };
  return createDeliveryHandler({
    channels: new Map([['webchat', webchat]]),
    adapters: createAdapterRegistry([adapter]),
    metrics: createMetrics({ countOutbox: async () => [] } as unknown as Store),
    notifyTooLong: async () => undefined,
    notifyUndelivered,
    readHorizons: {} as ReadHorizons,
  });
}

const item = {
  id: 1,
  attempts: 1,
  createdAt: 0,
  queue: 'to-channel',
  orderingKey: 'k',
  payload: { version: OUTBOX_PAYLOAD_VERSION, channelType: 'webchat', event: message },
} as OutboxItem<DeliveryPayload>;
const context = {} as Parameters<ReturnType<typeof createDeliveryHandler>>[1];

test('a held message completes and the agent is told "not delivered yet"; a refused one is parked and the agent told why', async () => {
  const told: string[] = [];
  assert.deepEqual(await handlerWith({ ok: true, held: true }, told)(item, context), { kind: 'done' });
  assert.deepEqual(await handlerWith({ kind: 'permanent', reason: 'delivery URL answered 403' }, told)(item, context), {
    kind: 'permanent',
    reason: 'delivery URL answered 403',
  });
  assert.deepEqual(await handlerWith({ ok: true }, told)(item, context), { kind: 'done' });
  assert.deepEqual(told, [`held ${message.id}`, `refused ${message.id} delivery URL answered 403`]);
});
