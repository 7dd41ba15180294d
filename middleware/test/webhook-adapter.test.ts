import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebhookAdapter } from '../src/delivery/webhook-adapter.js';
import { parseRetryAfter } from '../src/shared/retry-after.js';
import type { ChannelEvent } from '../src/delivery/channel-events.js';
import { startReceiver } from '@custom-channels/test-kit/receiver';

const secret = 'receiver-secret-0123456789';
const event: ChannelEvent = {
  type: 'message',
  id: 'IM1',
  conversationSid: 'CH1',
  to: { id: 'customer-1' },
  author: 'agent',
  text: 'Hello',
};

test('POSTs the event as JSON signed with the channel secret', async () => {
  const receiver = await startReceiver(secret);
  const adapter = createWebhookAdapter();
  const channel = {
    channelType: 'chatapp',
    displayName: 'Chat App',
    maxMessageLength: 32_768,
    adapter: 'webhook' as const,
    secret,
    deliveryUrl: receiver.url,
  };
  assert.deepEqual(await adapter.deliver(channel, event), { ok: true });
  assert.deepEqual(receiver.received, [{ body: event, signatureValid: true }]);

  receiver.failNext(1, 503, '7');
  assert.deepEqual(await adapter.deliver(channel, event), {
    ok: false,
    retryable: true,
    reason: 'delivery URL answered 503',
    retryAfterMs: 7000,
  });
  receiver.failNext(1, 400);
  assert.deepEqual(await adapter.deliver(channel, event), {
    ok: false,
    retryable: false,
    reason: 'delivery URL answered 400',
    retryAfterMs: undefined,
  });
  await receiver.close();

  const unreachable = await adapter.deliver(channel, event);
  assert.equal(unreachable.ok, false);
  assert.equal(!unreachable.ok && unreachable.retryable, true);
});

test('Retry-After in seconds or as a date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});
